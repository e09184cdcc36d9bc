package upgrade

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// barrierHealth blocks every health wait until the run ends, and answers a diagnosis only once every
// expected diagnosis is under way: diagnoses made one after the other never get theirs.
type barrierHealth struct {
	*fakeHealth
	want       int
	mu         sync.Mutex
	started    int
	all        chan struct{}
	budgets    []time.Duration
	noDeadline bool
}

func (h *barrierHealth) Diagnose(ctx context.Context, id string) *healthcheck.Diagnosis {
	h.mu.Lock()
	if dl, ok := ctx.Deadline(); ok {
		h.budgets = append(h.budgets, time.Until(dl))
	} else {
		h.noDeadline = true
	}
	h.started++
	if h.started == h.want {
		close(h.all)
	}
	h.mu.Unlock()
	select {
	case <-h.all:
		return &healthcheck.Diagnosis{Service: h.name(id), State: "upgrading"}
	case <-ctx.Done():
		return nil
	}
}

// After a timeout the stuck services are diagnosed at once, in parallel, each within the diagnosis
// budget, so that the run ends soon after its deadline (issue 11, item 14).
func TestTimedOutServicesAreDiagnosedInParallelWithinTheBudget(t *testing.T) {
	d, s := atomicStack()
	api := newFakeAPI(s...)
	h := &barrierHealth{fakeHealth: &fakeHealth{api: api, healthy: map[string]string{"a": "block", "b": "block"}}, want: 2, all: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	plan := Reconcile(d, observedOf(s...), Options{Upgrade: true, WaitHealthy: true})
	res, err := Execute(ctx, plan, api, progress.Emitter{}, WithHealth(h), WithCleanupTimeout(time.Minute))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	for _, name := range []string{"a", "b"} {
		if res.Service(name).Diagnosis == nil {
			t.Errorf("%s has no diagnosis: the diagnoses did not run in parallel", name)
		}
	}
	if h.noDeadline {
		t.Error("a diagnosis ran without a deadline")
	}
	for _, b := range h.budgets {
		if b > healthcheck.DiagnoseBudget {
			t.Errorf("a diagnosis was given %v, more than the budget %v", b, healthcheck.DiagnoseBudget)
		}
	}
}
