package e2e

import (
	"path/filepath"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

func TestDockercoinsUpTwiceScalePsRm(t *testing.T) {
	e := newEnv(t, sim.Options{HostLabels: map[string]string{"role": "compute"}})
	file := filepath.Join(repoRoot(), "fixtures", "dockercoins", "docker-compose.yml")
	r := e.must(e.run("-f", file, "-p", "dockercoins", "up", "-d"), "up -d")
	t.Logf("stderr:\n%s", r.stderr)
	for _, n := range []string{"rng", "hasher", "worker", "webui", "redis"} {
		if s := e.service("dockercoins", n); s.State != "active" {
			t.Errorf("%s: state %s", n, s.State)
		}
	}
	t.Logf("requests: %v", e.requests())
}
