package e2e

import (
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// TestRerunIsANoOpWhenCattleRewroteTheConfig: what the simulator stores differs from what the client
// sent, as on Cattle (ports rewritten and allocated by setPorts, embedded objects typed, named volumes
// turned into volumes), and a second `up -d`, also with --upgrade, still changes nothing: change
// detection rests on the service digests, not on the launch config read back (issue 8). (A service
// with a remote build is left out: `up --upgrade` upgrades it on every run, with or without these
// simulator changes.)
func TestRerunIsANoOpWhenCattleRewroteTheConfig(t *testing.T) {
	e := newEnv(t, sim.Options{})
	compose := `version: '2'
services:
  web:
    image: nginx
    ports: ["80", "8080:81"]
    volumes: ["data:/data"]
    logging:
      driver: syslog
      options:
        tag: web
  lb:
    image: rancher/lb-service-haproxy
    ports: ["9000"]
    lb_config:
      port_rules:
      - source_port: 9000
        target_port: 80
        service: web
volumes:
  data: {}
`
	e.mustStdin("fidelity", compose, "up", "-d")
	ports := strings.Join(stringsOf(lc(e.svc("fidelity", "web"))["ports"]), ",")
	if ports != "8080:81/tcp,49153:80/tcp" {
		t.Errorf("web ports as stored: %s", ports)
	}
	if l, _ := lc(e.svc("fidelity", "web"))["logConfig"].(map[string]any); l == nil || l["type"] != "logConfig" {
		t.Errorf("logConfig as stored: %v", lc(e.svc("fidelity", "web"))["logConfig"])
	}
	if lb := strings.Join(stringsOf(lc(e.svc("fidelity", "lb"))["ports"]), ","); lb != "9000:9000/tcp" {
		t.Errorf("lb ports as stored: %s", lb)
	}
	e.requests()
	for _, args := range [][]string{{"up", "-d"}, {"up", "-d", "--upgrade"}} {
		e.mustStdin("fidelity", compose, args...)
		if m := mutationsOf(e.requests()); len(m) != 0 {
			t.Errorf("rerun %v is not a no-op: %v", args, m)
		}
	}
}
