package simtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// jobImages: migrate:1 and migrate:2 exit 0, migrate:bad exits 1, all shortly after starting.
func jobImages() []sim.ImageBehavior {
	zero, one := 0, 1
	return []sim.ImageBehavior{{Glob: "migrate:bad", ExitCode: &one}, {Glob: "migrate:*", ExitCode: &zero}}
}

// job is a desired start-once service (io.rancher.container.start_once=true) of one container.
func (e *env) job(name, image string) *upgrade.Desired {
	d := e.service(name, image, 1, false)
	d.LaunchConfig["labels"].(map[string]any)[healthcheck.LabelStartOnce] = "true"
	return d
}

// jobContainer is the one container of the named service running image.
func (e *env) jobContainer(name, image string) sim.ContainerInfo {
	e.t.Helper()
	var found []sim.ContainerInfo
	for _, c := range e.sim.Containers(e.svc(name).ID) {
		if c.Image == "docker:"+image {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		e.t.Fatalf("%d containers of %s on %s:%s", len(found), name, image, describe(e.sim.Containers(e.svc(name).ID)))
	}
	return found[0]
}

func (e *env) expectExited(name, image string, code int) {
	e.t.Helper()
	if c := e.jobContainer(name, image); c.State != "stopped" || !c.Exited || c.ExitCode != code {
		e.t.Errorf("%s container %s: %s exited=%v code %d, want stopped with exit code %d", name, c.Name, c.State, c.Exited, c.ExitCode, code)
	}
}

func TestStartOnceJobExitingZeroCountsAsHealthy(t *testing.T) {
	for _, expose := range []bool{false, true} {
		e := start(t, sim.Options{Images: jobImages(), ExposeExitCode: expose})
		e.mustUp([]*upgrade.Desired{e.job("migrate", "migrate:1")}, upgrade.Options{WaitHealthy: true})
		e.expect("migrate", "active", "migrate:1")
		e.expectExited("migrate", "migrate:1", 0)

		res := e.mustUp([]*upgrade.Desired{e.job("migrate", "migrate:2")}, upgrade.Options{Upgrade: true, WaitHealthy: true})
		e.expect("migrate", "upgraded", "migrate:2")
		e.expectExited("migrate", "migrate:2", 0)
		if r := res.Service("migrate"); !r.Changed || r.NewImage != "migrate:2" || r.Error != "" {
			t.Errorf("expose=%v: result %+v", expose, r)
		}
	}
}

// failingJob deploys migrate:1, then upgrades it to migrate:bad, which exits 1, waiting for health.
func failingJob(t *testing.T, expose bool, opts upgrade.Options) (*env, *upgrade.Result, error) {
	e := start(t, sim.Options{Images: jobImages(), ExposeExitCode: expose})
	e.mustUp([]*upgrade.Desired{e.job("migrate", "migrate:1")}, upgrade.Options{})
	_, res, err := e.up(context.Background(), []*upgrade.Desired{e.job("migrate", "migrate:bad")}, opts, time.Minute)
	return e, res, err
}

// expectExitDiagnosis checks that a failure names the job's container and its exit code 1.
func expectExitDiagnosis(t *testing.T, e *env, res *upgrade.Result, err error) {
	t.Helper()
	var de *upgrade.DeployError
	if !errors.As(err, &de) || !healthcheck.IsFailed(de.Failed["migrate"]) || errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want migrate's health wait failed", err)
	}
	bad := e.jobContainer("migrate", "migrate:bad")
	if !strings.Contains(err.Error(), "container "+bad.Name+" exited with code 1") {
		t.Errorf("error does not name %s and its exit code: %v", bad.Name, err)
	}
	d := res.Service("migrate").Diagnosis
	if d == nil || len(d.Containers) != 1 {
		t.Fatalf("diagnosis = %+v", d)
	}
	if c := d.Containers[0]; c.Name != bad.Name || c.State != "stopped" || c.ExitCode == nil || *c.ExitCode != 1 {
		t.Errorf("diagnosed container %+v, want %s stopped with exit code 1", c, bad.Name)
	}
	if !strings.Contains(d.String(), "container "+bad.Name+" ("+bad.ID+"): stopped, exit code 1") {
		t.Errorf("diagnosis text:\n%s", d)
	}
	if logs := strings.Join(d.Containers[0].Logs, "\n"); !strings.Contains(logs, "exited with code 1") {
		t.Errorf("diagnosis has no log tail with the exit:\n%s", d)
	}
}

func TestStartOnceJobExitingNonZeroFailsWhenTheAPIReportsExitCodes(t *testing.T) {
	e := start(t, sim.Options{Images: jobImages(), ExposeExitCode: true})
	_, res, err := e.up(context.Background(), []*upgrade.Desired{e.job("migrate", "migrate:bad")}, upgrade.Options{WaitHealthy: true}, time.Minute)
	expectExitDiagnosis(t, e, res, err)

	e, res, err = failingJob(t, true, upgrade.Options{Upgrade: true, WaitHealthy: true})
	expectExitDiagnosis(t, e, res, err)
	e.expect("migrate", "upgraded", "migrate:bad")
	if r := res.Service("migrate"); !strings.Contains(r.Next, "rollback migrate") {
		t.Errorf("next = %q, want the rollback command", r.Next)
	}
}

func TestStartOnceJobExitingNonZeroRollsBackAnAtomicUpgrade(t *testing.T) {
	e, res, err := failingJob(t, true, upgrade.Options{Upgrade: true, Atomic: true})
	var ae *upgrade.AtomicError
	if !errors.As(err, &ae) || ae.ExitCode() != 6 || strings.Join(ae.RolledBack, ",") != "migrate" {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "exited with code 1") {
		t.Errorf("the atomic error does not say why: %v", err)
	}
	e.expect("migrate", "active", "migrate:1")
	if !res.Service("migrate").RolledBack {
		t.Errorf("result = %+v", res.Service("migrate"))
	}
}

// Stock Rancher 1.6 reports no exit code (rancher/rancher#5978): a start-once container that stopped after
// starting is taken as done, whatever its code, as the healthcheck package documents.
func TestStartOnceJobExitingNonZeroPassesOnStock16(t *testing.T) {
	e, res, err := failingJob(t, false, upgrade.Options{Upgrade: true, WaitHealthy: true})
	if err != nil {
		t.Fatalf("without exit codes in the API the wait cannot fail: %v", err)
	}
	e.expect("migrate", "upgraded", "migrate:bad")
	e.expectExited("migrate", "migrate:bad", 1)
	if r := res.Service("migrate"); r.Error != "" || r.Diagnosis != nil {
		t.Errorf("result = %+v", r)
	}
	cs, err := e.api.Containers(context.Background(), e.svc("migrate").ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Exit() != nil {
			t.Errorf("the stock API reported an exit code for %s: %d", c.Name, *c.Exit())
		}
	}
}
