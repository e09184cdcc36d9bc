package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// bigStack is an n-service project shaped as the benchmark's: link chains five deep, some services scaled
// to 2 or 3, some with health checks, some linking nothing.
func bigStack(n int) (dockerCompose, rancherCompose string) {
	var dc, rc strings.Builder
	dc.WriteString("version: '2'\nservices:\n")
	rc.WriteString("version: '2'\nservices:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&dc, "  s%d:\n    image: bench/s%d:1.0\n", i, i%7)
		if i%5 != 0 {
			fmt.Fprintf(&dc, "    links: [s%d]\n", i-1)
		}
		scale := 1 + i%3
		fmt.Fprintf(&rc, "  s%d:\n    scale: %d\n", i, scale)
		if i%4 == 0 {
			rc.WriteString("    health_check:\n      port: 8080\n      interval: 2000\n      healthy_threshold: 2\n      unhealthy_threshold: 3\n      response_timeout: 2000\n")
		}
	}
	return dc.String(), rc.String()
}

// A second `up -d` of an unchanged 50-service stack changes nothing and so writes nothing: no deploy lock,
// no link list, no activate; its transforms are all answered by the transform cache the first run filled.
func TestNoOpUpOfBigStackSendsNoWrite(t *testing.T) {
	const n = 50
	e := newEnv(t, sim.Options{})
	e.env["XDG_CACHE_HOME"] = t.TempDir()
	dc, rc := bigStack(n)
	e.writeFile("big/docker-compose.yml", dc)
	e.writeFile("big/rancher-compose.yml", rc)
	file := e.dir + "/big/docker-compose.yml"
	e.must(e.run("-p", "big", "-f", file, "up", "-d"), "first up -d")
	if got := len(e.sim.Services("big")); got != n {
		t.Fatalf("%d services after the first up -d, want %d", got, n)
	}
	e.requests()
	before := e.sim.Stats()
	e.must(e.run("-p", "big", "-f", file, "up", "-d"), "second up -d")
	after := e.sim.Stats()
	reqs := e.requests()
	if w := after.Mutations - before.Mutations; w != 0 {
		t.Errorf("the no-op up -d sent %d writes, want none; requests:\n%s", w, strings.Join(writes(reqs), "\n"))
	}
	transforms := 0
	for _, r := range reqs {
		if strings.Contains(r, "transform") {
			transforms++
		}
	}
	if transforms != 0 {
		t.Errorf("%d transform requests for %d unchanged services: want none (the transform cache answers)", transforms, n)
	}
	t.Logf("no-op up -d of %d services: %d requests (%d transforms)", n, after.Requests-before.Requests, transforms)
}

// writes are the request log lines of POST, PUT and DELETE requests.
func writes(lines []string) []string {
	var out []string
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 1 && f[1] != "GET" {
			out = append(out, l)
		}
	}
	return out
}
