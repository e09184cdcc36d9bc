package upgrade

import (
	"slices"
	"time"
)

// How the stack poller learns when this client's changes end. The services a deploy changes the same way
// (activated, created, upgraded) often take about as long as each other; once a few of them have shown how
// long a transition takes, a service just changed the same way is read at the regular pace until shortly
// before it is expected to settle, then every fineTick until a while after: seen soon after it settles,
// which is what a consumer waiting on it needs, for no more reads than the regular pace would send.
const (
	settleSamples = 16 // the last transitions of each kind kept
	minSamples    = 3  // fewer: no expectation
)

// fineTick is how often a service is read while it is expected to settle.
func (policy FeedPolicy) fineTick() time.Duration { return max(policy.Tick/4, time.Millisecond) }

// settleTimes are how long the last transitions out of one state took, from this client's change, and when
// the next one is expected to end (see window).
type settleTimes struct {
	samples  []time.Duration
	from, to time.Duration
	ok       bool
}

// add records a transition's duration and renews the expected window: between the lower and upper quartiles
// of the samples, when there are enough and they are spread over at most spread (durations too different
// are not worth reading at an expected time).
func (t *settleTimes) add(d, spread time.Duration) {
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
	t.ok = t.to-t.from <= spread
}

// expectation follows the transition this client's change left one service in.
type expectation struct {
	state    string    // the transitional state the change left it in ("": none followed)
	seq      uint64    // stamp of the change: only reads sent after it tell how the transition went
	at       time.Time // when the change was answered
	movingAt time.Time // when a read last showed it still in state
	passed   bool      // its expected window passed without it settling
}

// observe learns from a read of the service sent with stamp sent and answered at now: still in the
// transition, or out of it (state), which ends the following.
func (p *stackPoll) observe(sp *servicePace, state string, sent uint64, now time.Time, spread time.Duration) {
	e := &sp.exp
	if e.state == "" || sent <= e.seq {
		return
	}
	if state == e.state {
		e.movingAt = now
		return
	}
	t := p.settle[e.state]
	if t == nil {
		t = &settleTimes{}
		p.settle[e.state] = t
	}
	t.add(e.movingAt.Add(now.Sub(e.movingAt)/2).Sub(e.at), spread)
	*e = expectation{}
}

// fine tells when a service expected to settle is read next: fineTick after the last read was sent while
// its transition is expected to end (from a round trip before the window of its kind, see settleTimes, to
// two fineTicks after it), the start of that window when it is ahead, within Max. ok is false when no end
// is expected, or the window has passed (the regular pace).
func (f *feed) fine(p *stackPoll, sp *servicePace, sentAt, now time.Time) (due time.Time, ok bool) {
	e := &sp.exp
	t := p.settle[e.state]
	if e.state == "" || e.passed || t == nil || !t.ok {
		return time.Time{}, false
	}
	start, end := e.at.Add(t.from-p.rtt), e.at.Add(t.to+2*f.policy.fineTick())
	switch {
	case now.Before(start):
		sp.urgent = false
		return minTime(now.Add(f.policy.Max), start), true
	case now.Before(end):
		sp.urgent = true
		return maxTime(sentAt.Add(f.policy.fineTick()), now), true
	}
	e.passed, sp.urgent = true, false
	return time.Time{}, false
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
