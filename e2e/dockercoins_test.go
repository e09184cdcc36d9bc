package e2e

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// mutationsOf keeps the request-log lines that create, update, upgrade or delete a service.
func mutationsOf(lines []string) []string {
	var out []string
	for _, l := range lines {
		switch {
		case strings.Contains(l, "POST /v2-beta/services ") || strings.Contains(l, "POST /v2-beta/loadbalancerservices "),
			strings.Contains(l, "PUT /v2-beta/services/"),
			strings.Contains(l, "DELETE /v2-beta/services/"),
			strings.Contains(l, "action=upgrade"), strings.Contains(l, "action=finishupgrade"),
			strings.Contains(l, "action=rollback"), strings.Contains(l, "action=activate"),
			strings.Contains(l, "action=deactivate"):
			out = append(out, l)
		}
	}
	return out
}

func dockercoins(t *testing.T) (*env, []string) {
	e := newEnv(t, sim.Options{HostLabels: map[string]string{"role": "compute"}})
	file := filepath.Join(repoRoot(), "fixtures", "dockercoins", "docker-compose.yml")
	return e, []string{"-f", file, "-p", "dockercoins"}
}

func TestDockercoinsUpTwiceScalePsRm(t *testing.T) {
	e, g := dockercoins(t)
	e.must(e.run(append(g, "up", "-d")...), "up -d")
	first := e.sim.Stats()
	for _, n := range []string{"rng", "hasher", "worker", "webui", "redis"} {
		if s := e.service("dockercoins", n); s.State != "active" {
			t.Errorf("%s: state %s", n, s.State)
		}
	}
	if s := e.service("dockercoins", "worker"); s.Scale != 3 {
		t.Errorf("worker scale %d, want 3 from rancher-compose.yml", s.Scale)
	}
	e.requests()

	r := e.must(e.run(append(g, "up", "-d", "--format", "json")...), "second up -d")
	second := e.sim.Stats()
	t.Logf("dockercoins up -d: %d requests (%d mutating) for 5 services; second (no-op) up -d: %d requests (%d mutating)",
		first.Requests, first.Mutations, second.Requests-first.Requests, second.Mutations-first.Mutations)
	if m := mutationsOf(e.requests()); len(m) != 0 {
		t.Errorf("second up -d is not a no-op: %v", m)
	}
	var res struct {
		Changed  bool `json:"changed"`
		Services []struct {
			Name    string `json:"name"`
			Changed bool   `json:"changed"`
			State   string `json:"state"`
		} `json:"services"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("--format json result: %v\n%s", err, r.stdout)
	}
	if res.Changed || len(res.Services) != 5 {
		t.Errorf("second run result: %+v", res)
	}

	e.must(e.run(append(g, "scale", "worker=5")...), "scale worker=5")
	if s := e.service("dockercoins", "worker"); s.Scale != 5 {
		t.Errorf("worker scale %d after scale worker=5", s.Scale)
	}
	ps := e.must(e.run(append(g, "ps")...), "ps")
	if !strings.Contains(ps.stdout, "worker") || !strings.Contains(ps.stdout, "5/5") {
		t.Errorf("ps does not show worker at 5/5:\n%s", ps.stdout)
	}
	psj := e.must(e.run("-p", "dockercoins", "ps", "--format", "json"), "ps --format json without files")
	var view struct {
		Services []struct {
			Name       string `json:"name"`
			Scale      int64  `json:"scale"`
			Image      string `json:"image"`
			Containers []struct {
				Host  string `json:"host"`
				State string `json:"state"`
			} `json:"containers"`
		} `json:"services"`
	}
	if err := json.Unmarshal([]byte(psj.stdout), &view); err != nil {
		t.Fatalf("ps json: %v\n%s", err, psj.stdout)
	}
	for _, s := range view.Services {
		if s.Name == "worker" && (s.Scale != 5 || len(s.Containers) < 5 || s.Image != "dockercoins/worker:v0.1" || s.Containers[0].Host == "") {
			t.Errorf("ps json worker: %+v", s)
		}
	}

	e.must(e.run(append(g, "rm", "-f")...), "rm -f")
	if left := e.sim.Services("dockercoins"); len(left) != 0 {
		t.Errorf("services left after rm: %+v", left)
	}
}
