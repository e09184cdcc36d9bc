package healthcheck

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestPollBacksOffUpToMaxAndTimesOut(t *testing.T) {
	clock := newFakeClock()
	calls := 0
	err := Poll(context.Background(), clock, Backoff{Initial: 100 * time.Millisecond, Max: 300 * time.Millisecond, Factor: 2}, time.Second,
		func(context.Context) (bool, error) { calls++; return false, nil })
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	want := []time.Duration{100, 200, 300, 300, 100}
	for i := range want {
		want[i] *= time.Millisecond
	}
	if !reflect.DeepEqual(clock.sleeps, want) {
		t.Errorf("sleeps = %v, want %v", clock.sleeps, want)
	}
	if calls != 6 {
		t.Errorf("calls = %d, want 6", calls)
	}
}

func TestPollStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := Poll(ctx, newFakeClock(), DefaultBackoff, 0, func(context.Context) (bool, error) { return false, nil })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}

func TestSettleWaitsUntilNotTransitioning(t *testing.T) {
	r := &fakeReader{services: []Service{svc("upgrading", "yes", 1, nil), svc("upgrading", "yes", 1, nil), svc("upgraded", "no", 1, nil)}}
	w := &Waiter{Reader: r, Clock: newFakeClock()}
	s, err := w.Settle(context.Background(), "1s1")
	if err != nil || s.State != "upgraded" || r.reads != 3 {
		t.Errorf("state %v err %v reads %d", s, err, r.reads)
	}
}

func TestSettleFailsOnTransitioningErrorWithTheMessage(t *testing.T) {
	stuck := svc("activating", "error", 1, nil)
	stuck.TransitioningMessage = "Failed to allocate instance [container:1i5]"
	w := &Waiter{Reader: &fakeReader{services: []Service{stuck}}, Clock: newFakeClock()}
	_, err := w.Settle(context.Background(), "1s1")
	var failed *FailedError
	if !errors.As(err, &failed) || !strings.Contains(err.Error(), "Failed to allocate instance") {
		t.Fatalf("err = %v", err)
	}
	if failed.Diagnosis == nil || failed.Diagnosis.TransitioningMessage != stuck.TransitioningMessage {
		t.Errorf("diagnosis = %+v", failed.Diagnosis)
	}
}

func TestAssess(t *testing.T) {
	running := func(name, health, version string) Container {
		return Container{ID: name, Name: name, State: "running", HealthState: health, Version: version}
	}
	tests := []struct {
		name       string
		svc        Service
		containers []Container
		want       Status
	}{
		{"no health check: running is enough", svc("active", "no", 2, plainLC), []Container{running("a", "", "v2"), running("b", "", "v2")}, Healthy},
		{"too few containers", svc("active", "no", 2, plainLC), []Container{running("a", "", "v2")}, Pending},
		{"old-version containers do not count", svc("upgraded", "no", 1, plainLC), []Container{{ID: "old", State: "stopped", Version: "v1"}, running("n", "", "v2")}, Healthy},
		{"health check: initializing is pending", svc("active", "no", 1, checkedLC), []Container{running("a", "initializing", "v2")}, Pending},
		{"health check: healthy", svc("active", "no", 1, checkedLC), []Container{running("a", "healthy", "v2")}, Healthy},
		{"health check: unhealthy fails", svc("active", "no", 1, checkedLC), []Container{running("a", "unhealthy", "v2")}, Failed},
		{"start-once exit 0 is done", svc("active", "no", 1, startOnceLC), []Container{{ID: "m", State: "stopped", ExitCode: exit(0), StartCount: 1}}, Healthy},
		{"start-once exit 3 fails", svc("active", "no", 1, startOnceLC), []Container{{ID: "m", State: "stopped", ExitCode: exit(3), StartCount: 1}}, Failed},
		{"start-once still running", svc("active", "no", 1, startOnceLC), []Container{{ID: "m", State: "running"}}, Pending},
		{"container in error fails", svc("active", "no", 1, plainLC), []Container{{ID: "e", State: "error", Version: "v2"}}, Failed},
		{"service transitioning error fails", svc("activating", "error", 1, plainLC), nil, Failed},
		{"service still transitioning", svc("upgrading", "yes", 1, plainLC), []Container{running("a", "", "v2")}, Pending},
		{"removed containers are ignored", svc("active", "no", 1, plainLC), []Container{{ID: "r", State: "removed", Version: "v2"}, running("a", "", "v2")}, Healthy},
		{"scale 0 is healthy at once", svc("active", "no", 0, plainLC), nil, Healthy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Assess(&tt.svc, tt.containers); got.Status != tt.want {
				t.Errorf("Assess = %s (%s), want %s", got.Status, got.Reason, tt.want)
			}
		})
	}
}

func TestHealthyTimeoutNamesTheServiceAndDiagnoses(t *testing.T) {
	r := &fakeReader{
		services:   []Service{svc("upgrading", "no", 1, checkedLC)},
		containers: [][]Container{{{ID: "1i9", Name: "demo-web-1", State: "running", HealthState: "initializing", Version: "v2", TransitioningMessage: "Waiting for health"}}},
		logs:       map[string][]string{"1i9": {"l1", "l2", "l3"}},
	}
	w := &Waiter{Reader: r, Logs: r, Clock: newFakeClock(), Timeout: 30 * time.Second, LogLines: 2}
	_, err := w.Healthy(context.Background(), "1s1")
	var te *TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "web not healthy (0 of 1 containers ready)") {
		t.Errorf("message = %q", err.Error())
	}
	text := te.Diagnosis.String()
	for _, want := range []string{"container demo-web-1 (1i9): running, health initializing: Waiting for health", "| l2", "| l3"} {
		if !strings.Contains(text, want) {
			t.Errorf("diagnosis lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "| l1") {
		t.Errorf("diagnosis keeps more than LogLines lines:\n%s", text)
	}
}

func TestHealthyFailsFastOnNonZeroExitWithLogs(t *testing.T) {
	r := &fakeReader{
		services:   []Service{svc("active", "no", 1, startOnceLC)},
		containers: [][]Container{{{ID: "1i1", Name: "demo-migrate-1", State: "stopped", ExitCode: exit(2), StartCount: 1}}},
		logs:       map[string][]string{"1i1": {"relation users does not exist"}},
	}
	w := &Waiter{Reader: r, Logs: r, Clock: newFakeClock()}
	_, err := w.Healthy(context.Background(), "1s1")
	var failed *FailedError
	if !errors.As(err, &failed) || !strings.Contains(err.Error(), "exited with code 2") {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(failed.Diagnosis.String(), "| relation users does not exist") {
		t.Errorf("diagnosis = %s", failed.Diagnosis)
	}
}

func TestDiagnoseReportsUnreadableLogsInsteadOfFailing(t *testing.T) {
	r := &fakeReader{services: []Service{svc("active", "no", 1, checkedLC)}, containers: [][]Container{{{ID: "x", State: "running", HealthState: "unhealthy", Version: "v2"}}}}
	r.reads = 1
	d := (&Waiter{Reader: r, Logs: r}).Diagnose(context.Background(), "1s1")
	if len(d.Containers) != 1 || len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "no logs for x") {
		t.Errorf("diagnosis = %+v", d)
	}
}

func TestStartOnceReadsLastExitCodeToo(t *testing.T) {
	v := Assess(&Service{Scale: 1, LaunchConfig: startOnceLC}, []Container{{ID: "m", State: "stopped", LastExitCode: exit(1), StartCount: 1}})
	if v.Status != Failed || v.Reason != "container m exited with code 1" {
		t.Errorf("verdict = %+v", v)
	}
}

// stallingLogs answers a container's log only once every container's log is being read, else when the
// context ends: tails read one after the other never get theirs.
type stallingLogs struct {
	want    int
	mu      sync.Mutex
	started int
	all     chan struct{}
}

func (l *stallingLogs) Logs(ctx context.Context, id string, _ int) ([]string, error) {
	l.mu.Lock()
	l.started++
	if l.started == l.want {
		close(l.all)
	}
	l.mu.Unlock()
	select {
	case <-l.all:
		return []string{"2026-01-01T00:00:00Z log of " + id}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// A diagnosis reads the failing containers' logs in parallel, and a tail still open when the context ends
// is cut off: the diagnosis ends with its context (issue 11, item 14).
func TestDiagnosisReadsLogTailsInParallel(t *testing.T) {
	r := &fakeReader{services: []Service{svc("upgrading", "yes", 3, plainLC)}, containers: [][]Container{{
		{ID: "1i1", Name: "web-1", State: "error"}, {ID: "1i2", Name: "web-2", State: "error"}, {ID: "1i3", Name: "web-3", State: "error"}}}}
	r.reads = 1
	w := &Waiter{Reader: r, Logs: &stallingLogs{want: 3, all: make(chan struct{})}}
	ctx, cancel := context.WithTimeout(context.Background(), DiagnoseBudget)
	defer cancel()
	d := w.Diagnose(ctx, "1s1")
	if len(d.Containers) != 3 {
		t.Fatalf("diagnosis: %+v", d)
	}
	for _, c := range d.Containers {
		if len(c.Logs) != 1 {
			t.Errorf("%s: logs %q (problems %v): the tails were not read in parallel", c.Name, c.Logs, d.Problems)
		}
	}
	stalled := &Waiter{Reader: r, Logs: &stallingLogs{want: 4, all: make(chan struct{})}}
	cctx, ccancel := context.WithCancel(context.Background())
	ccancel()
	if d := stalled.Diagnose(cctx, "1s1"); d == nil {
		t.Fatal("no diagnosis once the context ended")
	}
}

// A diagnosis after a timeout ends the budget after the run's deadline, however late it starts, so the
// diagnoses made one after the other (the wait's, then the run's) share one budget (issue 11, item 14).
func TestDiagnosisAfterADeadlineEndsABudgetAfterIt(t *testing.T) {
	dl := time.Now().Add(-DiagnoseBudget / 2)
	ctx, cancel := context.WithDeadline(context.Background(), dl)
	defer cancel()
	dctx, dcancel := DiagnoseContext(ctx)
	defer dcancel()
	if end, ok := dctx.Deadline(); !ok || !end.Equal(dl.Add(DiagnoseBudget)) {
		t.Errorf("diagnosis deadline %v, want the run's deadline + %v = %v", end, DiagnoseBudget, dl.Add(DiagnoseBudget))
	}
	if dctx.Err() != nil {
		t.Errorf("the diagnosis context is done already: %v", dctx.Err())
	}
	fresh, fcancel := DiagnoseContext(context.Background())
	defer fcancel()
	if end, ok := fresh.Deadline(); !ok || time.Until(end) > DiagnoseBudget {
		t.Errorf("without a run deadline the diagnosis gets %v, want at most %v", time.Until(end), DiagnoseBudget)
	}
}
