package upgrade

import (
	"context"
	"sync"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// FeedPolicy paces the reads of each awaited service: every Tick during the first Quiet after this client
// changed the service (most transitions are short, and a deploy's chain waits on each), then each interval
// multiplied by Factor, at most Max; each counted from the previous answer.
type FeedPolicy struct {
	Tick   time.Duration
	Max    time.Duration
	Factor float64
	Quiet  time.Duration
}

// DefaultFeedPolicy reads a service every 75 ms during the first second after this client changed it, then
// every 150 ms after each answer: the original's pace (a 150 ms sleep, then a GET), so a long transition
// costs about as many reads of the service as the original's and is seen as soon, and a short one is seen
// sooner than the original would.
var DefaultFeedPolicy = FeedPolicy{Tick: 75 * time.Millisecond, Max: 150 * time.Millisecond, Factor: 2, Quiet: time.Second}

// listTimeout bounds one round of the poller, which runs on behalf of many waiters and so under none of
// their contexts' cancellations.
const listTimeout = 2 * time.Minute

// maxGets bounds the reads by id one round sends at once (services that settled together are many).
const maxGets = 32

// feed answers concurrent reads of services of one stack. A read is answered by the first read of its
// service SENT after the read began, so it never returns a state older than the call (what a settle after
// an action needs). Each round reads the services due (see FeedPolicy) either by id or, when that costs
// fewer bytes, with one list of the stack's services in a transition (moving, see listMoving): the list
// answers every waited service it holds, and a waited service missing from it has settled and is read by
// id once. Settled services are never listed, so a round costs what moves, not the whole stack.
type feed struct {
	// listMoving lists the stack's services in a transitional state; listed counts every service the
	// answer held, including any left out of moving (which the bytes of the next list depend on).
	listMoving func(ctx context.Context, stackID string) (moving []resources.Service, listed int, err error)
	get        func(ctx context.Context, id string) (*resources.Service, error)
	policy     FeedPolicy
	now        func() time.Time

	mu     sync.Mutex
	stacks map[string]*stackPoll
}

// waiter is one read waiting for an answer.
type waiter struct {
	done chan struct{}
	svc  *resources.Service
	err  error
}

// servicePace is when a service is read next.
type servicePace struct {
	due      time.Time
	interval time.Duration
	moving   bool      // in a transition when last seen
	fast     time.Time // read every Tick until then (Quiet after this client changed it)
}

// stackPoll is the poller of one stack. Its fields are guarded by feed.mu.
type stackPoll struct {
	waiting  map[string][]*waiter // per service id, the reads not answered yet
	pace     map[string]*servicePace
	moving   map[string]bool // the services believed in a transition (what a list of the moving ones returns)
	unseen   int             // services of the last list that this client has not seen whole
	nextList time.Time       // when the next list may be sent (one per Max)
	running  bool
	wake     chan struct{} // a new read or a kick may make a service due earlier
}

func newFeed(listMoving func(context.Context, string) ([]resources.Service, int, error), get func(context.Context, string) (*resources.Service, error), policy FeedPolicy) *feed {
	return &feed{listMoving: listMoving, get: get, policy: policy, now: time.Now, stacks: map[string]*stackPoll{}}
}

// read returns the service as the first read of it sent after the call shows it.
func (f *feed) read(ctx context.Context, stackID, id string) (*resources.Service, error) {
	w := f.subscribe(ctx, stackID, id)
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-w.done:
	}
	return w.svc, w.err
}

// kick tells the poller that this client just changed the service: read it one Tick from now (sooner is
// pointless, its answer just came), and every Tick during the next Quiet.
func (f *feed) kick(stackID string, s *resources.Service) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.poll(stackID)
	now := f.now()
	sp := p.paceOf(s.Id, now, f.policy.Tick)
	sp.due, sp.interval, sp.fast = now.Add(f.policy.Tick), f.policy.Tick, now.Add(f.policy.Quiet)
	p.see(s)
	p.signal()
}

func (f *feed) poll(stackID string) *stackPoll {
	p := f.stacks[stackID]
	if p == nil {
		p = &stackPoll{waiting: map[string][]*waiter{}, pace: map[string]*servicePace{}, moving: map[string]bool{},
			wake: make(chan struct{}, 1)}
		f.stacks[stackID] = p
	}
	return p
}

// paceOf returns the pace of a service, a new one due now when the service was never read nor changed.
func (p *stackPoll) paceOf(id string, now time.Time, tick time.Duration) *servicePace {
	sp := p.pace[id]
	if sp == nil {
		sp = &servicePace{due: now, interval: tick}
		p.pace[id] = sp
	}
	return sp
}

func (p *stackPoll) signal() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// see records whether a service read or changed is in a transition.
func (p *stackPoll) see(s *resources.Service) {
	m := moving(s)
	if sp := p.pace[s.Id]; sp != nil {
		sp.moving = m
	}
	if m {
		p.moving[s.Id] = true
	} else {
		delete(p.moving, s.Id)
	}
}

func (f *feed) subscribe(ctx context.Context, stackID, id string) *waiter {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.poll(stackID)
	w := &waiter{done: make(chan struct{})}
	p.waiting[id] = append(p.waiting[id], w)
	p.paceOf(id, f.now(), f.policy.Tick)
	if !p.running {
		p.running = true
		go f.loop(context.WithoutCancel(ctx), stackID, p)
	} else {
		p.signal()
	}
	return w
}

// loop sends a round whenever a waited service is due, and ends when no read waits.
func (f *feed) loop(ctx context.Context, stackID string, p *stackPoll) {
	for {
		f.mu.Lock()
		if len(p.waiting) == 0 {
			p.running = false
			f.mu.Unlock()
			return
		}
		due, next := p.due(f.now())
		if len(due) == 0 {
			f.mu.Unlock()
			f.sleepUntil(p, next)
			continue
		}
		batch := p.waiting
		p.waiting = map[string][]*waiter{}
		r := f.plan(p, f.now(), due, batch)
		f.mu.Unlock()
		rctx, cancel := context.WithTimeout(ctx, listTimeout)
		f.fetch(rctx, stackID, p, r)
		cancel()
		f.mu.Lock()
		f.answer(p, batch, r)
		f.mu.Unlock()
	}
}

// due returns the waited services due at now, or else when the first one will be.
func (p *stackPoll) due(now time.Time) (ids []string, next time.Time) {
	for id := range p.waiting {
		sp := p.pace[id]
		if !sp.due.After(now) {
			ids = append(ids, id)
		} else if next.IsZero() || sp.due.Before(next) {
			next = sp.due
		}
	}
	return ids, next
}

// sleepUntil waits until t, or until a new read or a kick may have changed what is due.
func (f *feed) sleepUntil(p *stackPoll, t time.Time) {
	timer := time.NewTimer(t.Sub(f.now()))
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-p.wake:
	}
}

// round is one round's reads and what they returned.
type round struct {
	list    bool     // list the moving services first
	byID    []string // read by id (with a list: only those the list does not hold, see fetch)
	waited  map[string]bool
	got     map[string]*resources.Service
	inList  map[string]bool // the services got from the list
	errs    map[string]error
	listErr error
	listed  int
}

// plan chooses how to read the services due: by id, or with one list of the moving services when that is
// expected to cost fewer bytes (listCost, byIDCost) than reading by id, within one Max, every waited service
// that moves (whether or not its next read has begun yet). A list answers every moving service it holds, due
// or not, so at most one is sent per Max: the services it holds are all due again when the next one may be
// sent, and it answers them together.
func (f *feed) plan(p *stackPoll, now time.Time, due []string, batch map[string][]*waiter) *round {
	r := &round{byID: due, waited: map[string]bool{}}
	for id := range batch {
		r.waited[id] = true
	}
	dueMoving, waitedMoving := 0, 0
	for _, id := range due {
		if p.pace[id].moving {
			dueMoving++
		}
	}
	for _, sp := range p.pace {
		if sp.moving {
			waitedMoving++
		}
	}
	r.list = f.listMoving != nil && !now.Before(p.nextList) && dueMoving > 0 &&
		listCost(len(p.moving)+p.unseen) < byIDCost(waitedMoving)
	return r
}

// fetch sends the round's reads. With a list, the services read by id are those due or waited for that
// the list does not hold: due ones settled since, and waited ones seen in a transition before (the list
// says the transition ended: read the settled service now rather than at its due time).
func (f *feed) fetch(ctx context.Context, stackID string, p *stackPoll, r *round) {
	r.got, r.errs = map[string]*resources.Service{}, map[string]error{}
	ids := r.byID
	if r.list {
		list, listed, err := f.listMoving(ctx, stackID)
		if err != nil {
			r.listErr = err
			return
		}
		r.listed, r.inList = listed, map[string]bool{}
		for i := range list {
			r.got[list[i].Id], r.inList[list[i].Id] = &list[i], true
		}
		ids = f.settledSince(p, r)
	}
	f.getAll(ctx, ids, r)
}

// settledSince returns the services to read by id after a list: due or seen moving, and not in the list.
func (f *feed) settledSince(p *stackPoll, r *round) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	want := map[string]bool{}
	for _, id := range r.byID {
		want[id] = true
	}
	for id := range r.waited {
		if p.pace[id].moving {
			want[id] = true
		}
	}
	var ids []string
	for id := range want {
		if r.got[id] == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// getAll reads services by id, at most maxGets at once.
func (f *feed) getAll(ctx context.Context, ids []string, r *round) {
	var mu sync.Mutex
	var wg sync.WaitGroup
	slots := make(chan struct{}, maxGets)
	for _, id := range ids {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			s, err := f.get(ctx, id)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				r.errs[id] = err
			} else {
				r.got[id] = s
			}
		}()
	}
	wg.Wait()
}

// answer hands each waiter of the round its service (or error), records what the round saw, and puts back
// the reads it did not answer (services neither due nor moving).
func (f *feed) answer(p *stackPoll, batch map[string][]*waiter, r *round) {
	now := f.now()
	if r.list && r.listErr == nil {
		p.moving, p.unseen, p.nextList = map[string]bool{}, r.listed-len(r.inList), now.Add(f.policy.Max)
		for id := range r.inList {
			p.moving[id] = true
		}
		for id, sp := range p.pace {
			switch {
			case r.inList[id] && !now.Before(sp.fast): // read now, and with the others at the next list (even if its waiter is late)
				sp.due, sp.interval = p.nextList, f.policy.Max
			case r.got[id] == nil:
				sp.moving = false // settled, as the list shows
			}
		}
	}
	for _, s := range r.got {
		p.see(s)
	}
	for id, ws := range batch {
		s, err := r.got[id], r.errs[id]
		if r.listErr != nil {
			err = r.listErr
		}
		if s == nil && err == nil {
			p.waiting[id] = append(ws, p.waiting[id]...)
			continue
		}
		for _, w := range ws {
			w.svc, w.err = s, err
			close(w.done)
		}
		if sp := p.pace[id]; !r.inList[id] || now.Before(sp.fast) {
			f.next(sp, now)
		}
	}
}

// next sets when a service just read is read again: a Tick from now during its Quiet, else after its
// interval grown by Factor.
func (f *feed) next(sp *servicePace, now time.Time) {
	if now.Before(sp.fast) {
		sp.due, sp.interval = now.Add(f.policy.Tick), f.policy.Tick
		return
	}
	sp.interval = f.policy.grow(sp.interval)
	sp.due = now.Add(sp.interval)
}

// grow returns the interval after d: d times Factor, between Tick and Max.
func (policy FeedPolicy) grow(d time.Duration) time.Duration {
	return max(min(time.Duration(float64(d)*max(policy.Factor, 1)), policy.Max), policy.Tick)
}

// Expected bytes of a round, from the simulator's answers (which render services and collections as
// Cattle does): a service of a small compose file, the fields of a collection besides its items (links,
// sortLinks and filters of every filter of the type: about a service's worth), and an answer's headers.
// A request also counts requestWeight bytes, so that a few bytes do not buy many more requests.
const (
	serviceBytes  = 2600
	envelopeBytes = 2300
	headerBytes   = 320
	requestWeight = 512
	pageSize      = 100 // the API's default page
)

// listCost is the expected cost of listing n services.
func listCost(n int) int {
	pages := max(1, (n+pageSize-1)/pageSize)
	return pages*(envelopeBytes+headerBytes+requestWeight) + n*serviceBytes
}

// byIDCost is the expected cost of reading n services by id.
func byIDCost(n int) int { return n * (serviceBytes + headerBytes + requestWeight) }

// settledStates are the service states no transition is under way in: a list of the stack's services
// excluding them holds only services that move (and, rarely, one in a state this client does not know,
// which costs bytes but no mistake: what it answers is read, not assumed).
var settledStates = []string{stateActive, stateInactive, stateUpgraded, "canceled-upgrade"}

// moving tells whether a service is in a transition, as a list excluding settledStates sees it.
func moving(s *resources.Service) bool {
	for _, st := range settledStates {
		if s.State == st {
			return false
		}
	}
	return true
}
