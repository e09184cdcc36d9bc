package compose

import (
	"reflect"
	"testing"
)

const deployFile = `version: "3.8"
services:
  web:
    image: nginx
    deploy:
      mode: global
      replicas: 3
      update_config:
        parallelism: 4
        delay: 2500ms
        order: start-first
        failure_action: rollback
      resources:
        limits: {memory: 256M, cpus: "0.5"}
        reservations: {memory: 64M}
      placement:
        constraints:
          - node.labels.role == frontend
          - node.labels.zone!=eu-1
          - node.role == manager
      restart_policy: {condition: on-failure}
  api:
    image: api
    mem_limit: 1g
    labels:
      io.rancher.scheduler.global: "false"
    deploy:
      mode: global
      update_config: {parallelism: 5, delay: 10s}
      resources:
        limits: {memory: 256M}
`

// TestDeployKeysMapping checks every row of the deploy: mapping (README "Configuration files").
func TestDeployKeysMapping(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": deployFile}, Options{})
	web := p.Service("web")
	wantLabels := map[string]string{
		"io.rancher.scheduler.global":                 "true",
		"io.rancher.scheduler.affinity:host_label":    "role=frontend",
		"io.rancher.scheduler.affinity:host_label_ne": "zone=eu-1",
	}
	if !reflect.DeepEqual(web.Compose.Labels, wantLabels) {
		t.Errorf("labels %v, want %v", web.Compose.Labels, wantLabels)
	}
	if web.Compose.MemLimit != 256<<20 || web.Compose.MemReservation != 64<<20 {
		t.Errorf("mem_limit %d, mem_reservation %d", web.Compose.MemLimit, web.Compose.MemReservation)
	}
	if web.Scale() != 3 {
		t.Errorf("scale %d, want 3 (deploy.replicas)", web.Scale())
	}
	if got, want := web.UpgradeStrategy(), (&UpgradeStrategy{StartFirst: true, BatchSize: 4, IntervalMillis: 2500}); !reflect.DeepEqual(got, want) {
		t.Errorf("upgrade strategy %+v, want %+v", got, want)
	}
	for _, w := range []string{"services.web.deploy.update_config.failure_action", "services.web.deploy.resources.limits.cpus",
		"services.web.deploy.placement.constraints[2]", "services.web.deploy.restart_policy"} {
		requireDiag(t, p.Warnings, "docker-compose.yml:", w, "cannot honour")
	}
	requireDiag(t, p.Warnings, "docker-compose.yml:20:13", "node.role == manager")
	requireDiag(t, p.Warnings, "docker-compose.yml:7:17", "services.web.deploy.replicas", "global service")

	api := p.Service("api")
	if api.Compose.Labels["io.rancher.scheduler.global"] != "false" {
		t.Errorf("a label the service sets must win over deploy.mode: %v", api.Compose.Labels)
	}
	if api.Compose.MemLimit != 1<<30 {
		t.Errorf("mem_limit must win over deploy.resources.limits.memory: %d", api.Compose.MemLimit)
	}
}

// TestDeployPrecedence: rancher-compose.yml beats deploy: field by field (flags beat both in the planner).
func TestDeployPrecedence(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": deployFile, "rancher-compose.yml": `version: "2"
services:
  web:
    scale: 2
    upgrade_strategy: {batch_size: 1}
  api:
    upgrade_strategy: {interval_millis: 700, start_first: true}
`}, Options{})
	if got := p.Service("web").Scale(); got != 2 {
		t.Errorf("scale %d, want 2 (rancher-compose.yml beats deploy.replicas)", got)
	}
	if got, want := p.Service("web").UpgradeStrategy(), (&UpgradeStrategy{StartFirst: true, BatchSize: 1, IntervalMillis: 2500}); !reflect.DeepEqual(got, want) {
		t.Errorf("web strategy %+v, want %+v", got, want)
	}
	if got, want := p.Service("api").UpgradeStrategy(), (&UpgradeStrategy{StartFirst: true, BatchSize: 5, IntervalMillis: 700}); !reflect.DeepEqual(got, want) {
		t.Errorf("api strategy %+v, want %+v", got, want)
	}
}

func TestDeployBadOrder(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": `version: "3.4"
services:
  a:
    image: a
    deploy:
      update_config: {order: sideways}
`}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:6", "services.a.deploy.update_config.order", "start-first or stop-first")
}
