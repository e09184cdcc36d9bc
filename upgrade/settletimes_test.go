package upgrade

import (
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

func TestSettleTimesExpectBetweenTheQuartilesOfConsistentSamples(t *testing.T) {
	ms := time.Millisecond
	var st settleTimes
	st.add(600*ms, 10*ms)
	st.add(610*ms, 10*ms)
	if st.ok {
		t.Fatal("an expectation from two samples")
	}
	st.add(590*ms, 10*ms)
	st.add(605*ms, 10*ms)
	if !st.ok || st.from != 600*ms || st.to != 610*ms {
		t.Errorf("window %v..%v ok=%v, want 600ms..610ms", st.from, st.to, st.ok)
	}
	for _, d := range []time.Duration{200 * ms, 2 * time.Second, 900 * ms, 3 * time.Second} {
		st.add(d, 10*ms)
	}
	if st.ok {
		t.Errorf("window %v..%v kept for durations spread over seconds", st.from, st.to)
	}
	for range settleSamples {
		st.add(300*ms, 10*ms)
	}
	if len(st.samples) != settleSamples || !st.ok || st.from != 300*ms {
		t.Errorf("after %d new samples: %d kept, window %v..%v ok=%v, want the new ones alone", settleSamples, len(st.samples), st.from, st.to, st.ok)
	}
}

// The poller learns how long this client's activations take from the reads that saw them end, and reads a
// service activated afterwards only shortly before its expected end, then every fineTick until a while
// after it; past that window, at the regular pace again.
func TestFeedReadsAServiceWhenItsTransitionIsExpectedToEnd(t *testing.T) {
	ms := time.Millisecond
	f, p, t0, now := clockedFeed()
	activating, active := svcState("1s1", "activating", "yes"), svcState("1s1", "active", "no")
	seeTransitions(f, p, now, time.Second, 600*ms, &activating, &active) // about 600 ms after they were answered
	st := p.settle["activating/0"]
	if st == nil || !st.ok || st.from != 600*ms || st.to != 600*ms {
		t.Fatalf("learned %+v, want 600 ms", st)
	}
	*now = t0.Add(10 * time.Second)
	start := *now
	f.kick("1st1", &activating)
	sp := p.pace["1s1"]
	var reads []time.Duration
	for range 10 {
		*now = sp.due
		reads = append(reads, now.Sub(start))
		p.seq++
		f.gotByID(p, "1s1", &activating, nil, p.seq, *now) // answered at once: the fineTick paces it
	}
	fine := DefaultFeedPolicy.fineTick()
	// nothing until a round trip before 600 ms (less than coarseMax away), then every fineTick while before
	// 600 ms + a round trip + 2 fineTicks
	want := []time.Duration{580 * ms, 580*ms + fine, 580*ms + 2*fine, 580*ms + 3*fine, 580*ms + 4*fine, 580*ms + 5*fine}
	for i, w := range want {
		if reads[i] != w {
			t.Fatalf("reads at %v after the change, want %v then the regular pace", reads, want)
		}
	}
	if last := reads[len(want)] - reads[len(want)-1]; last != DefaultFeedPolicy.Tick {
		t.Errorf("after the window the next read came %v later, want the Tick: reads at %v", last, reads)
	}
}

// After a list shows that a service it was expected to hold has settled, the service is read before the
// services merely due.
func TestFeedReadsAServiceJustSettledBeforeOthersDue(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := newFeed(nil, nil, DefaultFeedPolicy)
	f.now = func() time.Time { return t0 }
	p := f.poll("1st1")
	for _, id := range []string{"1s1", "1s2", "1s3"} {
		p.pace[id] = &servicePace{due: t0.Add(-time.Second), moving: id == "1s3"}
		p.waiting[id] = []*waiter{{done: make(chan struct{})}}
	}
	p.pace["1s3"].due = t0
	p.moving["1s3"] = true
	p.seq++
	f.gotList(p, &listing{seq: p.seq, sentAt: t0, expect: map[string]bool{"1s3": true}}, []resources.Service{}, 0, nil)
	due, _ := p.due(t0)
	if len(due) != 3 || due[0] != "1s3" {
		t.Errorf("due in the order %v, want 1s3 (settled, as the list shows) first", due)
	}
}

// Long transitions may spread more: an eighth of their duration.
func TestSettleTimesAllowLongTransitionsToSpreadByAnEighth(t *testing.T) {
	s := time.Second
	var st settleTimes
	for _, d := range []time.Duration{10 * s, 10*s + 500*time.Millisecond, 11 * s, 10*s + 200*time.Millisecond} {
		st.add(d, 75*time.Millisecond)
	}
	if !st.ok {
		t.Errorf("window %v..%v not kept: want upgrades of 10 to 11 s expected", st.from, st.to)
	}
	st.add(20*s, 75*time.Millisecond)
	st.add(25*s, 75*time.Millisecond)
	if st.ok {
		t.Errorf("window %v..%v kept for 10 to 25 s", st.from, st.to)
	}
}

// Until transitions of one scale have been seen, those of the same state at other scales stand in; a
// service that outlasts their window ends the stand-in for its scale.
func TestFeedLetsOtherScalesStandInUntilOneOutlastsThem(t *testing.T) {
	ms := time.Millisecond
	f, p, t0, now := clockedFeed()
	one, oneDone := svcState("1s1", "upgrading", "yes"), svcState("1s1", "upgraded", "no")
	one.Scale, oneDone.Scale = 1, 1
	seeTransitions(f, p, now, 2*time.Second, time.Second, &one, &oneDone) // upgrades of scale 1 ending 1 s after they were answered
	two := svcState("1s2", "upgrading", "yes")
	two.Scale = 2
	*now = t0.Add(10 * time.Second)
	start := *now
	f.kick("1st1", &two)
	sp := p.pace["1s2"]
	if got := sp.due.Sub(start); got != 980*ms {
		t.Fatalf("scale 2, first read %v after the change, want 980ms (the window of scale 1 stands in)", got)
	}
	for sp.exp.kind != "" && !sp.exp.passed {
		*now = sp.due
		p.seq++
		f.gotByID(p, "1s2", &two, nil, p.seq, *now)
	}
	if !p.noStandIn["upgrading/2"] {
		t.Fatal("the scale 2 upgrade outlasted the window of scale 1, which still stands in")
	}
	*now = now.Add(5 * time.Second)
	start = *now
	f.kick("1st1", &two)
	if got := sp.due.Sub(start); got != DefaultFeedPolicy.Tick {
		t.Errorf("the next scale 2 upgrade is first read %v after the change, want the Tick", got)
	}
}

// clockedFeed is a feed on a manual clock (now, starting at t0) and the poll of stack 1st1, whose round trip
// is 20 ms.
func clockedFeed() (f *feed, p *stackPoll, t0 time.Time, now *time.Time) {
	t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := t0
	now = &clock
	f = newFeed(nil, nil, DefaultFeedPolicy)
	f.now = func() time.Time { return *now }
	p = f.poll("1st1")
	p.rtt = 20 * time.Millisecond
	return f, p, t0, now
}

// seeTransitions shows the poller three of this client's changes of a service, every apart from t0, from
// moving to settled about took after each change was answered: a read sent 30 ms before took still sees it
// moving, the next, sent 10 ms before took, sees it settled (answered 10 ms after took).
func seeTransitions(f *feed, p *stackPoll, now *time.Time, every, took time.Duration, moving, settled *resources.Service) {
	t0 := *now
	for i := range 3 {
		*now = t0.Add(time.Duration(i) * every)
		f.kick("1st1", moving)
		*now = now.Add(took - 10*time.Millisecond)
		p.seq++
		f.gotByID(p, moving.Id, moving, nil, p.seq, now.Add(-20*time.Millisecond))
		*now = now.Add(20 * time.Millisecond)
		p.seq++
		f.gotByID(p, settled.Id, settled, nil, p.seq, now.Add(-20*time.Millisecond))
	}
}

// A change is expected to have ended, with few exceptions, when nine in ten of its kind had, half a round
// trip early, however spread their ends; none is expected before minSamples changes of its kind ended.
func TestFeedTellsWhenAChangeIsExpectedToHaveEnded(t *testing.T) {
	ms := time.Millisecond
	f, p, t0, now := clockedFeed()
	registering, inactive := svcState("1s1", "registering", "yes"), svcState("1s1", "inactive", "no")
	f.kick("1st1", &registering)
	if at, ok := f.lateEnd("1st1", "1s1"); ok {
		t.Fatalf("expected end %v before any create was seen to end", at)
	}
	seeTransitions(f, p, now, time.Second, 200*ms, &registering, &inactive)
	*now = t0.Add(10 * time.Second)
	f.kick("1st1", &registering)
	at, ok := f.lateEnd("1st1", "1s1")
	if want := now.Add(200*ms - p.rtt/2); !ok || !at.Equal(want) {
		t.Errorf("expected end %v (ok %v), want %v", at.Sub(*now), ok, want.Sub(*now))
	}
	for _, d := range []time.Duration{100 * ms, 150 * ms, 400 * ms, 500 * ms, 120 * ms, 130 * ms, 140 * ms} {
		p.settle["registering/0"].add(d, time.Millisecond) // spread: no window for fine
	}
	at, ok = f.lateEnd("1st1", "1s1")
	if want := now.Add(400*ms - p.rtt/2); !ok || !at.Equal(want) || p.settle["registering/0"].ok {
		t.Errorf("expected end %v (ok %v), want %v, nine in ten of ten ends spread over 400 ms", at.Sub(*now), ok, want.Sub(*now))
	}
	if _, ok := f.lateEnd("1st1", "1s2"); ok {
		t.Error("an end expected for a service this client never changed")
	}
}

// A transition seen moving only when it began, and settled long after, tells too little of when it
// ended to be learned; one read along the way is.
func TestSettleTimesSkipEndsSeenTooLate(t *testing.T) {
	ms := time.Millisecond
	f, p, _, now := clockedFeed()
	activating, active := svcState("1s1", "activating", "yes"), svcState("1s1", "active", "no")
	f.kick("1st1", &activating)
	*now = now.Add(664 * ms)
	p.seq++
	f.gotByID(p, "1s1", &active, nil, p.seq, *now)
	if st := p.settle["activating/0"]; st != nil {
		t.Fatalf("learned %v from an end seen 664 ms after the change and never before", st.samples)
	}
	seeTransitions(f, p, now, time.Second, 600*ms, &activating, &active)
	if st := p.settle["activating/0"]; st == nil || !st.ok || st.to != 600*ms {
		t.Errorf("learned %+v, want 600 ms from ends seen 20 ms apart", st)
	}
}
