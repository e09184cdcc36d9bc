package upgrade

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// gatedList is a stack list whose every call blocks until the test releases it, and counts the calls.
type gatedList struct {
	mu      sync.Mutex
	calls   int
	started chan int // receives the call's number when it starts
	release chan []resources.Service
	err     error
}

func newGatedList() *gatedList {
	return &gatedList{started: make(chan int, 16), release: make(chan []resources.Service)}
}

func (g *gatedList) list(ctx context.Context, _ string) ([]resources.Service, error) {
	g.mu.Lock()
	g.calls++
	n := g.calls
	g.mu.Unlock()
	g.started <- n
	select {
	case list := <-g.release:
		return list, g.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func svcState(id, state, transitioning string) resources.Service {
	s := resources.Service{State: state, Transitioning: transitioning}
	s.Id = id
	return s
}

// zeroPolicy polls again as soon as a read waits, so that the tests depend on no timer.
var zeroPolicy = FeedPolicy{Tick: 0, Max: 0, Factor: 1, Quiet: time.Hour}

type readResult struct {
	svc *resources.Service
	ok  bool
	err error
}

func goRead(f *feed, id string) chan readResult {
	out := make(chan readResult, 1)
	go func() {
		s, ok, err := f.read(context.Background(), "1st1", id)
		out <- readResult{s, ok, err}
	}()
	return out
}

// waitSubscribed waits until the stack's poller is as pending says.
func waitSubscribed(t *testing.T, f *feed, pending func(*stackPoll) bool) {
	t.Helper()
	for i := 0; i < 10000; i++ {
		f.mu.Lock()
		p := f.stacks["1st1"]
		ok := p != nil && pending(p)
		f.mu.Unlock()
		if ok {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatal("the reads never subscribed")
}

func TestFeedAnswersConcurrentReadsWithOneListSentAfterThem(t *testing.T) {
	g := newGatedList()
	f := newFeed(g.list, nil, zeroPolicy)
	first := goRead(f, "1s1")
	if n := <-g.started; n != 1 {
		t.Fatalf("first list is call %d", n)
	}
	// These reads begin while list 1 is in flight: list 1 must not answer them (it may predate a change
	// they just made), the next one must answer all of them at once.
	var later []chan readResult
	for _, id := range []string{"1s1", "1s2", "1s3"} {
		later = append(later, goRead(f, id))
	}
	waitSubscribed(t, f, func(p *stackPoll) bool { return p.pending != nil && p.pending.readers == 3 })
	g.release <- []resources.Service{svcState("1s1", "registering", "yes")}
	if r := <-first; r.err != nil || !r.ok || r.svc.State != "registering" {
		t.Fatalf("first read: %+v", r)
	}
	if n := <-g.started; n != 2 {
		t.Fatalf("second list is call %d", n)
	}
	g.release <- []resources.Service{svcState("1s1", "inactive", "no"), svcState("1s2", "active", "no")}
	want := []struct {
		ok    bool
		state string
	}{{true, "inactive"}, {true, "active"}, {false, ""}}
	for i, ch := range later {
		r := <-ch
		if r.err != nil || r.ok != want[i].ok || (r.ok && r.svc.State != want[i].state) {
			t.Errorf("read %d: %+v, want ok=%v state %q", i, r, want[i].ok, want[i].state)
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.calls != 2 {
		t.Errorf("lists sent: %d, want 2 for 4 reads", g.calls)
	}
}

func TestFeedPassesTheListErrorToEveryReadOfTheRound(t *testing.T) {
	g := newGatedList()
	g.err = errors.New("boom")
	f := newFeed(g.list, nil, zeroPolicy)
	r := goRead(f, "1s1")
	<-g.started
	g.release <- nil
	if got := <-r; got.err == nil || got.err.Error() != "boom" || got.ok {
		t.Fatalf("read: %+v, want the list's error", got)
	}
}

func TestFeedReadEndsWithItsContext(t *testing.T) {
	g := newGatedList()
	f := newFeed(g.list, nil, zeroPolicy)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, _, err := f.read(ctx, "1st1", "1s1")
		done <- err
	}()
	<-g.started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("read after cancel: %v", err)
	}
	g.release <- nil // the list itself finishes on the poller's own context
}

func TestFeedPaceBacksOffOnlyAfterQuiet(t *testing.T) {
	policy := FeedPolicy{Tick: 100 * time.Millisecond, Max: time.Second, Factor: 2, Quiet: 3 * time.Second}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &stackPoll{interval: policy.Tick, active: t0}
	steps := []struct {
		at      time.Duration
		changed bool
		want    time.Duration
	}{
		{0, true, 100 * time.Millisecond},                // first look: a change
		{time.Second, false, 100 * time.Millisecond},     // unchanged, but within Quiet
		{3 * time.Second, false, 200 * time.Millisecond}, // quiet for 3 s: back off
		{3200 * time.Millisecond, false, 400 * time.Millisecond},
		{3600 * time.Millisecond, false, 800 * time.Millisecond},
		{4400 * time.Millisecond, false, time.Second},           // capped at Max
		{5400 * time.Millisecond, true, 100 * time.Millisecond}, // a change: back to the tick
	}
	for _, s := range steps {
		p.pace(policy, s.changed, t0.Add(s.at))
		if p.interval != s.want {
			t.Errorf("at %v changed=%v: interval %v, want %v", s.at, s.changed, p.interval, s.want)
		}
	}
}

func TestFeedKickReturnsToTheTick(t *testing.T) {
	f := newFeed(nil, nil, FeedPolicy{Tick: 100 * time.Millisecond, Max: time.Second, Factor: 2, Quiet: time.Second})
	p := f.poll("1st1")
	p.interval = time.Second
	f.kick("1st1")
	if p.interval != 100*time.Millisecond {
		t.Fatalf("after a kick: interval %v", p.interval)
	}
	select {
	case <-p.wake:
	default:
		t.Fatal("a kick must wake a sleeping poller")
	}
}

func TestChangedIgnoresProgressOnlyFields(t *testing.T) {
	p := &stackPoll{}
	a := svcState("1s1", "upgrading", "yes")
	if !p.changed([]resources.Service{a}) {
		t.Error("a service seen for the first time is a change")
	}
	b := a
	b.TransitioningMessage, b.CurrentScale, b.HealthState = "batch 2 of 5", 7, "degraded"
	if p.changed([]resources.Service{b}) {
		t.Error("progress fields counted as a change")
	}
	other := svcState("1s2", "active", "no")
	p.changed([]resources.Service{a, other})
	if p.changed([]resources.Service{a}) {
		t.Error("a round without 1s2 (a read of 1s1 alone) counted as a change")
	}
	c := a
	c.State, c.Transitioning = "upgraded", "no"
	if !p.changed([]resources.Service{c}) {
		t.Error("a state change was not seen")
	}
}

func TestFeedReadsByIDNoMoreServicesThanAListCostsRequests(t *testing.T) {
	if byIDUpTo(0) != 1 || byIDUpTo(100) != 1 || byIDUpTo(101) != 2 || byIDUpTo(500) != 5 {
		t.Errorf("byIDUpTo: %d %d %d %d", byIDUpTo(0), byIDUpTo(100), byIDUpTo(101), byIDUpTo(500))
	}
	var gets atomic.Int32
	get := func(_ context.Context, id string) (*resources.Service, error) {
		gets.Add(1)
		s := svcState(id, "active", "no")
		return &s, nil
	}
	lists := 0
	list := func(context.Context, string) ([]resources.Service, error) { lists++; return nil, nil }
	f := newFeed(list, get, zeroPolicy)
	got, err := f.fetch(context.Background(), "1st1", map[string]bool{"1s1": true, "1s2": true, "1s3": true}, 5)
	if err != nil || len(got) != 3 || gets.Load() != 3 || lists != 0 {
		t.Errorf("3 awaited of a 5-page stack: %d services, %d gets, %d lists (%v); want 3 reads by id", len(got), gets.Load(), lists, err)
	}
	if _, err := f.fetch(context.Background(), "1st1", map[string]bool{"1s1": true, "1s2": true}, 1); err != nil || lists != 1 || gets.Load() != 3 {
		t.Errorf("2 awaited of a 1-page stack: %d lists, %d gets; want the list", lists, gets.Load())
	}
}

func TestFeedReadsTheOnlyWaitedServiceByID(t *testing.T) {
	g := newGatedList()
	var gets []string
	get := func(_ context.Context, id string) (*resources.Service, error) {
		gets = append(gets, id)
		s := svcState(id, "upgraded", "no")
		return &s, nil
	}
	f := newFeed(g.list, get, zeroPolicy)
	s, ok, err := f.read(context.Background(), "1st1", "1s7")
	if err != nil || !ok || s.State != "upgraded" {
		t.Fatalf("read: %+v %v %v", s, ok, err)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(gets) != 1 || gets[0] != "1s7" || g.calls != 0 {
		t.Errorf("gets %v, lists %d: want one read by id and no list", gets, g.calls)
	}
}
