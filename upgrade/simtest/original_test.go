package simtest

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// The in-service upgrade rows of the original's integration suite (original-behavior.md §4.1), replayed
// through the planner and executor against the simulator.

// withSidekicks adds sidekicks (name → image) to a desired service, labels and digests included.
func withSidekicks(d *upgrade.Desired, sidekicks map[string]string) *upgrade.Desired {
	var names []string
	for n := range sidekicks {
		names = append(names, n)
	}
	sort.Strings(names)
	labels := d.LaunchConfig["labels"].(map[string]any)
	labels["io.rancher.sidekicks"] = strings.Join(names, ",")
	d.Digests.Primary += "+" + strings.Join(names, ",")
	labels[upgrade.HashKey] = d.Digests.Primary
	d.Sidekicks, d.Digests.Sidekicks = map[string]map[string]any{}, map[string]string{}
	var secondaries []any
	for _, n := range names {
		lc := map[string]any{"name": n, "imageUuid": "docker:" + sidekicks[n], "labels": map[string]any{upgrade.HashKey: "sk-" + sidekicks[n]}}
		d.Sidekicks[n], d.Digests.Sidekicks[n] = lc, "sk-"+sidekicks[n]
		secondaries = append(secondaries, lc)
	}
	d.CreateBody["secondaryLaunchConfigs"] = secondaries
	return d
}

// running counts the running containers of a service per launch config (primary or sidekick name).
func (e *env) running(name string) map[string]int {
	out := map[string]int{}
	for _, c := range e.sim.Containers(e.svc(name).ID) {
		if c.State == "running" {
			out[c.LaunchConfig]++
		}
	}
	return out
}

// Row 39, test_service_inplace_upgrade_inactive: create (inactive), `up -u -d` → upgraded, `up -c -d` → active.
func TestOriginalInplaceUpgradeInactive(t *testing.T) {
	e := start(t, sim.Options{})
	e.mustUp([]*upgrade.Desired{e.service("web", "nginx:1.13", 1, false)}, upgrade.Options{CreateOnly: true})
	e.expect("web", "inactive", "nginx:1.13")
	e.mustUp([]*upgrade.Desired{e.service("web", "nginx:1.14", 1, false)}, upgrade.Options{Upgrade: true})
	e.expect("web", "upgraded", "nginx:1.14")
	e.mustUp([]*upgrade.Desired{e.service("web", "nginx:1.14", 1, false)}, upgrade.Options{ConfirmUpgrade: true})
	e.expect("web", "active", "nginx:1.14")
}

// Rows 41 and 42, test_upgrade_add_sidekick / test_upgrade_remove_sidekick.
func TestOriginalUpgradeAddsAndRemovesSidekicks(t *testing.T) {
	e := start(t, sim.Options{})
	parent := func(sidekicks map[string]string) []*upgrade.Desired {
		return []*upgrade.Desired{withSidekicks(e.service("parent", "nginx:1", 1, false), sidekicks)}
	}
	e.mustUp(parent(map[string]string{"child1": "busybox:1"}), upgrade.Options{})
	e.mustUp(parent(map[string]string{"child1": "busybox:1", "child2": "busybox:1"}), upgrade.Options{Upgrade: true, ConfirmUpgrade: true})
	if got := e.running("parent"); got["child2"] != 1 || got["child1"] != 1 {
		t.Errorf("after adding child2: %v", got)
	}
	e.mustUp(parent(map[string]string{"child1": "busybox:1"}), upgrade.Options{Upgrade: true, ConfirmUpgrade: true})
	if got := e.running("parent"); got["child2"] != 0 || got["child1"] != 1 {
		t.Errorf("after removing child2: %v", got)
	}
}

// Row 77, test_force_upgrade_primary: `up --force-upgrade -d parent` replaces only the primary's
// containers; a later --force-upgrade of everything replaces both.
func TestOriginalForceUpgradePrimaryOnly(t *testing.T) {
	e := start(t, sim.Options{})
	stack := func() []*upgrade.Desired {
		return []*upgrade.Desired{withSidekicks(e.service("parent", "nginx:1", 1, false), map[string]string{"child": "busybox:1"})}
	}
	e.mustUp(stack(), upgrade.Options{})
	uuids := func() map[string]string {
		out := map[string]string{}
		for _, c := range e.sim.Containers(e.svc("parent").ID) {
			if c.State == "running" {
				out[c.LaunchConfig] = c.UUID
			}
		}
		return out
	}
	before := uuids()
	e.mustUp(stack(), upgrade.Options{ForceUpgrade: true, Services: []string{"parent"}})
	e.mustUp(stack(), upgrade.Options{ConfirmUpgrade: true})
	mid := uuids()
	if mid["child"] != before["child"] {
		t.Errorf("child replaced by a primary-only force upgrade: %v → %v", before, mid)
	}
	for k, v := range mid {
		if k != "child" && v == before[k] {
			t.Errorf("primary %s not replaced: %v → %v", k, before, mid)
		}
	}
	e.mustUp(stack(), upgrade.Options{ForceUpgrade: true, ConfirmUpgrade: true})
	after := uuids()
	for k, v := range after {
		if v == mid[k] {
			t.Errorf("%s not replaced by a full force upgrade: %v → %v", k, mid, after)
		}
	}
}

// Row 53, test_upgrade_no_source: `upgrade from to` without FROM in Rancher fails and creates nothing.
func TestOriginalUpgradeNoSource(t *testing.T) {
	e := start(t, sim.Options{})
	err := upgrade.UpgradeToService(context.Background(), e.api, progress.Emitter{}, e.observe(),
		e.service("from", "nginx:1", 1, false), e.service("to", "nginx:2", 100, false), upgrade.ToServiceOptions{IntervalMillis: 1000, FinalScale: 2})
	if err == nil || err.Error() != "Failed to find service from" {
		t.Errorf("err = %v", err)
	}
	if n := len(e.sim.Services("demo")); n != 0 {
		t.Errorf("%d services created", n)
	}
}

// Row 54, test_upgrade_ignore_scale: `upgrade --pull --interval 1000 --scale=2 from to` ends with TO at
// scale 2 (not rancher-compose's 100), FROM at 0, TO active.
func TestOriginalUpgradeIgnoreScale(t *testing.T) {
	e := start(t, sim.Options{})
	e.mustUp([]*upgrade.Desired{e.service("from", "nginx:1", 1, false)}, upgrade.Options{})
	err := upgrade.UpgradeToService(context.Background(), e.api, progress.Emitter{}, e.observe(),
		e.service("from", "nginx:1", 1, false), e.service("to", "nginx:2", 100, false),
		upgrade.ToServiceOptions{Pull: true, IntervalMillis: 1000, FinalScale: 2, UpdateLinks: true, Wait: true})
	if err != nil {
		t.Fatal(err)
	}
	from, to := e.svc("from"), e.svc("to")
	if to.Scale != 2 || from.Scale != 0 || to.State != "active" {
		t.Errorf("from %+v\nto %+v", from, to)
	}
}

func TestUpgradeToServiceCleanupRemovesTheSource(t *testing.T) {
	e := start(t, sim.Options{})
	e.mustUp([]*upgrade.Desired{e.service("from", "nginx:1", 2, false)}, upgrade.Options{})
	err := upgrade.UpgradeToService(context.Background(), e.api, progress.Emitter{}, e.observe(),
		e.service("from", "nginx:1", 2, false), e.service("to", "nginx:2", 1, false), upgrade.ToServiceOptions{Cleanup: true, UpdateLinks: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range e.sim.Services("demo") {
		if s.Name == "from" && s.State != "removing" && s.State != "removed" {
			t.Errorf("from left %s", s.State)
		}
	}
	if to := e.svc("to"); to.Scale != 2 {
		t.Errorf("to scale %d, want FROM's 2", to.Scale)
	}
}
