package upgrade

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
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

// requestTimeout bounds one request of the poller, which runs on behalf of many waiters and so under none
// of their contexts' cancellations.
const requestTimeout = 2 * time.Minute

// maxGets bounds the reads by id in flight at once (services that settled together are many).
const maxGets = 32

// feed answers concurrent reads of services of one stack. A read is answered by a read of its service
// SENT after the read began, so it never returns a state older than the call (what a settle after an
// action needs). Requests are sent as services come due (see FeedPolicy), without waiting for the others
// in flight: each read by id answers its service's waiters as it returns. When it costs fewer bytes than
// reading the due services by id, one list of the stack's services in a transition (moving, see
// listMoving; at most one in flight) answers every waited service it holds, and a waited service missing
// from it has settled and is read by id at once, before the others due, or with the others that left
// together in one list of the state they head for (a landing, landing.go; a wave of this client's changes
// expected to end over a while is gathered into one, gather.go). Settled services are never listed,
// so a list costs what moves, not the whole stack. Once a few of this client's changes of one kind have
// been seen to end, a service changed that way is read every fineTick around when it is expected to settle
// (settletimes.go).
type feed struct {
	// listMoving lists the stack's services in a transitional state; listed counts every service the
	// answer held, including any left out of moving (which the bytes of the next list depend on).
	listMoving func(ctx context.Context, stackID string) (moving []resources.Service, listed int, err error)
	get        func(ctx context.Context, id string) (*resources.Service, error)
	// listIn lists the stack's services in one settled state, and inState counts those this client last saw
	// in it (landing.go); nil: services that left the moving ones are read by id.
	listIn  func(ctx context.Context, stackID, state string) ([]resources.Service, error)
	inState func(stackID, state string) int
	policy  FeedPolicy
	now     func() time.Time

	mu     sync.Mutex
	stacks map[string]*stackPoll
}

// waiter is one read waiting for an answer.
type waiter struct {
	done chan struct{}
	svc  *resources.Service
	err  error
	seq  uint64 // stamped when the read began: requests stamped later answer it
}

// servicePace is when a service is read next.
type servicePace struct {
	due      time.Time
	interval time.Duration
	moving   bool      // in a transition when last seen
	state    string    // its state when last seen
	left     bool      // not in a list of the moving services since last seen: settled, how is not read yet
	leftSeq  uint64    // stamp of the list that showed it left
	fast     time.Time // read every Tick until then (Quiet after this client changed it)
	seen     uint64    // stamp of when this client last saw the service (a change's answer, or a read's)
	exp      expectation
	urgent   bool // read before the others due: it has just settled, or is expected to (see fine)
	hurried  bool // a consumer waits on it alone: never held back for its wave (gather.go)
}

// stackPoll is the poller of one stack. Its fields are guarded by feed.mu.
type stackPoll struct {
	waiting map[string][]*waiter // per service id, the reads not answered yet
	pace    map[string]*servicePace
	moving  map[string]bool // the services believed in a transition (what a list of the moving ones returns)
	unseen  int             // services of the last list that this client has not seen whole
	listed  time.Time       // when the last list was answered
	running bool
	wake    chan struct{} // a new read, a kick or an answer may make a service due earlier

	seq      uint64          // stamps reads as they begin and requests as they are sent
	getting  map[string]bool // the services with a read by id in flight
	list     *listing        // the list of the moving services in flight, if any
	landings []*listing      // the lists of services in a settled state in flight (landing.go)

	settle    map[string]*settleTimes // per kind of transition and per state, how long this client's changes took to end
	noStandIn map[string]bool         // kinds a service of which outlasted the window of its state (see fine)
	scouts    map[string]int          // per kind of upgrade, the scouts following one (upgradepace.go)
	coarseAt  time.Time               // when the upgrades read coarsely are read next
	rtt       time.Duration           // the usual round trip of a read by id
}

// listing is a list in flight: of the moving services, or a landing (landing.go).
type listing struct {
	seq    uint64
	sentAt time.Time
	// expect holds the services it answers (or settles): those believed moving when it was sent, or those
	// a landing was sent for
	expect map[string]bool
	state  string // a landing's state
}

func newFeed(listMoving func(context.Context, string) ([]resources.Service, int, error), get func(context.Context, string) (*resources.Service, error), policy FeedPolicy) *feed {
	return &feed{listMoving: listMoving, get: get, policy: policy, now: time.Now, stacks: map[string]*stackPoll{}}
}

// read returns the service as a read of it sent after the call shows it.
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
// pointless, its answer just came), and every Tick during the next Quiet; or, when changes of its kind have
// been seen to end about as late as each other, around when it is expected to settle (fine).
func (f *feed) kick(stackID string, s *resources.Service) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.poll(stackID)
	now := f.now()
	sp := p.paceOf(s.Id, now, f.policy.Tick)
	sp.due, sp.interval, sp.fast = now.Add(f.policy.Tick), f.policy.Tick, now.Add(f.policy.Quiet)
	p.seq++
	sp.seen = p.seq
	p.see(s)
	p.follow(sp, s, p.seq, now)
	if moving(s) {
		if due, ok := f.fine(p, sp, now, now); ok {
			sp.due = maxTime(due, now.Add(f.policy.fineTick()))
		} else if due, ok := f.coarse(p, sp, now); ok {
			sp.due = due
		}
	}
	p.signal()
}

func (f *feed) poll(stackID string) *stackPoll {
	p := f.stacks[stackID]
	if p == nil {
		p = &stackPoll{waiting: map[string][]*waiter{}, pace: map[string]*servicePace{}, moving: map[string]bool{},
			wake: make(chan struct{}, 1), getting: map[string]bool{}, settle: map[string]*settleTimes{},
			noStandIn: map[string]bool{}, scouts: map[string]int{}}
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
		sp.moving, sp.state, sp.left = m, s.State, false
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
	p.seq++
	w := &waiter{done: make(chan struct{}), seq: p.seq}
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

// loop sends requests as waited services come due, and ends when no read waits (requests in flight
// finish on their own).
func (f *feed) loop(ctx context.Context, stackID string, p *stackPoll) {
	for {
		f.mu.Lock()
		if len(p.waiting) == 0 {
			p.running = false
			f.mu.Unlock()
			return
		}
		next := f.dispatch(ctx, stackID, p, f.now())
		f.mu.Unlock()
		f.sleepUntil(p, next)
	}
}

// dispatch sends the requests due at now: a list of the moving services when that costs less (see
// listPays), and reads by id of the others, at most maxGets in flight. It returns when the next waited
// service not covered by a request in flight comes due (zero: only an answer, a read or a kick changes
// what is due).
func (f *feed) dispatch(ctx context.Context, stackID string, p *stackPoll, now time.Time) time.Time {
	due, next := p.due(now)
	if len(due) == 0 {
		return next
	}
	due = f.landHurried(ctx, stackID, p, now, due)
	due, held, wake := f.gather(ctx, stackID, p, now, due)
	if !wake.IsZero() && (next.IsZero() || wake.Before(next)) {
		next = wake
	}
	if len(due) == 0 {
		return next
	}
	if f.listPays(p, now, due, held) {
		f.sendList(ctx, stackID, p)
		due = slices.DeleteFunc(due, func(id string) bool { return p.list.expect[id] })
	}
	due = f.sendLandings(ctx, stackID, p, due)
	for _, id := range due {
		if len(p.getting) >= maxGets {
			return time.Time{} // the next answer wakes the loop
		}
		f.sendGet(ctx, p, id)
	}
	return next
}

// covered tells whether a request in flight will answer (or settle) the service.
func (p *stackPoll) covered(id string) bool {
	if p.getting[id] || (p.list != nil && p.list.expect[id]) {
		return true
	}
	for _, l := range p.landings {
		if l.expect[id] || p.landingAnswers(l, id) {
			return true
		}
	}
	return false
}

// due returns the waited services due at now that no request in flight covers, earliest first, or else
// when the first of them will be.
func (p *stackPoll) due(now time.Time) (ids []string, next time.Time) {
	for id := range p.waiting {
		if p.covered(id) {
			continue
		}
		sp := p.pace[id]
		if !sp.due.After(now) {
			ids = append(ids, id)
		} else if next.IsZero() || sp.due.Before(next) {
			next = sp.due
		}
	}
	slices.SortFunc(ids, func(a, b string) int {
		pa, pb := p.pace[a], p.pace[b]
		if pa.urgent != pb.urgent {
			if pa.urgent {
				return -1
			}
			return 1
		}
		return pa.due.Compare(pb.due)
	})
	return ids, next
}

// sleepUntil waits until t (zero: no timer), or until a new read, a kick or an answer may have changed
// what is due.
func (f *feed) sleepUntil(p *stackPoll, t time.Time) {
	var timeout <-chan time.Time
	if !t.IsZero() {
		timer := time.NewTimer(t.Sub(f.now()))
		defer timer.Stop()
		timeout = timer.C
	}
	select {
	case <-timeout:
	case <-p.wake:
	}
}

// listPays tells whether to list the moving services rather than read the due ones by id, when no list is
// in flight and a due service moves. A list answers every moving service it holds, due or not, and aligns
// them: those it holds are due again together. So it is sent when it is expected to cost fewer bytes
// (listCost, byIDCost) than reading by id either, within one Max of the last list, every waited service that
// moves and comes due within a Max (whether or not its next read has begun yet; not those held for a
// landing, see gather), or the moving services due now (a burst of this client's own changes, read every
// Tick, is listed every Tick).
func (f *feed) listPays(p *stackPoll, now time.Time, due []string, held map[string]bool) bool {
	if f.listMoving == nil || p.list != nil {
		return false
	}
	dueMoving, waitedMoving := 0, 0
	for _, id := range due {
		if p.pace[id].moving {
			dueMoving++
		}
	}
	for id, sp := range p.pace {
		if sp.moving && sp.due.Before(now.Add(f.policy.Max)) && !held[id] {
			waitedMoving++
		}
	}
	cost := listCost(len(p.moving) + p.unseen)
	since := now.Sub(p.listed)
	return dueMoving > 0 && (since >= f.policy.Max && cost < byIDCost(waitedMoving) || cost < byIDCost(dueMoving))
}

// sendGet reads a service by id; its answer goes to the service's waiters that began before it was sent.
func (f *feed) sendGet(ctx context.Context, p *stackPoll, id string) {
	p.seq++
	sent, sentAt := p.seq, f.now()
	p.getting[id] = true
	go func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		s, err := f.get(rctx, id)
		cancel()
		f.mu.Lock()
		defer f.mu.Unlock()
		delete(p.getting, id)
		if err == nil {
			p.rtt = ewma(p.rtt, f.now().Sub(sentAt))
		}
		f.gotByID(p, id, s, err, sent, sentAt)
		p.signal()
	}()
}

// gotByID records a read by id and answers the service's waiters it may answer.
func (f *feed) gotByID(p *stackPoll, id string, s *resources.Service, err error, sent uint64, sentAt time.Time) {
	now := f.now()
	sp := p.pace[id]
	if err == nil && sp != nil && sp.seen < sent {
		sp.seen = sent
		p.see(s)
		p.observe(sp, s.State, sent, now, f.policy.Tick)
	}
	p.answerService(id, s, err, sent)
	if sp != nil {
		f.next(p, sp, sentAt, now)
	}
}

// ewma is the running average of round trips, each new one weighing an eighth.
func ewma(avg, d time.Duration) time.Duration {
	if avg == 0 {
		return d
	}
	return avg + (d-avg)/8
}

// sendList lists the moving services; it answers those it holds (see gotList).
func (f *feed) sendList(ctx context.Context, stackID string, p *stackPoll) {
	p.seq++
	l := &listing{seq: p.seq, sentAt: f.now(), expect: maps.Clone(p.moving)}
	p.list = l
	go func() {
		rctx, cancel := context.WithTimeout(ctx, requestTimeout)
		list, listed, err := f.listMoving(rctx, stackID)
		cancel()
		f.mu.Lock()
		defer f.mu.Unlock()
		p.list = nil
		f.gotList(p, l, list, listed, err)
		p.signal()
	}()
}

// gotList records a list of the moving services: it answers the waiters of each service it holds that
// began before it was sent; a service it was expected to hold and does not has settled since, and when a
// read of it waits it is read by id at once. An error answers the waiters of the services it was expected
// to hold (which then read by id, see RancherAPI.Service).
func (f *feed) gotList(p *stackPoll, l *listing, list []resources.Service, listed int, err error) {
	now := f.now()
	if err != nil {
		p.listed = now // not listed again before a Tick
		for id := range l.expect {
			p.answerService(id, nil, err, l.seq)
		}
		return
	}
	inList := make(map[string]bool, len(list))
	for i := range list {
		inList[list[i].Id] = true
	}
	moving := maps.Clone(inList)
	for id := range p.moving {
		if sp := p.pace[id]; sp != nil && sp.seen > l.seq { // seen moving after the list was sent
			moving[id] = true
		}
	}
	p.moving, p.unseen, p.listed = moving, listed-len(list), now
	p.coarseAt = now.Add(coarseMax) // the upgrades read coarsely that it holds are read together again
	for id, sp := range p.pace {
		if sp.seen > l.seq || inList[id] {
			continue
		}
		if sp.moving && len(p.waiting[id]) > 0 {
			sp.due, sp.urgent, sp.left, sp.leftSeq = now, true, true, l.seq // settled since last seen: read it now
		}
		if sp.moving {
			p.observe(sp, "", l.seq, now, f.policy.Tick)
		}
		sp.moving = false
	}
	for i := range list {
		s := &list[i]
		sp := p.pace[s.Id]
		if sp != nil && sp.seen < l.seq {
			sp.seen = l.seq
			p.see(s)
			p.observe(sp, s.State, l.seq, now, f.policy.Tick)
		}
		answered := p.answerService(s.Id, s, nil, l.seq)
		if sp == nil {
			continue
		}
		if due, ok := f.fine(p, sp, l.sentAt, now); ok {
			sp.due = due
			continue
		}
		if due, ok := f.coarse(p, sp, now); ok {
			sp.due = due
			continue
		}
		switch {
		case !now.Before(sp.fast): // read now, and with the others at the next list (even if its waiter is late)
			sp.interval = f.slowInterval(sp, now)
			sp.due = now.Add(sp.interval)
		case answered:
			f.next(p, sp, l.sentAt, now)
		}
	}
}

// answerService hands s (or err) to the service's waiters that began before the request was sent (stamp
// sent), and tells whether there were any; later ones keep waiting.
func (p *stackPoll) answerService(id string, s *resources.Service, err error, sent uint64) bool {
	ws := p.waiting[id]
	kept := ws[:0]
	answered := false
	for _, w := range ws {
		if w.seq > sent {
			kept = append(kept, w)
			continue
		}
		w.svc, w.err = s, err
		close(w.done)
		answered = true
	}
	if len(kept) == 0 {
		delete(p.waiting, id)
	} else {
		p.waiting[id] = kept
	}
	return answered
}

// next sets when a service just read (by a request sent at sentAt) is read again: as expected to settle
// (see fine), else a Tick from now during its Quiet, else after its interval grown by Factor.
func (f *feed) next(p *stackPoll, sp *servicePace, sentAt, now time.Time) {
	if due, ok := f.fine(p, sp, sentAt, now); ok {
		sp.due = due
		return
	}
	sp.urgent = false
	if due, ok := f.coarse(p, sp, now); ok {
		sp.due = due
		return
	}
	if now.Before(sp.fast) {
		sp.due, sp.interval = now.Add(f.policy.Tick), f.policy.Tick
		return
	}
	sp.interval = max(f.policy.grow(sp.interval), f.slowInterval(sp, now))
	sp.due = now.Add(sp.interval)
}

// longMax bounds the interval between reads of a long transition of this client's (see slowInterval).
const longMax = 300 * time.Millisecond

// slowInterval is how often a service past its Quiet is read at least: every Max, or, in a transition of
// this client's change that has lasted long and whose end cannot be expected (fine), every eighth of its
// length so far, at most longMax: a long transition is seen to end a little later, for fewer reads.
func (f *feed) slowInterval(sp *servicePace, now time.Time) time.Duration {
	if sp.exp.kind == "" {
		return f.policy.Max
	}
	return max(f.policy.Max, min(now.Sub(sp.exp.at)/8, longMax))
}

// grow returns the interval after d: d times Factor, between Tick and Max.
func (policy FeedPolicy) grow(d time.Duration) time.Duration {
	return max(min(time.Duration(float64(d)*max(policy.Factor, 1)), policy.Max), policy.Tick)
}

// Expected bytes of a request, from the simulator's answers (which render services and collections as
// Cattle does): a service of a small compose file, the fields of a collection besides its items (links,
// sortLinks and filters of every filter of the type: about a service's worth), and an answer's headers.
// A request also counts requestWeight bytes, so that a few bytes do not buy many more requests.
const (
	serviceBytes  = 2600
	envelopeBytes = 2300
	headerBytes   = 320
	requestWeight = 512
	// listPage is the page size the poller's lists ask for (limit); the default of 100 would cost a round
	// trip per 100 moving services.
	listPage = rancher.ListPage
)

// listCost is the expected cost of listing n services.
func listCost(n int) int {
	pages := max(1, (n+listPage-1)/listPage)
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
