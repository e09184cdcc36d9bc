package simtest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// upRecorded is up with every progress event recorded.
func (e *env) upRecorded(desired []*upgrade.Desired, opts upgrade.Options, timeout time.Duration) (*upgrade.Result, error, []progress.Event) {
	e.t.Helper()
	obs, err := e.api.Observe(context.Background(), e.stack, desired)
	if err != nil {
		e.t.Fatal(err)
	}
	plan := upgrade.Reconcile(desired, obs, opts)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	rec := &progress.Recorder{}
	health := &healthcheck.Waiter{Reader: e.api, Logs: e.api, LogLines: 5, Backoff: healthcheck.Backoff{Initial: 5 * time.Millisecond, Max: 50 * time.Millisecond, Factor: 2}}
	res, err := upgrade.Execute(ctx, plan, e.api, progress.Emitter{Sink: rec}, upgrade.WithHealth(health), upgrade.WithCleanupTimeout(20*time.Second))
	return res, err, rec.Events()
}

// An --atomic run that rolled back tells nobody to confirm anything, diagnoses only the service that failed,
// and reports the image it tried to deploy (issue 11, items 9 and 10).
func TestAtomicRollbackReportsTheTruth(t *testing.T) {
	e := start(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	e.mustUp([]*upgrade.Desired{e.service("db", "postgres:9", 1, false), e.service("web", "nginx:1.13", 2, true)}, upgrade.Options{})
	res, err, events := e.upRecorded([]*upgrade.Desired{e.service("db", "postgres:10", 1, false), e.service("web", "nginx:broken", 2, true)},
		upgrade.Options{Upgrade: true, Atomic: true}, 3*time.Second)
	var ae *upgrade.AtomicError
	if !errors.As(err, &ae) || ae.ExitCode() != 6 {
		t.Fatalf("err = %v", err)
	}
	for _, ev := range events {
		if strings.Contains(ev.Text, "upgrade --confirm") {
			t.Errorf("after the rollback, an event still says to confirm: [%s] %s", ev.Resource, ev.Text)
		}
		if ev.Resource == "db" && strings.Contains(ev.Text, "diagnosis") {
			t.Errorf("db never failed, yet is diagnosed: %s", ev.Text)
		}
	}
	db, web := res.Service("db"), res.Service("web")
	for _, r := range []*upgrade.ServiceResult{db, web} {
		if strings.Contains(r.Next, "confirm") {
			t.Errorf("%s: next = %q after a rollback", r.Name, r.Next)
		}
		if !r.RolledBack {
			t.Errorf("%s is not reported as rolled back: %+v", r.Name, r)
		}
	}
	if db.Diagnosis != nil {
		t.Errorf("db never failed, yet carries a diagnosis:\n%s", db.Diagnosis)
	}
	if web.Diagnosis == nil {
		t.Errorf("web, the failing service, has no diagnosis")
	}
	if web.NewImage != "nginx:broken" || web.OldImage != "nginx:1.13" {
		t.Errorf("web: oldImage %q newImage %q, want nginx:1.13 -> nginx:broken", web.OldImage, web.NewImage)
	}
	if db.NewImage != "postgres:10" {
		t.Errorf("db: newImage %q, want postgres:10", db.NewImage)
	}
}

// An upgrade that was accepted and then timed out changed the stack: the result says so and lists what it
// started, with the state the service was left in (issue 11, item 11).
func TestTimedOutUpgradeReportsItChangedTheStack(t *testing.T) {
	e := start(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	e.mustUp([]*upgrade.Desired{e.service("web", "nginx:1.13", 2, true)}, upgrade.Options{})
	res, err, _ := e.upRecorded([]*upgrade.Desired{e.service("web", "nginx:broken", 2, true)},
		upgrade.Options{Upgrade: true, WaitHealthy: true}, 2*time.Second)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a timeout", err)
	}
	web := res.Service("web")
	if !res.Changed || !web.Changed {
		t.Errorf("changed = %v (web %v): the upgrade was accepted, the stack changed", res.Changed, web.Changed)
	}
	if !slices.Contains(append(append([]upgrade.StepKind{}, web.Done...), web.Started...), upgrade.StepUpgrade) {
		t.Errorf("web: done %v started %v: the upgrade it started is not listed", web.Done, web.Started)
	}
	if web.State != "upgrading" {
		t.Errorf("web: state %q, want upgrading", web.State)
	}
}

// A service that never started because the service it depends on held the run up is not diagnosed (its
// state says nothing about the failure), and the timeout says it was not started.
func TestServiceWaitingForItsDependencyIsNotDiagnosed(t *testing.T) {
	e := start(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	web := func(image string) *upgrade.Desired {
		d := e.service("web", image, 1, false)
		d.DependsOn = []string{"db"}
		return d
	}
	e.mustUp([]*upgrade.Desired{e.service("db", "nginx:1.13", 1, true), web("app:1")}, upgrade.Options{})
	res, err, _ := e.upRecorded([]*upgrade.Desired{e.service("db", "nginx:broken", 1, true), web("app:2")},
		upgrade.Options{Upgrade: true, WaitHealthy: true}, 2*time.Second)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if d := res.Service("web").Diagnosis; d != nil {
		t.Errorf("web never started, yet is diagnosed:\n%s", d)
	}
	if res.Service("db").Diagnosis == nil {
		t.Error("db, which held the run up, has no diagnosis")
	}
	if !strings.Contains(err.Error(), "web (active: not started: waits for db)") {
		t.Errorf("the timeout does not say web was not started: %v", err)
	}
}
