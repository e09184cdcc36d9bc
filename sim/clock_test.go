package sim

import (
	"context"
	"sync"
	"testing"
	"time"
)

func TestManualClockWakesInDeadlineOrderAndStopsAtTarget(t *testing.T) {
	c := newVirtualTime(time.Unix(0, 0), false)
	var mu sync.Mutex
	var order []time.Duration
	for _, d := range []time.Duration{3 * time.Second, time.Second, 2 * time.Second, time.Hour} {
		d := d
		c.goProc(func() {
			if sleep(context.Background(), c, d) {
				mu.Lock()
				order = append(order, d)
				mu.Unlock()
			}
		})
	}
	c.waitIdle()
	c.advance(5 * time.Second)
	mu.Lock()
	got := append([]time.Duration(nil), order...)
	mu.Unlock()
	if len(got) != 3 || got[0] != time.Second || got[1] != 2*time.Second || got[2] != 3*time.Second {
		t.Errorf("woken %v", got)
	}
	if now := c.Now(); !now.Equal(time.Unix(5, 0)) {
		t.Errorf("now %v, want 5s after start", now)
	}
}

func TestManualClockRunsChainsWithinOneAdvance(t *testing.T) {
	c := newVirtualTime(time.Unix(0, 0), false)
	steps := 0
	done := make(chan struct{})
	c.goProc(func() {
		for i := 0; i < 5; i++ {
			sleep(context.Background(), c, time.Second)
			steps++
		}
		close(done)
	})
	c.advance(5 * time.Second)
	<-done
	if steps != 5 {
		t.Errorf("steps %d", steps)
	}
}

func TestSleepReturnsFalseWhenCancelled(t *testing.T) {
	for _, c := range []clock{newVirtualTime(time.Now(), false), &realTime{}} {
		ctx, cancel := context.WithCancel(context.Background())
		res := make(chan bool)
		c.goProc(func() { res <- sleep(ctx, c, time.Hour) })
		cancel()
		if <-res {
			t.Errorf("%T: sleep should report cancellation", c)
		}
	}
}

func TestFastClockJumpsWhenIdle(t *testing.T) {
	c := newVirtualTime(time.Unix(0, 0), true)
	defer c.close()
	done := make(chan time.Time)
	c.goProc(func() {
		sleep(context.Background(), c, 24*time.Hour)
		done <- c.Now()
	})
	if got := <-done; !got.Equal(time.Unix(0, 0).Add(24 * time.Hour)) {
		t.Errorf("woke at %v", got)
	}
}
