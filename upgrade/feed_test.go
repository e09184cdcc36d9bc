package upgrade

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// fakeStack is a stack of services behind a feed: lists of the moving ones and reads by id, counted. A
// gate, when set, holds every request until the test releases it.
type fakeStack struct {
	mu       sync.Mutex
	services map[string]resources.Service
	lists    int
	gets     []string
	listErr  error
	gate     chan struct{} // nil: answer at once
	listGate chan struct{} // nil: answer lists at once
	started  chan string   // receives "list" or the id of each request as it starts, when not nil
}

func newFakeStack(services ...resources.Service) *fakeStack {
	s := &fakeStack{services: map[string]resources.Service{}}
	for _, svc := range services {
		s.services[svc.Id] = svc
	}
	return s
}

func (s *fakeStack) set(svc resources.Service) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.services[svc.Id] = svc
}

func (s *fakeStack) hold(what string) {
	if s.started != nil {
		s.started <- what
	}
	if s.gate != nil {
		<-s.gate
	}
}

// listMoving and get answer with the services as they were when the request was sent.
func (s *fakeStack) listMoving(context.Context, string) ([]resources.Service, int, error) {
	s.mu.Lock()
	s.lists++
	err := s.listErr
	var out []resources.Service
	for _, svc := range s.services {
		if moving(&svc) {
			out = append(out, svc)
		}
	}
	s.mu.Unlock()
	s.hold("list")
	if s.listGate != nil {
		<-s.listGate
	}
	if err != nil {
		return nil, 0, err
	}
	return out, len(out), nil
}

func (s *fakeStack) get(_ context.Context, id string) (*resources.Service, error) {
	s.mu.Lock()
	s.gets = append(s.gets, id)
	svc, ok := s.services[id]
	s.mu.Unlock()
	s.hold(id)
	if !ok {
		return nil, errors.New("not found: " + id)
	}
	return &svc, nil
}

func (s *fakeStack) counts() (lists int, gets []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := append([]string(nil), s.gets...)
	sort.Strings(g)
	return s.lists, g
}

func svcState(id, state, transitioning string) resources.Service {
	s := resources.Service{State: state, Transitioning: transitioning, StackId: "1st1"}
	s.Id = id
	return s
}

// zeroPolicy reads a service again as soon as a read of it waits, so that the tests depend on no timer.
var zeroPolicy = FeedPolicy{Tick: 0, Max: 0, Factor: 1}

type readResult struct {
	svc *resources.Service
	err error
}

func goRead(f *feed, id string) chan readResult {
	out := make(chan readResult, 1)
	go func() {
		s, err := f.read(context.Background(), "1st1", id)
		out <- readResult{s, err}
	}()
	return out
}

// waitWaiting waits until the stack's poller holds n unanswered reads.
func waitWaiting(t *testing.T, f *feed, n int) {
	t.Helper()
	for i := 0; i < 10000; i++ {
		f.mu.Lock()
		got := 0
		if p := f.stacks["1st1"]; p != nil {
			for _, ws := range p.waiting {
				got += len(ws)
			}
		}
		f.mu.Unlock()
		if got == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("the poller never held %d reads", n)
}

func TestFeedAnswersAReadOnlyWithAReadSentAfterIt(t *testing.T) {
	st := newFakeStack(svcState("1s1", "activating", "yes"))
	st.gate, st.started = make(chan struct{}), make(chan string, 4)
	f := newFeed(st.listMoving, st.get, zeroPolicy)
	first := goRead(f, "1s1")
	<-st.started
	// This read begins while the first read by id is in flight: that read may predate a change the caller
	// just made, so it must not answer it.
	later := goRead(f, "1s1")
	waitWaiting(t, f, 1)
	st.set(svcState("1s1", "active", "no"))
	st.gate <- struct{}{}
	if r := <-first; r.err != nil || r.svc.State != "activating" {
		t.Fatalf("first read: %+v", r)
	}
	<-st.started
	st.gate <- struct{}{}
	if r := <-later; r.err != nil || r.svc.State != "active" {
		t.Fatalf("second read: %+v, want the state of a read sent after it began", r)
	}
	if lists, gets := st.counts(); lists != 0 || len(gets) != 2 {
		t.Errorf("lists %d, gets %v: want two reads by id of the one waited service", lists, gets)
	}
}

// kickAll records services as just changed by this client, and makes them due at once.
func kickAll(f *feed, services ...resources.Service) {
	for i := range services {
		f.kick("1st1", &services[i])
	}
}

func TestFeedListsTheMovingServicesWhenManyAreDueAndReadsTheSettledOnesByID(t *testing.T) {
	var all []resources.Service
	for _, id := range []string{"1s1", "1s2", "1s3", "1s4", "1s5", "1s6"} {
		all = append(all, svcState(id, "activating", "yes"))
	}
	st := newFakeStack(append(all, svcState("1s7", "active", "no"), svcState("1s8", "inactive", "no"))...)
	f := newFeed(st.listMoving, st.get, zeroPolicy)
	kickAll(f, all...)
	st.set(svcState("1s6", "active", "no")) // settled since the action: the list no longer holds it
	reads := readAllAtOnce(t, f, all)
	for i, ch := range reads {
		r := <-ch
		want := "activating"
		if all[i].Id == "1s6" {
			want = "active"
		}
		if r.err != nil || r.svc.State != want {
			t.Errorf("read of %s: %+v, want %s", all[i].Id, r, want)
		}
	}
	if lists, gets := st.counts(); lists != 1 || strings.Join(gets, " ") != "1s6" {
		t.Errorf("lists %d, gets %v: want one list of the moving services, and the settled 1s6 by id", lists, gets)
	}
}

func TestFeedReadsAFewDueServicesByID(t *testing.T) {
	a, b := svcState("1s1", "upgrading", "yes"), svcState("1s2", "upgrading", "yes")
	st := newFakeStack(a, b, svcState("1s3", "active", "no"))
	f := newFeed(st.listMoving, st.get, zeroPolicy)
	kickAll(f, a, b)
	ra, rb := goRead(f, "1s1"), goRead(f, "1s2")
	if r := <-ra; r.err != nil || r.svc.State != "upgrading" {
		t.Fatalf("read 1s1: %+v", r)
	}
	if r := <-rb; r.err != nil || r.svc.State != "upgrading" {
		t.Fatalf("read 1s2: %+v", r)
	}
	if lists, gets := st.counts(); lists != 0 || len(gets) != 2 {
		t.Errorf("lists %d, gets %v: want two reads by id (a list would cost its envelope on top)", lists, gets)
	}
}

func TestFeedPassesTheListErrorToEveryReadOfTheRound(t *testing.T) {
	var all []resources.Service
	for _, id := range []string{"1s1", "1s2", "1s3", "1s4", "1s5"} {
		all = append(all, svcState(id, "activating", "yes"))
	}
	st := newFakeStack(all...)
	st.listErr = errors.New("boom")
	f := newFeed(st.listMoving, st.get, zeroPolicy)
	kickAll(f, all...)
	for _, ch := range readAllAtOnce(t, f, all) {
		if r := <-ch; r.err == nil || r.err.Error() != "boom" {
			t.Errorf("read: %+v, want the list's error", r)
		}
	}
}

func TestFeedReadEndsWithItsContext(t *testing.T) {
	st := newFakeStack(svcState("1s1", "activating", "yes"))
	st.gate, st.started = make(chan struct{}), make(chan string, 1)
	f := newFeed(st.listMoving, st.get, zeroPolicy)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := f.read(ctx, "1st1", "1s1")
		done <- err
	}()
	<-st.started
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("read after cancel: %v", err)
	}
	close(st.gate) // the read itself finishes on the poller's own context
}

// With the default policy a service is read every 75 ms during the first second after this client changed
// it, then every 150 ms: the original's pace.
func TestFeedPacesEachServiceFromTheTickToMax(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	f := newFeed(nil, nil, DefaultFeedPolicy)
	f.now = func() time.Time { return now }
	s := svcState("1s1", "upgrading", "yes")
	f.kick("1st1", &s)
	p := f.stacks["1st1"]
	var gaps []time.Duration
	last := now
	for i := 0; i < 16; i++ {
		now = p.pace["1s1"].due
		gaps = append(gaps, now.Sub(last))
		last = now
		p.seq++
		p.waiting["1s1"] = []*waiter{{done: make(chan struct{}), seq: p.seq}}
		p.seq++
		f.gotByID(p, "1s1", &s, nil, p.seq, now)
	}
	tick, max := 75*time.Millisecond, 150*time.Millisecond
	want := []time.Duration{tick, tick, tick, tick, tick, tick, tick, tick, tick, tick, tick, tick, tick, tick, max, max}
	for i := range want {
		if gaps[i] != want[i] {
			t.Errorf("reads at gaps %v, want %v", gaps, want)
			break
		}
	}
	f.kick("1st1", &s)
	if got := p.pace["1s1"].due.Sub(now); got != tick {
		t.Errorf("after a kick the next read is due in %v, want the tick", got)
	}
}

// A list answers a service this client changed within Quiet without slowing it to the list's pace; one
// changed longer ago is next read at the slow pace (Max, or an eighth of its transition so far, at most
// longMax).
func TestFeedListKeepsRecentlyChangedServicesAtTheTick(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := t0
	st := newFakeStack()
	f := newFeed(st.listMoving, st.get, DefaultFeedPolicy)
	f.now = func() time.Time { return now }
	recent, older := svcState("1s1", "activating", "yes"), svcState("1s2", "upgrading", "yes")
	f.kick("1st1", &older)
	now = t0.Add(2 * time.Second)
	f.kick("1st1", &recent)
	p := f.stacks["1st1"]
	p.waiting["1s1"], p.waiting["1s2"] = []*waiter{{done: make(chan struct{}), seq: p.seq}}, []*waiter{{done: make(chan struct{}), seq: p.seq}}
	p.seq++
	l := &listing{seq: p.seq, expect: map[string]bool{"1s1": true, "1s2": true}}
	f.gotList(p, l, []resources.Service{recent, older}, 2, nil)
	if len(p.waiting) != 0 {
		t.Errorf("reads left waiting after the list: %v", p.waiting)
	}
	if got := p.pace["1s1"].due.Sub(now); got != DefaultFeedPolicy.Tick {
		t.Errorf("recently changed: next read in %v, want the tick", got)
	}
	if got := p.pace["1s2"].due.Sub(now); got != 250*time.Millisecond {
		t.Errorf("changed 2 s ago: next read in %v, want an eighth of its transition so far", got)
	}
}

// The choice of a round by expected bytes: reading by id sends one service per request, a list adds its
// envelope once and holds every moving service, due or not, waited or not; at most one list per Max.
func TestFeedPlansAListOnlyWhenItIsExpectedToCostLess(t *testing.T) {
	cases := []struct {
		moving, ours, waiting, due, dueSettled int
		listedRecently, listedTickAgo          bool
		list                                   bool
	}{
		{moving: 1, ours: 1, waiting: 1, due: 1, list: false},
		{moving: 3, ours: 3, waiting: 3, due: 3, list: false},
		{moving: 4, ours: 4, waiting: 4, due: 4, list: true},
		{moving: 50, ours: 50, waiting: 50, due: 50, list: true},
		{moving: 50, ours: 50, waiting: 50, due: 1, list: true},                        // the list answers the 49 others now, and aligns them
		{moving: 50, ours: 50, waiting: 20, due: 20, list: true},                       // 30 reads are late: they will join the next list
		{moving: 50, ours: 5, waiting: 5, due: 5, list: false},                         // the list would carry 45 services of no one's
		{moving: 8, ours: 8, waiting: 8, due: 0, dueSettled: 8},                        // no moving service is due: the settled ones by id
		{moving: 50, ours: 50, waiting: 50, due: 50, listedRecently: true, list: true}, // the due ones pay for it
		{moving: 50, ours: 50, waiting: 50, due: 20, listedTickAgo: true},              // not a Max ago, and 20 reads cost less
		{moving: 250, ours: 250, waiting: 250, due: 250, list: true},                   // one page (limit=1000)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range cases {
		f := newFeed(newFakeStack().listMoving, nil, DefaultFeedPolicy)
		p := f.poll("1st1")
		if c.listedRecently {
			p.listed = t0.Add(-time.Millisecond)
		} else if c.listedTickAgo {
			p.listed = t0.Add(-DefaultFeedPolicy.Tick)
		}
		var due []string
		batch := map[string][]*waiter{}
		for i := 0; i < c.moving; i++ {
			id := fmt.Sprintf("1s%d", i)
			p.moving[id] = true
			if i < c.ours {
				p.pace[id] = &servicePace{moving: true}
			}
			if i < c.waiting {
				batch[id] = []*waiter{{}}
			}
			if i < c.due {
				due = append(due, id)
			}
		}
		for i := 0; i < c.dueSettled; i++ {
			id := fmt.Sprintf("1x%d", i)
			p.pace[id], batch[id] = &servicePace{}, []*waiter{{}}
			due = append(due, id)
		}
		if got := f.listPays(p, t0, due, nil); got != c.list {
			t.Errorf("%+v: list=%v", c, got)
		}
	}
}

// A list answers the waited services it holds, due or not; a waited service it does not hold is read by id
// when it was moving (it just settled), and otherwise waits for its due time.
func TestFeedListRoundReadsJustSettledServicesAndLeavesOthersWaiting(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	st := newFakeStack(svcState("1s1", "activating", "yes"), svcState("1s2", "active", "no"), svcState("1s3", "active", "no"))
	f := newFeed(st.listMoving, st.get, DefaultFeedPolicy)
	f.now = func() time.Time { return t0 }
	p := f.poll("1st1")
	p.running = true                                                                             // no loop: the test sends the requests
	p.pace["1s1"] = &servicePace{due: t0.Add(time.Second), interval: time.Second, moving: true}  // not due, moving
	p.pace["1s2"] = &servicePace{due: t0.Add(time.Second), interval: time.Second, moving: true}  // not due, was moving
	p.pace["1s3"] = &servicePace{due: t0.Add(time.Second), interval: time.Second, moving: false} // not due, settled
	p.moving["1s1"], p.moving["1s2"] = true, true
	reads := map[string]chan readResult{}
	for _, id := range []string{"1s1", "1s2", "1s3"} {
		reads[id] = goRead(f, id)
	}
	waitWaiting(t, f, 3)
	f.mu.Lock()
	f.sendList(context.Background(), "1st1", p)
	f.mu.Unlock()
	if r := <-reads["1s1"]; r.err != nil || r.svc.State != "activating" {
		t.Errorf("1s1 answered %+v, want the list's copy", r)
	}
	waitWaiting(t, f, 2)
	f.mu.Lock()
	if next := f.dispatch(context.Background(), "1st1", p, t0); !next.Equal(t0.Add(time.Second)) {
		t.Errorf("after the list, the next read is due at %v, want 1s3's due time", next)
	}
	f.mu.Unlock()
	if r := <-reads["1s2"]; r.err != nil || r.svc.State != "active" {
		t.Errorf("1s2 answered %+v, want its settled state", r)
	}
	if lists, gets := st.counts(); lists != 1 || strings.Join(gets, " ") != "1s2" {
		t.Errorf("lists %d, gets %v: want the list, and 1s2 (settled since last seen) by id", lists, gets)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(p.waiting["1s3"]) != 1 {
		t.Errorf("1s3's read should wait for its due time: waiting %v", p.waiting)
	}
	if p.moving["1s2"] || !p.moving["1s1"] || len(p.moving) != 1 {
		t.Errorf("moving after the list: %v, want 1s1 alone", p.moving)
	}
}

// Requests do not wait for each other: while a list is in flight, a settled service that comes due is read
// by id and its waiter answered at once, and a service moving since the list was sent is read by id too.
func TestFeedAnswersReadsByIDWhileAListIsInFlight(t *testing.T) {
	var all []resources.Service
	for _, id := range []string{"1s1", "1s2", "1s3", "1s4", "1s5"} {
		all = append(all, svcState(id, "activating", "yes"))
	}
	st := newFakeStack(append(all, svcState("1s8", "inactive", "no"), svcState("1s9", "activating", "yes"))...)
	st.listGate, st.started = make(chan struct{}), make(chan string, 16)
	f := newFeed(st.listMoving, st.get, zeroPolicy)
	kickAll(f, all...)
	reads := readAllAtOnce(t, f, all)
	if got := <-st.started; got != "list" {
		t.Fatalf("first request %q, want the list of the five moving services", got)
	}
	settled := goRead(f, "1s8")
	if r := <-settled; r.err != nil || r.svc.State != "inactive" {
		t.Fatalf("read of 1s8 while the list is held: %+v", r)
	}
	later := all[4]
	later.Id = "1s9"
	kickAll(f, later) // moving since the list was sent: the list in flight does not answer it
	if r := <-goRead(f, "1s9"); r.err != nil || r.svc.State != "activating" {
		t.Fatalf("read of 1s9 while the list is held: %+v", r)
	}
	close(st.listGate)
	for i, ch := range reads {
		if r := <-ch; r.err != nil || r.svc.State != "activating" {
			t.Errorf("read of %s: %+v", all[i].Id, r)
		}
	}
	if lists, gets := st.counts(); lists != 1 || strings.Join(gets, " ") != "1s8 1s9" {
		t.Errorf("lists %d, gets %v: want one list, and 1s8 and 1s9 by id", lists, gets)
	}
}

// readAllAtOnce starts a read of each service of stack 1st1 and starts the poller's loop only once all of
// them wait, so that its first requests answer them together.
func readAllAtOnce(t *testing.T, f *feed, all []resources.Service) []chan readResult {
	t.Helper()
	f.mu.Lock()
	f.stacks["1st1"].running = true // hold the loop until every read waits
	f.mu.Unlock()
	var reads []chan readResult
	for _, s := range all {
		reads = append(reads, goRead(f, s.Id))
	}
	waitWaiting(t, f, len(all))
	go f.loop(context.Background(), "1st1", f.stacks["1st1"])
	return reads
}
