package upgrade

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

type run struct {
	api    *fakeAPI
	health *fakeHealth
	events *progress.Recorder
	res    *Result
	err    error
}

func execute(t *testing.T, ctx context.Context, desired []*Desired, existing []*Service, opts Options, healthy map[string]string) *run {
	t.Helper()
	api := newFakeAPI(existing...)
	r := &run{api: api, health: &fakeHealth{api: api, healthy: healthy}, events: &progress.Recorder{}}
	plan := Reconcile(desired, observedOf(existing...), opts)
	r.res, r.err = Execute(ctx, plan, api, progress.Emitter{Sink: r.events}, WithHealth(r.health), WithCleanupTimeout(time.Second))
	return r
}

func TestExecuteCreatesAllBeforeLinkingSoCyclesWork(t *testing.T) {
	a, b := desired("a", "x:1"), desired("b", "x:1")
	a.Links, a.DependsOn = []Link{{Target: "b"}}, []string{"b"}
	b.Links, b.DependsOn = []Link{{Target: "a", Alias: "alpha"}}, []string{"a"}
	r := execute(t, context.Background(), []*Desired{a, b}, nil, Options{}, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	for _, name := range []string{"a", "b"} {
		if got := r.api.callsOf(name); got != "create setservicelinks activate" {
			t.Errorf("%s calls = %q", name, got)
		}
	}
	if r.api.indexOf("b create") > r.api.indexOf("a setservicelinks") {
		t.Error("a linked before b existed")
	}
	body, _ := json.Marshal(r.api.bodies["b setservicelinks"])
	if string(body) != `{"serviceLinks":[{"name":"alpha","serviceId":"`+r.api.idOf("a")+`"}]}` {
		t.Errorf("links body = %s", body)
	}
}

func TestExecuteUpgradeThenConfirm(t *testing.T) {
	old, cur := desired("web", "nginx:1.13"), desired("web", "nginx:1.14")
	r := execute(t, context.Background(), []*Desired{cur}, []*Service{live(old, "active")}, Options{Upgrade: true, ConfirmUpgrade: true}, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if got := r.api.callsOf("web"); got != "upgrade finishupgrade" {
		t.Errorf("calls = %q", got)
	}
	res := r.res.Service("web")
	if !res.Changed || res.State != "active" || res.OldImage != "nginx:1.13" || res.NewImage != "nginx:1.14" {
		t.Errorf("result = %+v", res)
	}
}

func TestExecuteWaitsForLinkTargets(t *testing.T) {
	db, web := desired("db", "pg:9"), desired("web", "nginx:1.14")
	web.Links, web.DependsOn = []Link{{Target: "db"}}, []string{"db"}
	oldDB, oldWeb := desired("db", "pg:8"), desired("web", "nginx:1.13")
	r := execute(t, context.Background(), []*Desired{web, db}, []*Service{live(oldDB, "active"), live(oldWeb, "active")}, Options{Upgrade: true, ConfirmUpgrade: true}, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.api.indexOf("db finishupgrade") > r.api.indexOf("web upgrade") {
		t.Errorf("web started before db finished: %v", r.api.calls)
	}
}

func TestExecutePartialFailureFinishesTheOthers(t *testing.T) {
	a, b := desired("a", "x:2"), desired("b", "x:2")
	api := []*Service{live(desired("a", "x:1"), "active"), live(desired("b", "x:1"), "active")}
	r2 := func() *run {
		apiF := newFakeAPI(api...)
		apiF.fail["a upgrade"] = errors.New("422 InvalidState")
		rr := &run{api: apiF, health: &fakeHealth{api: apiF}, events: &progress.Recorder{}}
		plan := Reconcile([]*Desired{a, b}, observedOf(api...), Options{Upgrade: true, ConfirmUpgrade: true})
		rr.res, rr.err = Execute(context.Background(), plan, apiF, progress.Emitter{Sink: rr.events}, WithHealth(rr.health))
		return rr
	}()
	var de *DeployError
	if !errors.As(r2.err, &de) || len(de.Failed) != 1 || de.Failed["a"] == nil {
		t.Fatalf("err = %v", r2.err)
	}
	if r2.api.callsOf("b") != "upgrade finishupgrade" {
		t.Errorf("b not finished: %q", r2.api.callsOf("b"))
	}
	if res := r2.res.Service("a"); !strings.Contains(res.Error, "422 InvalidState") || res.Changed {
		t.Errorf("a result = %+v", res)
	}
}

func TestExecuteRefusesAnUpgradeInTheWrongStateAtRunTime(t *testing.T) {
	old, cur := desired("web", "nginx:1.13"), desired("web", "nginx:1.14")
	plan := Reconcile([]*Desired{cur}, observedOf(live(old, "active")), Options{Upgrade: true})
	api := newFakeAPI(live(old, "upgrading"))
	_, err := Execute(context.Background(), plan, api, progress.Emitter{}, WithHealth(&fakeHealth{api: api}))
	if err == nil || !strings.Contains(err.Error(), "Service web must be state=active or inactive to upgrade, currently: state=upgrading") {
		t.Errorf("err = %v", err)
	}
}

func atomicStack() ([]*Desired, []*Service) {
	a, b, c := desired("a", "x:2"), desired("b", "x:2"), desired("c", "x:1")
	return []*Desired{a, b, c}, []*Service{live(desired("a", "x:1"), "active"), live(desired("b", "x:1"), "active"), live(c, "active")}
}

func TestAtomicConfirmsOnlyAfterEveryServiceIsHealthy(t *testing.T) {
	d, s := atomicStack()
	r := execute(t, context.Background(), d, s, Options{Upgrade: true, Atomic: true}, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	for _, name := range []string{"a", "b"} {
		if got := r.api.callsOf(name); got != "upgrade finishupgrade" {
			t.Errorf("%s calls = %q", name, got)
		}
	}
	if r.api.indexOf("a finishupgrade") < r.api.indexOf("b upgrade") || r.api.indexOf("b finishupgrade") < r.api.indexOf("a upgrade") {
		t.Errorf("a confirm came before every upgrade: %v", r.api.calls)
	}
	if r.api.callsOf("c") != "" {
		t.Errorf("unchanged c touched: %q", r.api.callsOf("c"))
	}
}

func TestAtomicRollsBackEveryUpgradedServiceAndExits6(t *testing.T) {
	d, s := atomicStack()
	r := execute(t, context.Background(), d, s, Options{Upgrade: true, Atomic: true}, map[string]string{"b": "fail"})
	var ae *AtomicError
	if !errors.As(r.err, &ae) || ae.ExitCode() != 6 {
		t.Fatalf("err = %v", r.err)
	}
	for _, name := range []string{"a", "b"} {
		if got := r.api.callsOf(name); got != "upgrade rollback" {
			t.Errorf("%s calls = %q", name, got)
		}
		if !r.res.Service(name).RolledBack {
			t.Errorf("%s not marked rolled back", name)
		}
	}
	if diag := r.res.Service("b").Diagnosis; diag == nil || diag.Containers[0].Logs[0] != "boom" {
		t.Errorf("b diagnosis = %+v", diag)
	}
	if !strings.Contains(r.err.Error(), "rolled back a, b") {
		t.Errorf("message = %q", r.err)
	}
}

func TestAtomicRollbackFailureExits1(t *testing.T) {
	d, s := atomicStack()
	api := newFakeAPI(s...)
	api.fail["a rollback"] = errors.New("503")
	plan := Reconcile(d, observedOf(s...), Options{Upgrade: true, Atomic: true})
	_, err := Execute(context.Background(), plan, api, progress.Emitter{}, WithHealth(&fakeHealth{api: api, healthy: map[string]string{"b": "fail"}}))
	var ae *AtomicError
	if !errors.As(err, &ae) || ae.ExitCode() != 1 || ae.RollbackFailed["a"] == nil {
		t.Errorf("err = %v", err)
	}
}

func TestTimeoutNamesStuckServices(t *testing.T) {
	d, s := atomicStack()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	r := execute(t, ctx, d, s, Options{Upgrade: true, WaitHealthy: true}, map[string]string{"b": "block"})
	var te *TimeoutError
	if !errors.As(r.err, &te) || !errors.Is(r.err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", r.err)
	}
	if len(te.Stuck) != 1 || te.Stuck[0].Name != "b" || !strings.Contains(te.Stuck[0].Next, "rollback b") {
		t.Errorf("stuck = %+v", te.Stuck)
	}
	if r.res.Service("b").Diagnosis == nil {
		t.Error("no diagnosis for the stuck service")
	}
}

func TestAtomicTimeoutRollsBack(t *testing.T) {
	d, s := atomicStack()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	r := execute(t, ctx, d, s, Options{Upgrade: true, Atomic: true}, map[string]string{"b": "block"})
	var ae *AtomicError
	if !errors.As(r.err, &ae) || ae.ExitCode() != 6 || !errors.Is(r.err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", r.err)
	}
	if r.api.callsOf("b") != "upgrade rollback" || r.api.callsOf("a") != "upgrade rollback" {
		t.Errorf("calls a=%q b=%q", r.api.callsOf("a"), r.api.callsOf("b"))
	}
}

func TestInterruptReportsWhereServicesWereLeft(t *testing.T) {
	d, s := atomicStack()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	r := execute(t, ctx, d, s, Options{Upgrade: true, WaitHealthy: true}, map[string]string{"a": "block", "b": "block"})
	var ie *InterruptedError
	if !errors.As(r.err, &ie) || !errors.Is(r.err, context.Canceled) {
		t.Fatalf("err = %v", r.err)
	}
	msg := r.err.Error()
	for _, want := range []string{"a (upgraded)", "b (upgraded)", "rancher-compose -p demo upgrade --confirm a"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

func TestExecuteEmitsEventsAndAResultJSON(t *testing.T) {
	old, cur := desired("web", "nginx:1.13"), desired("web", "nginx:1.14")
	r := execute(t, context.Background(), []*Desired{cur}, []*Service{live(old, "active")}, Options{Upgrade: true}, nil)
	var texts []string
	for _, e := range r.events.Events() {
		texts = append(texts, e.Resource+": "+e.Text)
	}
	joined := strings.Join(texts, "\n")
	if !strings.Contains(joined, "web: Upgrading web") || !strings.Contains(joined, "stack demo: 1 service changed, 0 unchanged") {
		t.Errorf("events:\n%s", joined)
	}
	js, _ := json.Marshal(r.res)
	for _, want := range []string{`"name":"web"`, `"changed":true`, `"oldImage":"nginx:1.13"`, `"state":"upgraded"`, `"done":["upgrade"]`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("result JSON lacks %s: %s", want, js)
		}
	}
}
