package upgrade

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// upgrading is a service of scale 2 just upgraded in service, batch 1, intervalMillis 200, with a health
// check every 2 s that passes twice to be healthy.
func upgrading(id string) resources.Service {
	s := svcState(id, stateUpgrading, "yes")
	s.Scale = 2
	hc := &resources.InstanceHealthCheck{Interval: 2000, HealthyThreshold: 2}
	s.Upgrade = &resources.ServiceUpgrade{InServiceStrategy: &resources.InServiceUpgradeStrategy{BatchSize: 1,
		IntervalMillis: 200, LaunchConfig: &resources.LaunchConfig{HealthCheck: hc}}}
	return s
}

func TestUpgradeFloorCountsTheBatchesSleepsAndHealthChecks(t *testing.T) {
	s := upgrading("1s1")
	if got := upgradeFloor(&s); got != 4200*time.Millisecond {
		t.Errorf("scale 2, batch 1: floor %v, want 4.2s (one 200 ms sleep between the batches, 2 s of health checks in each)", got)
	}
	s.Upgrade.InServiceStrategy.BatchSize = 2
	if got := upgradeFloor(&s); got != 2*time.Second {
		t.Errorf("scale 2, batch 2: floor %v, want 2s (one batch)", got)
	}
	s.Upgrade.InServiceStrategy.LaunchConfig = nil
	s.Scale, s.Upgrade.InServiceStrategy.BatchSize = 3, 1
	if got := upgradeFloor(&s); got != 400*time.Millisecond {
		t.Errorf("scale 3 without a health check: floor %v, want 400ms (the sleeps between 3 batches)", got)
	}
	s.Upgrade = nil
	if got := upgradeFloor(&s); got != 0 {
		t.Errorf("no strategy in the answer: floor %v, want 0", got)
	}
}

// Thirty services upgraded together, each ending 10 s later: until the first of them is seen to end, only
// the first maxScouts are read at the regular pace (by id), the others together every coarseMax (one list
// each time); the first end makes the others due when they are expected to end as well (here at once), so
// each end is seen within the scouts' pace.
func TestFeedReadsAWaveOfUpgradesCoarselyUntilOneEnds(t *testing.T) {
	f, p, t0, now := clockedFeed()
	const n, took = 30, 10 * time.Second
	ids := kickWave(f, p, n, func(_ int, id string) resources.Service { return upgrading(id) })
	if p.scouts["upgrading/2"] != maxScouts {
		t.Fatalf("%d scouts, want %d", p.scouts["upgrading/2"], maxScouts)
	}
	state := func(id string) resources.Service {
		if now.Sub(t0) >= took {
			return svcState(id, stateUpgraded, "no")
		}
		return upgrading(id)
	}
	lists, gets := 0, 0
	seen := map[string]time.Duration{}
	for len(p.waiting) > 0 && now.Sub(t0) < 2*took {
		due, next := p.due(*now)
		if len(due) == 0 {
			*now = next
			continue
		}
		p.seq++
		sent := p.seq
		if dueMoving(p, due) > maxScouts {
			lists++
			var list []resources.Service
			for id := range p.moving {
				if s := state(id); moving(&s) {
					list = append(list, s)
				}
			}
			f.gotList(p, &listing{seq: sent, sentAt: *now, expect: maps.Clone(p.moving)}, list, len(list), nil)
		} else {
			for _, id := range due {
				gets++
				s := state(id)
				f.gotByID(p, id, &s, nil, sent, *now)
			}
		}
		for _, id := range ids { // each wait reads again at once, until it sees the end
			if _, ok := seen[id]; ok {
				continue
			}
			if s := p.pace[id]; !s.moving {
				seen[id] = now.Sub(t0)
				delete(p.waiting, id)
				continue
			}
			if len(p.waiting[id]) == 0 {
				p.waiting[id] = []*waiter{{done: make(chan struct{}), seq: p.seq}}
			}
		}
	}
	t.Logf("%d lists, %d reads by id", lists, gets)
	if lists > 12 {
		t.Errorf("%d lists over the 10 s upgrades, want at most 12 (one a second, and the end)", lists)
	}
	if gets > 3*int(took/longMax)+n {
		t.Errorf("%d reads by id, want about the scouts' (every %v after the floor)", gets, longMax)
	}
	for id, at := range seen {
		if at > took+longMax {
			t.Errorf("%s seen settled %v after the change, want within %v of the end", id, at, longMax)
		}
	}
	if len(seen) != n {
		t.Errorf("%d ends seen, want %d", len(seen), n)
	}
}

// dueMoving counts the due services that move (a list pays for many of them).
func dueMoving(p *stackPoll, due []string) int {
	n := 0
	for _, id := range due {
		if p.pace[id].moving {
			n++
		}
	}
	return n
}

// Thirty services created together: until the first of them is seen to become inactive, only the first
// maxScouts are read (at the regular pace); the first end makes each of the others due when it is expected
// to end as well, so none is read while it is bound to be registering still.
func TestFeedReadsAWaveOfCreatesThroughScouts(t *testing.T) {
	f, p, t0, now := clockedFeed()
	const n, took = 30, 200 * time.Millisecond
	ids := kickWave(f, p, n, func(i int, id string) resources.Service {
		*now = t0.Add(time.Duration(i) * time.Millisecond) // the creates are answered 1 ms apart
		s := svcState(id, stateRegistering, "yes")
		s.Scale = 1
		return s
	})
	if p.scouts["registering/1"] != maxScouts {
		t.Fatalf("%d scouts, want %d", p.scouts["registering/1"], maxScouts)
	}
	*now = t0.Add(took - 10*time.Millisecond)
	due, _ := p.due(*now)
	if len(due) != maxScouts {
		t.Fatalf("%d due before the first end, want the %d scouts: %v", len(due), maxScouts, due)
	}
	*now = t0.Add(took + 10*time.Millisecond)
	p.seq++
	s := svcState(due[0], stateInactive, "no")
	f.gotByID(p, due[0], &s, nil, p.seq, t0.Add(took))
	later := 0
	for _, id := range ids {
		if sp := p.pace[id]; id != due[0] && sp.due.After(t0.Add(took+30*time.Millisecond)) {
			later++
		}
	}
	if later != 0 {
		t.Errorf("%d creates due after the end expected of them (about %v after their answer), want none", later, took)
	}
}

// kickWave tells the poller of n changes of this client's, to services 1s1…1sn as svc makes the i-th,
// each with a read of it waiting, and returns their ids.
func kickWave(f *feed, p *stackPoll, n int, svc func(i int, id string) resources.Service) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("1s%d", i+1)
		s := svc(i, ids[i])
		f.kick("1st1", &s)
		p.waiting[ids[i]] = []*waiter{{done: make(chan struct{}), seq: p.seq}}
	}
	return ids
}
