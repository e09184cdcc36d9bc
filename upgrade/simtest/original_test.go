package simtest

import (
	"sort"
	"strings"
	"testing"

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
