package upgrade

import (
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// How the stack poller reads this client's upgrades and creates before any of their kind has been seen to
// end. An upgrade lasts seconds to minutes (batch after batch, each waiting for health checks), and the
// services a deploy upgrades together often take as long as each other, so reading every one of them at the
// regular pace (lists of every moving service, every few hundred ms) mostly shows that nothing ended. The
// creates of a big deploy go out over a few hundred ms, most of them before the first has ended, and each
// read at the regular pace mostly showed it still registering. Instead, the first few transitions of a kind
// (scouts) are read at the regular pace, the others every coarseMax (a failure is still seen within it);
// when one of the kind ends, each of the others is read when it is expected to end as well (firstEnd), and
// from then on the learned windows (settletimes.go) or the regular pace apply. No upgrade is read more often
// than every coarseMax before the least time its strategy allows (upgradeFloor).

// maxScouts is how many upgrades or creates of a kind never seen to end are read at the regular pace at a time.
const maxScouts = 3

// upgradeFloor is the least time an in-service upgrade takes, from its strategy as the upgrade's answer
// shows it: Cattle replaces the units batch by batch, sleeping intervalMillis between batches, and waits
// for each batch's new containers to pass their health check healthyThreshold times, interval apart (the
// first check may come at once). 0 when the answer says too little.
func upgradeFloor(s *resources.Service) time.Duration {
	if s.Upgrade == nil || s.Upgrade.InServiceStrategy == nil {
		return 0
	}
	st := s.Upgrade.InServiceStrategy
	batch, units := max(st.BatchSize, 1), max(s.Scale, 1)
	batches := (units + batch - 1) / batch
	floor := time.Duration(batches-1) * time.Duration(st.IntervalMillis) * time.Millisecond
	lc := st.LaunchConfig
	if lc == nil {
		lc = s.LaunchConfig
	}
	if lc != nil && lc.HealthCheck != nil && lc.HealthCheck.HealthyThreshold > 1 && lc.HealthCheck.Interval > 0 {
		hc := lc.HealthCheck
		floor += time.Duration(batches*(hc.HealthyThreshold-1)) * time.Duration(hc.Interval) * time.Millisecond
	}
	return floor
}

// follow starts following the transition this client's change (stamp seq) left s in, when it moves; an
// upgrade or a create of a kind never seen to end is read coarsely unless it is one of the kind's first
// maxScouts.
func (p *stackPoll) follow(sp *servicePace, s *resources.Service, seq uint64, now time.Time) {
	p.unfollow(sp)
	if !moving(s) {
		return
	}
	sp.exp = expectation{kind: transitionKind(s), state: s.State, seq: seq, at: now, movingAt: now}
	if s.State != stateUpgrading && s.State != stateRegistering {
		return
	}
	e := &sp.exp
	e.coarse, e.floor = true, now.Add(upgradeFloor(s))
	if p.settle[e.kind] == nil && p.scouts[e.kind] < maxScouts {
		e.scout = true
		p.scouts[e.kind]++
	}
}

// unfollow ends the following of the service's transition.
func (p *stackPoll) unfollow(sp *servicePace) {
	if sp.exp.scout {
		p.scouts[sp.exp.kind]--
	}
	sp.exp = expectation{}
}

// coarse tells when an upgrade read coarsely is read next: at the next coarseTick while before its floor
// (a scout: or at its floor), and while no upgrade of its kind has been seen to end unless it is a scout.
// ok is false otherwise (the regular pace).
func (f *feed) coarse(p *stackPoll, sp *servicePace, now time.Time) (due time.Time, ok bool) {
	e := &sp.exp
	switch {
	case e.kind == "" || !e.coarse:
		return time.Time{}, false
	case e.scout && now.Before(e.floor):
		return minTime(p.coarseTick(now), e.floor), true
	case e.scout || p.settle[e.kind] != nil && !now.Before(e.floor):
		return time.Time{}, false
	}
	return p.coarseTick(now), true
}

// coarseTick is when the upgrades read coarsely are read next: all at once (one list answers them), at
// most coarseMax from now.
func (p *stackPoll) coarseTick(now time.Time) time.Time {
	if !p.coarseAt.After(now) || p.coarseAt.After(now.Add(coarseMax)) {
		p.coarseAt = now.Add(coarseMax)
	}
	return p.coarseAt
}

// firstEnd makes the other upgrades of a kind just seen to end for the first time, after d, due when they
// are expected to end as well: d after their own change (the first seen to end is mostly among the
// shortest), a round trip early; at once when that has passed.
func (p *stackPoll) firstEnd(kind string, d time.Duration, now time.Time) {
	for _, sp := range p.pace {
		if sp.exp.kind == kind && sp.exp.coarse && sp.due.After(now) {
			sp.due = minTime(sp.due, maxTime(now, sp.exp.at.Add(d-p.rtt)))
		}
	}
}
