package upgrade

import (
	"container/heap"
	"context"
	"sync"
)

// orderedSlots bounds work in flight and, when all slots are taken, hands the next free one to the waiter
// of lowest rank (a service's place in the plan), not to whichever goroutine asks first: the plan puts the
// bottoms of the longest chains first, and goroutines reach the slots in an order the scheduler decides.
type orderedSlots struct {
	mu      sync.Mutex
	free    int
	waiting rankQueue
}

func newOrderedSlots(n int) *orderedSlots { return &orderedSlots{free: n} }

// acquire takes a slot for the work of the given rank, waiting for one if none is free.
func (s *orderedSlots) acquire(ctx context.Context, rank int) error {
	s.mu.Lock()
	if s.free > 0 && len(s.waiting) == 0 {
		s.free--
		s.mu.Unlock()
		return nil
	}
	w := &rankWaiter{rank: rank, ready: make(chan struct{})}
	heap.Push(&s.waiting, w)
	s.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
		s.mu.Lock()
		defer s.mu.Unlock()
		select {
		case <-w.ready: // handed a slot meanwhile: give it on
			s.releaseLocked()
		default:
			heap.Remove(&s.waiting, w.index)
		}
		return ctx.Err()
	}
}

// release frees a slot, handing it to the waiter of lowest rank if any.
func (s *orderedSlots) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releaseLocked()
}

func (s *orderedSlots) releaseLocked() {
	if len(s.waiting) == 0 {
		s.free++
		return
	}
	close(heap.Pop(&s.waiting).(*rankWaiter).ready)
}

type rankWaiter struct {
	rank, index int
	ready       chan struct{}
}

// rankQueue is a min-heap of waiters by rank.
type rankQueue []*rankWaiter

func (q rankQueue) Len() int           { return len(q) }
func (q rankQueue) Less(i, j int) bool { return q[i].rank < q[j].rank }
func (q rankQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *rankQueue) Push(x any) {
	w := x.(*rankWaiter)
	w.index = len(*q)
	*q = append(*q, w)
}
func (q *rankQueue) Pop() any {
	old := *q
	w := old[len(old)-1]
	*q = old[:len(old)-1]
	return w
}

// grow adds n slots, handing them to the waiters of lowest rank first.
func (s *orderedSlots) grow(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.releaseLocked()
	}
}
