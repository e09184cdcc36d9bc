package upgrade

import (
	"context"
	"sync"
	"testing"
)

// With every slot taken, freed slots go to the waiters in rank order, whatever order they came in.
func TestOrderedSlotsServeTheLowestRankFirst(t *testing.T) {
	s := newOrderedSlots(1)
	ctx := context.Background()
	if err := s.acquire(ctx, 0); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var got []int
	var wg sync.WaitGroup
	for _, rank := range []int{5, 3, 9, 1} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.acquire(ctx, rank); err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got = append(got, rank)
			mu.Unlock()
			s.release()
		}()
	}
	waitQueued(s, 4) // all four queued before the first slot is freed
	s.release()
	wg.Wait()
	if len(got) != 4 || got[0] != 1 || got[1] != 3 || got[2] != 5 || got[3] != 9 {
		t.Fatalf("slots went to ranks %v, want [1 3 5 9]", got)
	}
	if s.free != 1 {
		t.Fatalf("%d free slots at the end, want 1", s.free)
	}
}

// A waiter whose context ends leaves the queue, and a slot handed to it meanwhile goes on to the next.
func TestOrderedSlotsCancelledWaiterLeaves(t *testing.T) {
	s := newOrderedSlots(1)
	_ = s.acquire(context.Background(), 0)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error)
	go func() { errc <- s.acquire(ctx, 1) }()
	waitQueued(s, 1)
	cancel()
	if err := <-errc; err == nil {
		t.Fatal("a cancelled waiter got a slot")
	}
	s.release()
	if s.free != 1 || len(s.waiting) != 0 {
		t.Fatalf("free %d, waiting %d, want 1 and 0", s.free, len(s.waiting))
	}
}

// Slots added by grow go to the waiters first, lowest rank first; the rest are free.
func TestOrderedSlotsGrowServesWaitersFirst(t *testing.T) {
	s := newOrderedSlots(0)
	ctx := context.Background()
	got := make(chan int, 2)
	for _, rank := range []int{7, 2} {
		go func() {
			if err := s.acquire(ctx, rank); err == nil {
				got <- rank
			}
		}()
	}
	waitQueued(s, 2)
	s.grow(1)
	if first := <-got; first != 2 {
		t.Fatalf("the slot grown went to rank %d, want 2", first)
	}
	s.grow(3)
	if second := <-got; second != 7 {
		t.Fatalf("then rank %d, want 7", second)
	}
	if s.free != 2 {
		t.Fatalf("%d free slots, want 2", s.free)
	}
}

// waitQueued returns once n waiters are queued for s's slots.
func waitQueued(s *orderedSlots, n int) {
	for {
		s.mu.Lock()
		queued := len(s.waiting)
		s.mu.Unlock()
		if queued == n {
			return
		}
	}
}
