package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// TestOrphansWarnedAndRemoved: a service removed from the files is named in a warning and left alone by
// `up`; --dry-run lists it; a held deploy lock refuses --remove-orphans; --remove-orphans removes it and
// the JSON result lists it. A service disabled by profiles is no orphan.
func TestOrphansWarnedAndRemoved(t *testing.T) {
	e := newEnv(t, sim.Options{Hosts: 2})
	e.writeFile("docker-compose.yml", "version: '3'\nservices:\n  web: {image: nginx}\n  old: {image: old}\n  tool: {image: tool}\n")
	e.must(e.run("-p", "orph", "up", "-d"), "first up")
	e.writeFile("docker-compose.yml", "version: '3'\nservices:\n  web: {image: nginx}\n  tool: {image: tool, profiles: [ops]}\n")

	r := e.must(e.run("-p", "orph", "up", "-d"), "up without old")
	if !strings.Contains(r.stderr, "(orphans): old;") || strings.Contains(r.stderr, "tool;") {
		t.Errorf("the warning must name old (and not tool, disabled by a profile):\n%s", r.stderr)
	}
	if got := strings.Join(stackServiceNames(e, "orph"), ","); got != "old,tool,web" {
		t.Fatalf("up without --remove-orphans changed the stack: %s", got)
	}

	dry := e.must(e.run("-p", "orph", "up", "-d", "--remove-orphans", "--dry-run"), "dry run")
	if !strings.Contains(dry.stdout, "old: remove (orphan") {
		t.Errorf("the dry run does not show the orphan's removal:\n%s", dry.stdout)
	}
	var plan upgrade.Plan
	dj := e.must(e.run("-p", "orph", "up", "-d", "--remove-orphans", "--dry-run", "--format", "json"), "dry run json")
	if err := json.Unmarshal([]byte(dj.stdout), &plan); err != nil || strings.Join(plan.Orphans, ",") != "old" || !plan.RemoveOrphans {
		t.Errorf("plan orphans %v remove %v (%v)", plan.Orphans, plan.RemoveOrphans, err)
	}

	c, err := rancher.New(context.Background(), rancher.Config{URL: e.sim.URL(), AccessKey: e.sim.AccessKey(), SecretKey: e.sim.SecretKey()})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Stacks().ByName(context.Background(), "orph", nil)
	if err != nil || st == nil {
		t.Fatalf("stack orph: %v", err)
	}
	held, err := lock.Acquire(context.Background(), upgrade.NewRancherAPI(c), st.Id, lock.Options{Owner: "other-pipeline", TTL: time.Hour, Settle: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if r := e.run("-p", "orph", "up", "-d", "--remove-orphans"); r.code == 0 || !strings.Contains(r.stderr, "other-pipeline") {
		t.Fatalf("--remove-orphans under another run's lock: exit %d\n%s", r.code, r.stderr)
	}
	if got := strings.Join(stackServiceNames(e, "orph"), ","); got != "old,tool,web" {
		t.Fatalf("a refused --remove-orphans changed the stack: %s", got)
	}
	if err := held.Release(context.Background()); err != nil {
		t.Fatal(err)
	}

	rm := e.must(e.run("-p", "orph", "up", "-d", "--remove-orphans", "--format", "json"), "up --remove-orphans")
	var res upgrade.Result
	if err := json.Unmarshal([]byte(rm.stdout), &res); err != nil {
		t.Fatalf("result: %v\n%s", err, rm.stdout)
	}
	if strings.Join(res.Orphans, ",") != "old" || strings.Join(res.RemovedOrphans, ",") != "old" || !res.Changed {
		t.Errorf("result orphans %v removed %v changed %v", res.Orphans, res.RemovedOrphans, res.Changed)
	}
	if got := strings.Join(stackServiceNames(e, "orph"), ","); got != "tool,web" {
		t.Errorf("after --remove-orphans: %s, want tool,web", got)
	}
}
