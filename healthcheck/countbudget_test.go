package healthcheck

import (
	"context"
	"testing"
	"time"
)

// countingReader is a service that stays in a transition, counting the container lists.
type countingReader struct{ lists int }

func (r *countingReader) Service(context.Context, string) (*Service, error) {
	return &Service{ID: "1s1", Name: "api", State: "upgrading", Transitioning: "yes", Scale: 2}, nil
}

func (r *countingReader) Containers(context.Context, string) ([]Container, error) {
	r.lists++
	return nil, nil
}

// Hundreds of long waits passing CountEvery together list the containers of CountsPerEvery services per
// CountEvery, not of every one.
func TestSettlesCountContainersWithinTheirSharedBudget(t *testing.T) {
	clock := newFakeClock()
	r := &countingReader{}
	w := &Waiter{Reader: r, Clock: clock, Backoff: Backoff{Initial: time.Second, Max: time.Second, Factor: 1},
		CountEvery: 10 * time.Second, CountsPerEvery: 2}
	for range 5 { // five waits, each reading 12 times a second apart: all pass CountEvery at the same time
		ctx, cancel := context.WithCancel(context.Background())
		reads := 0
		fn := func(p Progress) {
			if reads++; reads == 12 {
				cancel()
			}
		}
		clock.mu.Lock()
		clock.now = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		clock.mu.Unlock()
		_, _ = w.Settle(WithProgress(ctx, fn), "1s1")
	}
	if r.lists != 2 {
		t.Errorf("%d container lists, want 2 (CountsPerEvery within one CountEvery)", r.lists)
	}
	clock.mu.Lock()
	clock.now = clock.now.Add(10 * time.Second)
	clock.mu.Unlock()
	if !w.mayCount() {
		t.Error("no count allowed a CountEvery later")
	}
}
