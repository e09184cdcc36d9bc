package simtest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// neverHealthy deploys web on nginx:1.13, then upgrades it to an image whose health check never passes.
func neverHealthy(t *testing.T, opts upgrade.Options) (*env, *upgrade.Result, error) {
	e := start(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	db := e.service("db", "postgres:9", 1, false)
	e.mustUp([]*upgrade.Desired{db, e.service("web", "nginx:1.13", 2, true)}, upgrade.Options{})
	db2 := e.service("db", "postgres:10", 1, false)
	_, res, err := e.up(context.Background(), []*upgrade.Desired{db2, e.service("web", "nginx:broken", 2, true)}, opts, 3*time.Second)
	return e, res, err
}

func TestNeverHealthyUpgradeTimesOutWithDiagnostics(t *testing.T) {
	e, res, err := neverHealthy(t, upgrade.Options{Upgrade: true, ConfirmUpgrade: true, WaitHealthy: true})
	var te *upgrade.TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "web (upgrading") {
		t.Errorf("timeout does not name web as upgrading: %v", err)
	}
	r := res.Service("web")
	if r.Diagnosis == nil || len(r.Diagnosis.Containers) == 0 || r.Diagnosis.Containers[0].HealthState != "initializing" {
		t.Fatalf("diagnosis = %+v", r.Diagnosis)
	}
	if logs := r.Diagnosis.Containers[0].Logs; len(logs) == 0 || !strings.Contains(strings.Join(logs, "\n"), "nginx:broken") {
		t.Errorf("diagnosis has no log tail of the failing container:\n%s", r.Diagnosis)
	}
	t.Logf("diagnosis:\n%s", r.Diagnosis)
	if !strings.Contains(r.Next, "rollback web") {
		t.Errorf("next = %q", r.Next)
	}
	e.expect("db", "active", "postgres:10")
	if s := e.svc("web"); s.State != "upgrading" {
		t.Errorf("without --atomic web is left as it was: %+v", s)
	}
}

func TestNeverHealthyAtomicUpgradeRollsBackEverythingAndExits6(t *testing.T) {
	e, res, err := neverHealthy(t, upgrade.Options{Upgrade: true, Atomic: true})
	var ae *upgrade.AtomicError
	if !errors.As(err, &ae) || ae.ExitCode() != 6 {
		t.Fatalf("err = %v", err)
	}
	if strings.Join(ae.RolledBack, ",") != "db,web" {
		t.Errorf("rolled back %v", ae.RolledBack)
	}
	e.expect("db", "active", "postgres:9")
	e.expect("web", "active", "nginx:1.13")
	if !res.RolledBack || !res.Service("web").RolledBack {
		t.Errorf("result does not say rolled back: %+v", res.Service("web"))
	}
}

// upgradeTimeline upgrades a 3-container service and returns its old and new containers.
func upgradeTimeline(t *testing.T, strategy upgrade.Strategy, scale int64) (olds, news []sim.ContainerInfo) {
	e := start(t, sim.Options{})
	e.mustUp([]*upgrade.Desired{e.service("web", "nginx:1.13", scale, false)}, upgrade.Options{})
	next := e.service("web", "nginx:1.14", scale, false)
	next.Strategy = strategy
	e.mustUp([]*upgrade.Desired{next}, upgrade.Options{Upgrade: true})
	for _, c := range e.sim.Containers(e.svc("web").ID) {
		if c.Image == "docker:nginx:1.13" {
			olds = append(olds, c)
		} else {
			news = append(news, c)
		}
	}
	if len(olds) != int(scale) || len(news) != int(scale) {
		t.Fatalf("containers:%s", describe(append(olds, news...)))
	}
	return olds, news
}

func TestStartFirstAndStopFirstOrderInContainerTimestamps(t *testing.T) {
	olds, news := upgradeTimeline(t, upgrade.Strategy{StartFirst: true, BatchSize: 1}, 1)
	if oldStop, newRun := firstAt(olds[0], "stopped"), firstAt(news[0], "running"); !newRun.Before(oldStop) {
		t.Errorf("start first: new running at %v, old stopped at %v%s", newRun, oldStop, describe(append(olds, news...)))
	}
	olds, news = upgradeTimeline(t, upgrade.Strategy{BatchSize: 1}, 1)
	if oldStop, newStart := firstAt(olds[0], "stopped"), firstAt(news[0], "starting"); !oldStop.Before(newStart) {
		t.Errorf("stop first: old stopped at %v, new starting at %v%s", oldStop, newStart, describe(append(olds, news...)))
	}
}

func TestBatchSizeAndIntervalShapeTheRollout(t *testing.T) {
	const interval = 30 * time.Second
	batches := func(strategy upgrade.Strategy) (int, time.Duration) {
		_, news := upgradeTimeline(t, strategy, 3)
		starts := map[time.Time]bool{}
		first, last := news[0].History[0].At, news[0].History[0].At
		for _, c := range news {
			at := c.History[0].At
			starts[at] = true
			if at.Before(first) {
				first = at
			}
			if at.After(last) {
				last = at
			}
		}
		return len(starts), last.Sub(first)
	}
	n, span := batches(upgrade.Strategy{BatchSize: 1, IntervalMillis: interval.Milliseconds()})
	if n != 3 || span < 2*interval {
		t.Errorf("batch 1: %d distinct creation times over %v, want 3 over at least %v", n, span, 2*interval)
	}
	n, span = batches(upgrade.Strategy{BatchSize: 3, IntervalMillis: interval.Milliseconds()})
	if n != 1 || span != 0 {
		t.Errorf("batch 3: %d distinct creation times over %v, want all at once", n, span)
	}
}

func TestStuckTransitionReachesTheTimeout(t *testing.T) {
	e := start(t, sim.Options{})
	e.mustUp([]*upgrade.Desired{e.service("web", "nginx:1.13", 1, false)}, upgrade.Options{})
	e.sim.SetFaults(sim.Faults{StuckStates: []string{"upgrading"}})
	_, _, err := e.up(context.Background(), []*upgrade.Desired{e.service("web", "nginx:1.14", 1, false)}, upgrade.Options{Upgrade: true}, 2*time.Second)
	var te *upgrade.TimeoutError
	if !errors.As(err, &te) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if len(te.Stuck) != 1 || te.Stuck[0].Name != "web" || te.Stuck[0].State != "upgrading" {
		t.Errorf("stuck = %+v", te.Stuck)
	}
}

func TestTwoConcurrentDeploysOfOneStackOneIsRefused(t *testing.T) {
	e := start(t, sim.Options{})
	var wg sync.WaitGroup
	locks := make([]*lock.Lock, 2)
	errs := make([]error, 2)
	for i, owner := range []string{"pipeline-a", "pipeline-b"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			locks[i], errs[i] = lock.Acquire(context.Background(), e.api, e.stack.Id, lock.Options{Owner: owner, TTL: time.Minute, Settle: 100 * time.Millisecond})
		}()
	}
	wg.Wait()
	won := 0
	for i := range locks {
		var held *lock.HeldError
		switch {
		case errs[i] == nil:
			won++
		case !errors.As(errs[i], &held):
			t.Errorf("unexpected error: %v", errs[i])
		}
	}
	if won != 1 {
		t.Fatalf("%d runs got the lock: %v", won, errs)
	}
	winner := locks[0]
	if winner == nil {
		winner = locks[1]
	}
	if err := winner.Release(context.Background()); err != nil {
		t.Fatal(err)
	}
	again, err := lock.Acquire(context.Background(), e.api, e.stack.Id, lock.Options{Owner: "pipeline-c", TTL: time.Minute, Settle: time.Millisecond})
	if err != nil {
		t.Fatalf("lock not free after release: %v", err)
	}
	_ = again.Release(context.Background())
}

func TestServerErrorsConvergeWithoutDuplicates(t *testing.T) {
	e := start(t, sim.Options{Seed: 7})
	names := []string{"a", "b", "c", "d", "e"}
	stack := func(tag string) []*upgrade.Desired {
		var out []*upgrade.Desired
		for _, n := range names {
			out = append(out, e.service(n, "app/"+n+":"+tag, 2, false))
		}
		return out
	}
	e.sim.SetFaults(sim.Faults{ErrorRate: 0.2})
	e.mustUp(stack("v1"), upgrade.Options{})
	e.mustUp(stack("v2"), upgrade.Options{Upgrade: true, ConfirmUpgrade: true})
	e.sim.SetFaults(sim.Faults{})
	for _, n := range names {
		e.expect(n, "active", "app/"+n+":v2")
	}
	if got := len(e.sim.Services("demo")); got != len(names) {
		t.Errorf("%d services, want %d", got, len(names))
	}
	st := e.sim.Stats()
	if st.InjectedErrors == 0 {
		t.Errorf("no 5xx was injected, the test proves nothing: %+v", st)
	}
	t.Logf("simulator stats: %+v", st)
}
