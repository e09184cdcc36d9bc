package sim

import (
	"context"
	"sync"
	"testing"
	"time"
)

// queueingClock ends every wait at once but moves time by the wait plus lag, the time a process spends
// queueing for the server's lock after each wait on a loaded simulator.
type queueingClock struct {
	mu  sync.Mutex
	now time.Time
	lag time.Duration
}

func (c *queueingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// newWaiter: a timed wait ends at once, a wait for a condition when fired.
func (c *queueingClock) newWaiter(d time.Duration) *waiter {
	w := &waiter{ch: make(chan struct{}), never: d < 0}
	if d >= 0 {
		c.mu.Lock()
		c.now = c.now.Add(d + c.lag)
		c.mu.Unlock()
		c.fire(w)
	}
	return w
}

func (c *queueingClock) wait(w *waiter) { <-w.ch }

func (c *queueingClock) fire(w *waiter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !w.fired {
		w.fired = true
		close(w.ch)
	}
}
func (c *queueingClock) goProc(fn func()) {
	go fn()
}

func TestStepsOfAProcessTakeSWhateverItQueuesForTheLock(t *testing.T) {
	start := time.Unix(0, 0)
	step, lag := 200*time.Millisecond, 30*time.Millisecond
	clk := &queueingClock{now: start, lag: lag}
	s := &Server{clk: clk, ctx: context.Background(), opts: Options{Step: step}}
	r := &resource{}
	ended := make(chan time.Time)
	s.mu.Lock()
	s.startProc(r, func(p *proc) {
		for i := 0; i < 3; i++ {
			if !p.step() {
				t.Error("the process was stopped")
			}
		}
		ended <- clk.Now()
	})
	s.mu.Unlock()
	// three steps of S; the process queued after each, but only the last queueing shows
	if got, want := (<-ended).Sub(start), 3*step+lag; got != want {
		t.Errorf("three steps ended %v after the start, want %v", got, want)
	}
}

func TestAWaitForAConditionRestartsTheStepCount(t *testing.T) {
	start := time.Unix(0, 0)
	step, lag := 200*time.Millisecond, 30*time.Millisecond
	clk := &queueingClock{now: start, lag: lag}
	s := &Server{clk: clk, ctx: context.Background(), opts: Options{Step: step}, keyedWs: map[*resource][]*waiter{}}
	r := &resource{}
	ready := false
	ended := make(chan time.Time)
	s.mu.Lock()
	s.startProc(r, func(p *proc) {
		p.waitOwn(func() bool { return ready })
		p.step()
		ended <- clk.Now()
	})
	s.mu.Unlock()
	s.mu.Lock()
	for len(s.keyedWs[r]) == 0 { // until the process waits on its condition
		s.mu.Unlock()
		time.Sleep(time.Millisecond)
		s.mu.Lock()
	}
	clk.mu.Lock()
	clk.now = clk.now.Add(time.Second) // the condition comes true a second later
	clk.mu.Unlock()
	ready = true
	s.wakeAll()
	s.mu.Unlock()
	if got, want := (<-ended).Sub(start), time.Second+step+lag; got != want {
		t.Errorf("the step after the condition ended %v after the start, want %v (S counted from when the condition held)", got, want)
	}
}
