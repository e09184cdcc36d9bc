package healthcheck

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// fakeClock advances only when slept on, and records every sleep.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

// fakeReader plays back snapshots: each read of the service advances to the next one (the last repeats).
type fakeReader struct {
	services   []Service
	containers [][]Container
	reads      int
	logs       map[string][]string
}

func (r *fakeReader) Service(_ context.Context, id string) (*Service, error) {
	i := min(r.reads, len(r.services)-1)
	r.reads++
	s := r.services[i]
	return &s, nil
}

func (r *fakeReader) Containers(_ context.Context, _ string) ([]Container, error) {
	if len(r.containers) == 0 {
		return nil, nil
	}
	return r.containers[min(r.reads-1, len(r.containers)-1)], nil
}

func (r *fakeReader) Logs(_ context.Context, id string, _ int) ([]string, error) {
	if l, ok := r.logs[id]; ok {
		return l, nil
	}
	return nil, fmt.Errorf("no logs for %s", id)
}

func exit(code int64) *int64 { return &code }

func svc(state, transitioning string, scale int64, lc map[string]any) Service {
	return Service{ID: "1s1", Name: "web", State: state, Transitioning: transitioning, Scale: scale, LaunchConfig: lc}
}

var (
	plainLC     = map[string]any{"version": "v2"}
	checkedLC   = map[string]any{"version": "v2", "healthCheck": map[string]any{"port": 80}}
	startOnceLC = map[string]any{"labels": map[string]any{LabelStartOnce: "true"}}
)
