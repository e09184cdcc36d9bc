package e2e

import (
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

func deployKeysCompose(tag string) string {
	return `version: "3.8"
services:
  web:
    image: nginx:` + tag + `
    deploy:
      mode: global
      update_config: {parallelism: 4, delay: 2500ms, order: start-first}
      resources:
        limits: {memory: 256M}
        reservations: {memory: 64M}
      placement:
        constraints: [node.labels.role == frontend, node.labels.zone != eu-1]
  api:
    image: api:` + tag + `
    deploy:
      replicas: 3
      update_config: {parallelism: 3, delay: 2s}
`
}

// TestDeployKeysOnRancher: every deploy: mapping reaches the API (labels, memory, scale, the upgrade
// strategy), and the precedence holds: command-line flags > rancher-compose.yml > deploy: > defaults.
func TestDeployKeysOnRancher(t *testing.T) {
	e := newEnv(t, sim.Options{PerHostLabels: []map[string]string{{"role": "frontend"}, {"role": "frontend", "zone": "eu-1"}, {"role": "backend"}}})
	e.writeFile("docker-compose.yml", deployKeysCompose("1"))
	e.must(e.run("-p", "dk", "up", "-d"), "up")
	web := e.svc("dk", "web")
	labels, _ := lc(web)["labels"].(map[string]any)
	for k, v := range map[string]string{"io.rancher.scheduler.global": "true",
		"io.rancher.scheduler.affinity:host_label": "role=frontend", "io.rancher.scheduler.affinity:host_label_ne": "zone=eu-1"} {
		if str(labels[k]) != v {
			t.Errorf("web label %s = %q, want %q", k, str(labels[k]), v)
		}
	}
	jsonEq(t, "web memory", lc(web)["memory"], 256<<20)
	jsonEq(t, "web memoryReservation", lc(web)["memoryReservation"], 64<<20)
	if got := len(e.sim.Containers(e.service("dk", "web").ID)); got != 1 {
		t.Errorf("global web with constraints runs %d containers, want 1 (the one frontend host outside eu-1)", got)
	}
	jsonEq(t, "api scale", e.svc("dk", "api")["scale"], 3)

	strategy := func(name string) map[string]any {
		up, _ := e.svc("dk", name)["upgrade"].(map[string]any)
		s, _ := up["inServiceStrategy"].(map[string]any)
		return s
	}
	e.writeFile("docker-compose.yml", deployKeysCompose("2"))
	e.must(e.run("-p", "dk", "up", "-d", "--upgrade", "--confirm-upgrade"), "upgrade from deploy: keys")
	s := strategy("web")
	jsonEq(t, "deploy: batchSize", s["batchSize"], 4)
	jsonEq(t, "deploy: intervalMillis", s["intervalMillis"], 2500)
	jsonEq(t, "deploy: startFirst", s["startFirst"], true)

	e.writeFile("rancher-compose.yml", "version: '2'\nservices:\n  web:\n    upgrade_strategy: {batch_size: 1}\n  api:\n    scale: 2\n")
	e.writeFile("docker-compose.yml", deployKeysCompose("3"))
	r := e.must(e.run("-p", "dk", "up", "-d", "--upgrade", "--confirm-upgrade", "--apply-scale"), "upgrade with rancher-compose.yml")
	s = strategy("web")
	jsonEq(t, "rancher-compose.yml batchSize", s["batchSize"], 1)
	jsonEq(t, "deploy: intervalMillis kept", s["intervalMillis"], 2500)
	jsonEq(t, "rancher-compose.yml scale", e.svc("dk", "api")["scale"], 2)

	e.writeFile("docker-compose.yml", deployKeysCompose("4"))
	e.must(e.run("-p", "dk", "up", "-d", "--upgrade", "--confirm-upgrade", "--batch-size", "3", "--interval", "100"), "upgrade with flags")
	s = strategy("web")
	jsonEq(t, "flag batchSize", s["batchSize"], 3)
	jsonEq(t, "flag intervalMillis", s["intervalMillis"], 100)
	if strings.Contains(r.stderr, "placement") {
		t.Errorf("no warning expected for honoured constraints:\n%s", r.stderr)
	}
}
