package upgrade

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// How the stack poller learns when this client's changes end. The services a deploy changes the same way
// (activated, created, upgraded, at the same scale) often take about as long as each other; once a few of
// them have shown how long a transition takes, a service just changed the same way is read every coarseMax
// until shortly before it is expected to settle, then often until a while after: seen soon after it
// settles, which is what a consumer waiting on it needs, for fewer reads than the regular pace would send.
const (
	settleSamples = 16 // the last transitions of each kind kept
	minSamples    = 3  // fewer: no expectation
	// coarseMax bounds the time between two reads of a service before its expected end: a transition that
	// ends early (an error) is seen within it. At 1 s, the lists of a big stack's first wave of upgrades (every
	// moving service, each second until one ends) were most of an upgrade's bytes: 60 KB a service at 500
	// services, 39 KB at 2 s; what is awaited is still read at its expected end (fine, firstEnd).
	coarseMax = 2 * time.Second
)

// fineTick is how often a service is read, at most, while it is expected to settle.
func (policy FeedPolicy) fineTick() time.Duration { return max(policy.Tick/4, time.Millisecond) }

// transitionKind is what makes transitions comparable: the state this client's change left the service
// in, and its scale (an upgrade replaces the containers one batch after the other). Until transitions of
// a kind have been seen, those of the same state at any scale stand in, when they took about as long as
// each other (an activation starts the containers together).
func transitionKind(s *resources.Service) string { return fmt.Sprintf("%s/%d", s.State, s.Scale) }

// settleTimes are how long the last transitions of one kind took, from this client's change, and when the
// next one is expected to end (see add).
type settleTimes struct {
	samples  []time.Duration
	from, to time.Duration
	ok       bool
}

// add records a transition's duration and renews the expected window: between the lower and upper quartiles
// of the samples, when there are enough and they are spread over at most the larger of minSpread and an
// eighth of the lower quartile (durations too different are not worth reading at an expected time).
func (t *settleTimes) add(d, minSpread time.Duration) {
	if len(t.samples) == settleSamples {
		t.samples = t.samples[1:]
	}
	t.samples = append(t.samples, d)
	if len(t.samples) < minSamples {
		return
	}
	s := slices.Clone(t.samples)
	slices.Sort(s)
	t.from, t.to = s[len(s)/4], s[(3*len(s))/4]
	t.ok = t.to-t.from <= max(minSpread, t.from/8)
}

// expectation follows the transition this client's change left one service in.
type expectation struct {
	kind     string    // the transition's kind (transitionKind; "": none followed)
	state    string    // the transitional state the change left the service in
	seq      uint64    // stamp of the change: only reads sent after it tell how the transition went
	at       time.Time // when the change was answered
	movingAt time.Time // when a read last showed it still in state
	passed   bool      // its expected window passed without it settling
	// An upgrade (upgradepace.go): read coarsely before floor, and, unless a scout, until its kind is seen to end.
	coarse bool
	scout  bool
	floor  time.Time
}

// observe learns from a read of the service sent with stamp sent and answered at now: still in the
// transition, or out of it (state), which ends the following. An end is learned as halfway between the
// last read that saw the service moving and this one, unless they are too far apart to tell (more than
// twice minSpread and a quarter of the duration: a transition seen only at its change and at its end).
func (p *stackPoll) observe(sp *servicePace, state string, sent uint64, now time.Time, minSpread time.Duration) {
	e := &sp.exp
	if e.kind == "" || sent <= e.seq {
		return
	}
	if state == e.state {
		e.movingAt = now
		return
	}
	d := e.movingAt.Add(now.Sub(e.movingAt) / 2).Sub(e.at)
	if e.coarse && p.settle[e.kind] == nil {
		p.firstEnd(e.kind, d, now)
	}
	if gap := now.Sub(e.movingAt); gap > 2*minSpread && gap > d/4 {
		p.unfollow(sp) // ended anywhere within a quarter of its length: a sample that would spread the others
		return
	}
	for _, kind := range []string{e.kind, e.state} {
		t := p.settle[kind]
		if t == nil {
			t = &settleTimes{}
			p.settle[kind] = t
		}
		t.add(d, minSpread)
	}
	p.unfollow(sp)
}

// fine tells when a service expected to settle is read next. Its window runs from a round trip before the
// upper quartile of its kind (see settleTimes: a read sent then is answered when most such transitions have
// ended, so one read mostly does) to a round trip and two fineTicks after it (a loaded server ends some
// transitions late); before it, the service is read every coarseMax or at its start; within it, a quarter of
// the quartiles' spread after the last read was sent, at least fineTick. ok is false when no end is
// expected, or the window has passed (the regular pace).
func (f *feed) fine(p *stackPoll, sp *servicePace, sentAt, now time.Time) (due time.Time, ok bool) {
	e := &sp.exp
	t, standIn := p.expected(e)
	if t == nil {
		return time.Time{}, false
	}
	start, end := p.windowStart(e, t), e.at.Add(t.to+p.rtt+2*f.policy.fineTick())
	if standIn && end.Before(e.floor) {
		return time.Time{}, false // other scales end sooner than this one can
	}
	switch {
	case now.Before(start):
		sp.urgent = false
		return minTime(now.Add(coarseMax), start), true
	case now.Before(end):
		sp.urgent = true
		return maxTime(sentAt.Add(max(f.policy.fineTick(), (t.to-t.from)/4)), now), true
	}
	e.passed, sp.urgent = true, false
	if standIn {
		p.noStandIn[e.kind] = true // this scale takes longer: no stand-in for it
	}
	return time.Time{}, false
}

// windowStart is when a read of the service following e, sent then, is expected to find its transition
// ended (by the upper quartile t.to): the start of fine's window, and what gather counts as ended.
func (p *stackPoll) windowStart(e *expectation, t *settleTimes) time.Time {
	return e.at.Add(t.to - p.rtt)
}

// expected returns the settle times the transition e follows is expected to end by: those of its kind, or,
// standIn, those of its state at other scales while they take about as long as each other; nil when none
// are known or its window has passed.
func (p *stackPoll) expected(e *expectation) (t *settleTimes, standIn bool) {
	if e.kind == "" || e.passed {
		return nil, false
	}
	t = p.settle[e.kind]
	if (t == nil || !t.ok) && !p.noStandIn[e.kind] {
		t, standIn = p.settle[e.state], true // transitions of other scales, while they take about as long as each other
	}
	if t == nil || !t.ok {
		return nil, false
	}
	return t, standIn
}

// lateEnd tells when this client's last change of the service is expected to have ended, with few
// exceptions: lateQuantile of the durations of the last changes of its kind (or, while fewer than
// minSamples, of its state at any scale) after its answer, less half a round trip (a request sent then
// reaches the server then), whether or not they were close enough together for fine's window. false when
// fewer have been seen to end, or none is followed.
func (f *feed) lateEnd(stackID, id string) (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.stacks[stackID]
	if p == nil || p.pace[id] == nil || p.pace[id].exp.kind == "" {
		return time.Time{}, false
	}
	e := &p.pace[id].exp
	t := p.settle[e.kind]
	if t == nil || len(t.samples) < minSamples {
		t = p.settle[e.state]
	}
	if t == nil || len(t.samples) < minSamples {
		return time.Time{}, false
	}
	return maxTime(e.at.Add(t.quantile(lateQuantile)-p.rtt/2), e.floor), true
}

// lateQuantile is the share of changes expected to have ended at lateEnd.
const lateQuantile = 0.9

// quantile returns the duration q of the samples are no longer than.
func (t *settleTimes) quantile(q float64) time.Duration {
	s := slices.Clone(t.samples)
	slices.Sort(s)
	return s[max(0, int(math.Ceil(q*float64(len(s))))-1)]
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
