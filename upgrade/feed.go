package upgrade

import (
	"context"
	"sync"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// FeedPolicy paces the stack-wide service poller: one list every Tick while something changed (or was
// changed by us) within Quiet, then each interval multiplied by Factor, at most Max.
type FeedPolicy struct {
	Tick   time.Duration
	Max    time.Duration
	Factor float64
	Quiet  time.Duration
}

// DefaultFeedPolicy polls a stack every 75 ms while it moves: one request per tick answers every service
// being waited on, so a service that turns active is seen about 40 ms late on average, at 13 requests a
// second per stack (the per-service polls it replaces sent 10 a second per service). After 1 s without
// a change of state or a change of ours it backs off to one list a second, as a long upgrade needs.
var DefaultFeedPolicy = FeedPolicy{Tick: 75 * time.Millisecond, Max: time.Second, Factor: 1.5, Quiet: time.Second}

// listTimeout bounds one list of the poller, which runs on behalf of many waiters and so under none of
// their contexts' cancellations.
const listTimeout = 2 * time.Minute

// feed answers concurrent reads of services of one stack with one list of the stack per tick. A read is
// answered by the first list SENT after the read began, so it never returns a state older than the call
// (what a settle after an action needs). A round that only one service waits for reads that service by
// id instead: the same one request, without the whole stack (one service upgraded in a big stack).
type feed struct {
	list   func(ctx context.Context, stackID string) ([]resources.Service, error)
	get    func(ctx context.Context, id string) (*resources.Service, error)
	policy FeedPolicy
	now    func() time.Time

	mu     sync.Mutex
	stacks map[string]*stackPoll
}

// round is one list of a stack: every read that subscribed before it was sent.
type round struct {
	readers int             // reads answered by this round
	ids     map[string]bool // the services they read
	done    chan struct{}
	byID    map[string]*resources.Service
	err     error
}

// stackPoll is the poller of one stack. Its fields are guarded by feed.mu.
type stackPoll struct {
	pending  *round // the round the next list answers; nil when no read waits
	running  bool
	wake     chan struct{} // a kick shortens a long interval
	interval time.Duration
	active   time.Time         // the last change seen, or kick
	states   map[string]string // per service id, the state last seen (see stateOf)
	lists    int
	listed   int // services in the last whole list: how many pages a list costs
}

func newFeed(list func(context.Context, string) ([]resources.Service, error), get func(context.Context, string) (*resources.Service, error), policy FeedPolicy) *feed {
	return &feed{list: list, get: get, policy: policy, now: time.Now, stacks: map[string]*stackPoll{}}
}

// read returns the service as the next list of its stack shows it. ok is false when the list does not
// hold it (removed, or on another page than the API returned): the caller then reads it by id.
func (f *feed) read(ctx context.Context, stackID, id string) (svc *resources.Service, ok bool, err error) {
	r := f.subscribe(ctx, stackID, id)
	select {
	case <-ctx.Done():
		return nil, false, ctx.Err()
	case <-r.done:
	}
	if r.err != nil {
		return nil, false, r.err
	}
	svc, ok = r.byID[id]
	return svc, ok, nil
}

// kick tells the poller that a service of the stack was just changed: poll at the base tick again.
func (f *feed) kick(stackID string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.poll(stackID)
	p.active, p.interval = f.now(), f.policy.Tick
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

func (f *feed) poll(stackID string) *stackPoll {
	p := f.stacks[stackID]
	if p == nil {
		p = &stackPoll{wake: make(chan struct{}, 1), interval: f.policy.Tick, active: f.now()}
		f.stacks[stackID] = p
	}
	return p
}

func (f *feed) subscribe(ctx context.Context, stackID, id string) *round {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.poll(stackID)
	if p.pending == nil {
		p.pending = &round{done: make(chan struct{}), ids: map[string]bool{}}
	}
	r := p.pending
	r.readers++
	r.ids[id] = true
	if !p.running {
		p.running = true
		go f.loop(context.WithoutCancel(ctx), stackID, p)
	}
	return r
}

// loop sends one request per interval while reads wait, and ends when none does.
func (f *feed) loop(ctx context.Context, stackID string, p *stackPoll) {
	for {
		f.mu.Lock()
		r := p.pending
		if r == nil {
			p.running = false
			f.mu.Unlock()
			return
		}
		p.pending = nil
		p.lists++
		f.mu.Unlock()
		sent := f.now()
		lctx, cancel := context.WithTimeout(ctx, listTimeout)
		upTo := byIDUpTo(p.listed)
		list, err := f.fetch(lctx, stackID, r.ids, upTo)
		cancel()
		r.byID, r.err = index(list), err
		close(r.done)
		f.mu.Lock()
		if err == nil && (len(r.ids) > upTo || f.get == nil) {
			p.listed = len(list) // a whole list
		}
		p.pace(f.policy, err == nil && p.changed(list), f.now())
		f.mu.Unlock()
		f.waitNext(p, sent)
	}
}

// pageSize is the API's default page: a list of n services costs ceil(n/pageSize) requests.
const pageSize = 100

// byIDUpTo is how many services a round reads by id rather than listing the stack: as many as the list
// would cost requests (one for a stack not listed yet), so reading by id never sends more requests, and
// receives only the services still awaited instead of the whole stack.
func byIDUpTo(listed int) int { return max(1, (listed+pageSize-1)/pageSize) }

// fetch lists the stack, or reads by id the few services the round is for (concurrently).
func (f *feed) fetch(ctx context.Context, stackID string, ids map[string]bool, upTo int) ([]resources.Service, error) {
	if len(ids) > upTo || f.get == nil {
		return f.list(ctx, stackID)
	}
	out := make([]resources.Service, 0, len(ids))
	var mu sync.Mutex
	var wg sync.WaitGroup
	var firstErr error
	for id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := f.get(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && firstErr == nil {
				firstErr = err
			}
			if err == nil && s != nil {
				out = append(out, *s)
			}
		}()
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

// waitNext sleeps until the interval after sent has passed; a kick during a long interval cuts it to a tick.
func (f *feed) waitNext(p *stackPoll, sent time.Time) {
	for {
		f.mu.Lock()
		left := sent.Add(p.interval).Sub(f.now())
		f.mu.Unlock()
		if left <= 0 {
			return
		}
		t := time.NewTimer(left)
		select {
		case <-t.C:
			return
		case <-p.wake:
			t.Stop()
		}
	}
}

// changed records the state of each service read and tells whether any differs from the last one seen
// (a service seen for the first time counts as a change).
func (p *stackPoll) changed(list []resources.Service) bool {
	if p.states == nil {
		p.states = map[string]string{}
	}
	changed := false
	for _, s := range list {
		st := stateOf(s)
		if prev, ok := p.states[s.Id]; !ok || prev != st {
			p.states[s.Id], changed = st, true
		}
	}
	return changed
}

// pace sets the next interval: the base tick while the stack changes, longer after Quiet without change.
func (p *stackPoll) pace(policy FeedPolicy, changed bool, now time.Time) {
	if changed {
		p.active, p.interval = now, policy.Tick
		return
	}
	if now.Sub(p.active) < policy.Quiet {
		return
	}
	next := time.Duration(float64(p.interval) * max(policy.Factor, 1))
	p.interval = max(min(next, policy.Max), policy.Tick)
}

func index(list []resources.Service) map[string]*resources.Service {
	out := make(map[string]*resources.Service, len(list))
	for i := range list {
		out[list[i].Id] = &list[i]
	}
	return out
}

// stateOf is what counts as a change of a service for pacing. Progress messages, the current scale and the
// health state are left out: they change with every batch of a long upgrade, which should not keep the
// poller at its tick.
func stateOf(s resources.Service) string {
	return s.State + "\x00" + s.Transitioning
}
