package simtest

import (
	"context"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

func TestUpUpgradeConfirmAgainstTheSimulator(t *testing.T) {
	e := start(t, sim.Options{})
	db := e.service("db", "postgres:9", 1, false)
	web := e.service("web", "nginx:1.13", 2, true)
	web.Links, web.DependsOn = []upgrade.Link{{Target: "db"}}, []string{"db"}
	e.mustUp([]*upgrade.Desired{db, web}, upgrade.Options{})
	e.expect("db", "active", "postgres:9")
	e.expect("web", "active", "nginx:1.13")

	again := e.mustUp([]*upgrade.Desired{db, web}, upgrade.Options{})
	if again.Changed {
		for _, s := range again.Services {
			t.Errorf("a second up changed something: %s %v", s.Name, s.Done)
		}
	}

	web2 := e.service("web", "nginx:1.14", 2, true)
	web2.Links, web2.DependsOn = web.Links, web.DependsOn
	res := e.mustUp([]*upgrade.Desired{db, web2}, upgrade.Options{Upgrade: true})
	e.expect("web", "upgraded", "nginx:1.14")
	if r := res.Service("web"); !r.Changed || r.OldImage != "nginx:1.13" || r.NewImage != "nginx:1.14" {
		t.Errorf("result = %+v", r)
	}
	e.mustUp([]*upgrade.Desired{db, web2}, upgrade.Options{ConfirmUpgrade: true})
	e.expect("web", "active", "nginx:1.14")
}

func TestRollbackFromASecondInvocation(t *testing.T) {
	e := start(t, sim.Options{})
	e.mustUp([]*upgrade.Desired{e.service("web", "nginx:1.13", 1, false)}, upgrade.Options{})
	e.mustUp([]*upgrade.Desired{e.service("web", "nginx:1.14", 1, false)}, upgrade.Options{Upgrade: true})
	e.expect("web", "upgraded", "nginx:1.14")
	e.mustUp([]*upgrade.Desired{e.service("web", "nginx:1.14", 1, false)}, upgrade.Options{Rollback: true})
	e.expect("web", "active", "nginx:1.13")
}

func TestApplyScaleInTheSameRunAsTheUpgrade(t *testing.T) {
	e := start(t, sim.Options{})
	e.mustUp([]*upgrade.Desired{e.service("worker", "worker:1", 2, false)}, upgrade.Options{})
	e.mustUp([]*upgrade.Desired{e.service("worker", "worker:2", 5, false)}, upgrade.Options{Upgrade: true, ConfirmUpgrade: true, ApplyScale: true})
	s := e.svc("worker")
	if s.Scale != 5 || s.State != "active" || s.Image != "docker:worker:2" {
		t.Errorf("worker = %+v", s)
	}
	running := 0
	for _, c := range e.sim.Containers(s.ID) {
		if c.State == "running" && c.Image == "docker:worker:2" {
			running++
		}
	}
	if running != 5 {
		t.Errorf("%d new containers running, want 5:%s", running, describe(e.sim.Containers(s.ID)))
	}
}

// Confirm and roll back as later pipeline steps, from the live stack alone (no compose files).
func TestConfirmAndRollbackWithoutFiles(t *testing.T) {
	e := start(t, sim.Options{})
	e.mustUp([]*upgrade.Desired{e.service("a", "app:1", 1, false), e.service("b", "app:1", 1, false)}, upgrade.Options{})
	e.mustUp([]*upgrade.Desired{e.service("a", "app:2", 1, false), e.service("b", "app:2", 1, false)}, upgrade.Options{Upgrade: true})
	confirm, err := upgrade.PlanConfirm(e.observe(), []string{"a"}, upgrade.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := upgrade.Execute(context.Background(), confirm, e.api, progress.Emitter{}); err != nil {
		t.Fatal(err)
	}
	rollback, err := upgrade.PlanRollback(e.observe(), nil, upgrade.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rollback.Services) != 1 || rollback.Services[0].Name != "b" {
		t.Fatalf("rollback plan:\n%s", rollback)
	}
	if _, err := upgrade.Execute(context.Background(), rollback, e.api, progress.Emitter{}); err != nil {
		t.Fatal(err)
	}
	e.expect("a", "active", "app:2")
	e.expect("b", "active", "app:1")
}
