package swarm

import (
	"context"
	"errors"
	"github.com/rancher-compose-ng/rancher-compose/engine"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

func TestFakeStopStartRestartAndUpStartsAStoppedService(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.run(func(o Observed) (*Plan, error) { return PlanStop("demo", o, []string{"web"}) }); err != nil {
		t.Fatal(err)
	}
	web := s.f.Service("demo", "web")
	if currentReplicas(web) != 0 || web.Spec.Labels[LabelStoppedReplicas] != "2" {
		t.Fatalf("stop: %d replicas, label %q", currentReplicas(web), web.Spec.Labels[LabelStoppedReplicas])
	}
	if p := s.plan("v1", UpOptions{}); p.Services[0].Name == "web" && !p.Services[0].Has(StepStart) {
		t.Errorf("up should start a stopped service: %v", p.Services[0].Steps)
	}
	if _, err := s.run(func(o Observed) (*Plan, error) { return PlanStart("demo", o, nil) }); err != nil {
		t.Fatal(err)
	}
	web = s.f.Service("demo", "web")
	if currentReplicas(web) != 2 || web.Spec.Labels[LabelStoppedReplicas] != "" || web.Spec.Labels[LabelHash] == "" {
		t.Errorf("start: %d replicas, labels %v", currentReplicas(web), web.Spec.Labels)
	}
	if p := s.plan("v1", UpOptions{}); p.Services[0].Action() != StepUnchanged {
		t.Errorf("stop then start must not look like a change: %s", p.Services[0].Action())
	}
	force := web.Spec.TaskTemplate.ForceUpdate
	if _, err := s.run(func(o Observed) (*Plan, error) { return PlanRestart("demo", o, []string{"web"}) }); err != nil {
		t.Fatal(err)
	}
	if got := s.f.Service("demo", "web").Spec.TaskTemplate.ForceUpdate; got != force+1 {
		t.Errorf("restart: ForceUpdate %d → %d", force, got)
	}
}

func TestFakeStatusForPs(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.up("v2", UpOptions{Upgrade: true, Services: []string{"web"}}); err != nil {
		t.Fatal(err)
	}
	st, err := Status(context.Background(), s.c, "demo", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 3 || st[1].Name != "web" {
		t.Fatalf("status rows: %+v", st)
	}
	web := st[1]
	if web.Running != 2 || web.Desired != 2 || web.Health != "healthy" || web.Image != "app:v2" || web.Record != StatePending ||
		web.UpdateState != "completed" || len(web.Tasks) != 2 || web.Tasks[0].Node != "host-a" {
		t.Errorf("web status = %+v", web)
	}
}

func TestFakePullWarnsForLocalImagesOnly(t *testing.T) {
	s := newFakeStack(t)
	d, err := Map(loadProject(t, fakeCompose, fakeRancher, "TAG=v1"), MapOptions{ProbePath: probeOpts})
	if err != nil {
		t.Fatal(err)
	}
	s.f.Images["app:v1"] = true
	_, err = Pull(context.Background(), s.c, d, nil)
	if err == nil || !strings.Contains(err.Error(), "worker:1") || !strings.Contains(err.Error(), "not present locally") {
		t.Errorf("a missing image with no registry must fail naming it: %v", err)
	}
	s.f.Images["worker:1"] = true
	out, err := Pull(context.Background(), s.c, d, nil)
	if err != nil || len(out) != 2 || out[0].Pulled || !strings.Contains(out[0].Warning, "using the local image") {
		t.Errorf("present images: %+v, %v", out, err)
	}
}

func TestFakeDeployLockLivesInAConfigThatRmRemoves(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	store := LockStore{Client: s.c}
	opts := lock.Options{Owner: "ci-1", TTL: time.Minute, Settle: time.Millisecond}
	l, err := lock.Acquire(context.Background(), store, "demo", opts)
	if err != nil {
		t.Fatal(err)
	}
	var held *lock.HeldError
	if _, err := lock.Acquire(context.Background(), store, "demo", lock.Options{Owner: "ci-2", TTL: time.Minute}); !errors.As(err, &held) || held.Holder.Owner != "ci-1" {
		t.Errorf("a second run must be refused naming the holder: %v", err)
	}
	if err := l.Release(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Acquire(context.Background(), store, "demo", lock.Options{Owner: "ci-2", TTL: time.Minute, Settle: time.Millisecond}); err != nil {
		t.Errorf("after release: %v", err)
	}
	if len(s.f.Configs) != 1 {
		t.Fatalf("want one lock config, have %d", len(s.f.Configs))
	}
	if _, err := s.run(func(o Observed) (*Plan, error) { return PlanRemove("demo", o, nil) }); err != nil {
		t.Fatal(err)
	}
	if len(s.f.Configs) != 0 {
		t.Error("rm left the lock config behind")
	}
}

func TestFakeOrphansAreListedAndRemovedOnlyWhenAsked(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	d, err := Map(loadProject(t, "version: '2'\nservices:\n  web: {image: 'app:v1'}\n", fakeRancher), MapOptions{ProbePath: probeOpts})
	if err != nil {
		t.Fatal(err)
	}
	run := func(o UpOptions) *Result {
		obs, _ := Observe(context.Background(), s.c, "demo")
		p, err := PlanUp(d, obs, o)
		if err != nil {
			t.Fatal(err)
		}
		res, err := s.executor().Execute(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := run(UpOptions{})
	if strings.Join(res.Orphans, ",") != "db,worker" || len(res.RemovedOrphans) != 0 || len(s.f.Services) != 3 {
		t.Errorf("orphans %v removed %v, %d services", res.Orphans, res.RemovedOrphans, len(s.f.Services))
	}
	if !recorded(s.rec, "demo", progress.Warning, "db, worker") {
		t.Error("no warning naming the orphans")
	}
	res = run(UpOptions{RemoveOrphans: true})
	if strings.Join(res.RemovedOrphans, ",") != "db,worker" || len(s.f.Services) != 1 {
		t.Errorf("--remove-orphans: removed %v, %d services left", res.RemovedOrphans, len(s.f.Services))
	}
}

func TestFakeLogsArePrefixedPerService(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	e := &Engine{Client: s.c}
	var out strings.Builder
	if err := e.Logs(context.Background(), engine.Target{Stack: "demo", Services: []string{"web", "db"}}, false, 10, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"web | demo_web line 1\n", "web | demo_web line 2\n", "db | demo_db line 1\n"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("logs lack %q:\n%s", want, out.String())
		}
	}
	var nf *NotFoundError
	if err := e.Logs(context.Background(), engine.Target{Stack: "demo", Services: []string{"nope"}}, false, 10, &out); !errors.As(err, &nf) {
		t.Errorf("logs of an unknown service: %v", err)
	}
}

func TestFakeCreateLeavesServicesStoppedUntilStartOrUp(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{CreateOnly: true}); err != nil {
		t.Fatal(err)
	}
	web := s.f.Service("demo", "web")
	if currentReplicas(web) != 0 || web.Spec.Labels[LabelStoppedReplicas] != "2" {
		t.Fatalf("create: %d replicas, stopped label %q", currentReplicas(web), web.Spec.Labels[LabelStoppedReplicas])
	}
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if n := currentReplicas(s.f.Service("demo", "web")); n != 2 {
		t.Errorf("up after create: %d replicas, want 2", n)
	}
}
