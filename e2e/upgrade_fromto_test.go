package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// Moved from the engine's UpgradeToService tests (that second implementation of `upgrade FROM TO` was
// removed; the command's is the one kept): a missing source is named and nothing is created; a missing
// target is created, its image pulled with --pull, and FROM's upgrade carries the original's defaults
// (finalScale FROM's scale, batchSize 2, intervalMillis 2000) and TO's id.
func TestUpgradeFromToNamesAMissingSource(t *testing.T) {
	e := newEnv(t, sim.Options{})
	r := e.stdinRun("nosrc", "from:\n  image: nginx:1\nto:\n  image: nginx:2\n", "upgrade", "from", "to")
	if r.code != 1 || !strings.Contains(r.stderr, "Failed to find service from") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if n := len(e.sim.Services("nosrc")); n != 0 {
		t.Errorf("%d services created", n)
	}
}

func TestUpgradeFromToCreatesTheTargetPullsAndSendsTheDefaults(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := "from:\n  image: nginx:1\nto:\n  image: nginx:2\n"
	e.writeFile("rancher-compose.yml", "from:\n  scale: 3\n")
	e.writeFile("docker-compose.yml", c)
	e.must(e.run("-p", "defaults", "up", "-d", "from"), "up -d from")
	e.must(e.run("-p", "defaults", "upgrade", "--pull", "from", "to"), "upgrade --pull from to")
	to := e.service("defaults", "to")
	tasks, _ := e.get("pulltasks")["data"].([]any)
	pulled := false
	for _, task := range tasks {
		pulled = pulled || task.(map[string]any)["image"] == "nginx:2"
	}
	if !pulled {
		t.Errorf("nginx:2 not pulled: %v", tasks)
	}
	list, _ := e.get("services?name=from")["data"].([]any)
	if len(list) != 1 {
		t.Fatalf("services named from: %v", list)
	}
	up, _ := list[0].(map[string]any)["upgrade"].(map[string]any)
	body, _ := up["toServiceStrategy"].(map[string]any)
	if str(body["toServiceId"]) != to.ID || fmt.Sprint(body["finalScale"]) != "3" ||
		fmt.Sprint(body["batchSize"]) != "2" || fmt.Sprint(body["intervalMillis"]) != "2000" {
		t.Errorf("toServiceStrategy %v (to is %s)", body, to.ID)
	}
}
