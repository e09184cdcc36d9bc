package sim

import (
	"context"
	"sort"
	"sync"
	"time"
)

// ClockMode selects how simulated time passes.
type ClockMode int

const (
	// RealClock follows the wall clock: a 200ms step takes 200ms. The CLI uses it.
	RealClock ClockMode = iota
	// ManualClock only moves when the test calls Server.Advance; everything due is run in order.
	ManualClock
	// FastClock jumps to the next due event as soon as every simulated process is waiting,
	// so intervals, health-check periods and steps cost no wall time.
	FastClock
)

// clock drives every simulated process. Processes block only through waiters, so a virtual clock
// knows when the whole simulation is idle and may move time forward.
type clock interface {
	Now() time.Time
	// newWaiter returns a waiter that fires after d (never when d < 0).
	newWaiter(d time.Duration) *waiter
	// wait blocks until w fires.
	wait(w *waiter)
	// fire wakes w once.
	fire(w *waiter)
	// goProc runs fn in a goroutine counted as busy until it returns.
	goProc(fn func())
}

type waiter struct {
	deadline time.Time
	never    bool
	ch       chan struct{}
	fired    bool
	timer    *time.Timer
}

// sleep waits d on c; it returns false when ctx is cancelled first.
func sleep(ctx context.Context, c clock, d time.Duration) bool {
	if ctx.Err() != nil {
		return false
	}
	w := c.newWaiter(d)
	stop := context.AfterFunc(ctx, func() { c.fire(w) })
	c.wait(w)
	stop()
	return ctx.Err() == nil
}

// realTime is the wall clock.
type realTime struct{ mu sync.Mutex }

func (c *realTime) Now() time.Time { return time.Now().UTC() }

func (c *realTime) newWaiter(d time.Duration) *waiter {
	w := &waiter{ch: make(chan struct{}), never: d < 0}
	if d >= 0 {
		c.mu.Lock()
		w.timer = time.AfterFunc(d, func() { c.fire(w) })
		c.mu.Unlock()
	}
	return w
}

func (c *realTime) wait(w *waiter) { <-w.ch }

func (c *realTime) fire(w *waiter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !w.fired {
		w.fired = true
		close(w.ch)
		if w.timer != nil {
			w.timer.Stop()
		}
	}
}

func (c *realTime) goProc(fn func()) { go fn() }

// virtualTime is a clock whose time only moves when the simulation is idle (fast) or when asked (manual).
type virtualTime struct {
	mu      sync.Mutex
	cond    *sync.Cond
	now     time.Time
	busy    int
	pending []*waiter // sorted by deadline
	fast    bool
	closed  bool
}

func newVirtualTime(start time.Time, fast bool) *virtualTime {
	c := &virtualTime{now: start.UTC().Truncate(time.Second), fast: fast}
	c.cond = sync.NewCond(&c.mu)
	if fast {
		go c.runFast()
	}
	return c
}

func (c *virtualTime) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *virtualTime) newWaiter(d time.Duration) *waiter {
	c.mu.Lock()
	defer c.mu.Unlock()
	w := &waiter{ch: make(chan struct{}), never: d < 0}
	if d >= 0 {
		w.deadline = c.now.Add(d)
		i := sort.Search(len(c.pending), func(i int) bool { return c.pending[i].deadline.After(w.deadline) })
		c.pending = append(c.pending, nil)
		copy(c.pending[i+1:], c.pending[i:])
		c.pending[i] = w
	}
	return w
}

func (c *virtualTime) wait(w *waiter) {
	c.mu.Lock()
	c.busy--
	c.cond.Broadcast()
	c.mu.Unlock()
	<-w.ch
}

// fire credits the woken goroutine as busy before it runs, so time cannot move past it.
func (c *virtualTime) fire(w *waiter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fireLocked(w)
}

func (c *virtualTime) fireLocked(w *waiter) {
	if w.fired {
		return
	}
	w.fired = true
	c.busy++
	close(w.ch)
	for i, p := range c.pending {
		if p == w {
			c.pending = append(c.pending[:i], c.pending[i+1:]...)
			break
		}
	}
}

func (c *virtualTime) goProc(fn func()) {
	c.mu.Lock()
	c.busy++
	c.mu.Unlock()
	go func() {
		defer func() {
			c.mu.Lock()
			c.busy--
			c.cond.Broadcast()
			c.mu.Unlock()
		}()
		fn()
	}()
}

// waitIdle blocks until no simulated process is running (all are waiting).
func (c *virtualTime) waitIdle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.busy > 0 {
		c.cond.Wait()
	}
}

// advance moves time forward by d, running every event due on the way, in order.
func (c *virtualTime) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	target := c.now.Add(d)
	for {
		for c.busy > 0 {
			c.cond.Wait()
		}
		if len(c.pending) == 0 || c.pending[0].deadline.After(target) {
			break
		}
		c.fireDue(c.pending[0].deadline)
	}
	if target.After(c.now) {
		c.now = target
	}
}

func (c *virtualTime) fireDue(at time.Time) {
	if at.After(c.now) {
		c.now = at
	}
	for len(c.pending) > 0 && !c.pending[0].deadline.After(c.now) {
		c.fireLocked(c.pending[0])
	}
}

func (c *virtualTime) runFast() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		for !c.closed && (c.busy > 0 || len(c.pending) == 0) {
			c.cond.Wait()
		}
		if c.closed {
			return
		}
		c.fireDue(c.pending[0].deadline)
	}
}

func (c *virtualTime) close() {
	c.mu.Lock()
	c.closed = true
	c.cond.Broadcast()
	c.mu.Unlock()
}

// newWaiter on virtualTime also wakes the fast loop, which may now have something to fire.
var _ clock = (*virtualTime)(nil)
var _ clock = (*realTime)(nil)
