package swarm

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/mount"
	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// loadProject loads a project from a docker-compose.yml and rancher-compose.yml text ("" for none).
func loadProject(t *testing.T, composeText, rancherText string, env ...string) *compose.Project {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "docker-compose.yml"), []byte(composeText), 0o644); err != nil {
		t.Fatal(err)
	}
	if rancherText != "" {
		if err := os.WriteFile(filepath.Join(dir, "rancher-compose.yml"), []byte(rancherText), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := compose.Load(context.Background(), compose.Options{WorkDir: dir, ProjectName: "demo", Environ: env})
	if err != nil {
		t.Fatalf("loading: %v", err)
	}
	return p
}

func mapProject(t *testing.T, composeText, rancherText string, o MapOptions) *DesiredStack {
	t.Helper()
	d, err := Map(loadProject(t, composeText, rancherText), o)
	if err != nil {
		t.Fatalf("Map: %v", err)
	}
	return d
}

func warningsAbout(d *DesiredStack, key string) []string {
	var out []string
	for _, w := range d.Warnings {
		if strings.Contains(w.Key, key) {
			out = append(out, w.String())
		}
	}
	return out
}

const probeOpts = "/opt/rc/probe"

func TestMapScaleGlobalAndDeployReplicas(t *testing.T) {
	d := mapProject(t, `version: '3'
services:
  web: {image: web:1}
  agent:
    image: agent:1
    labels: {io.rancher.scheduler.global: 'true'}
  job:
    image: job:1
    deploy: {replicas: 4}
  batch:
    image: job:1
    deploy: {replicas: 4, mode: global}
  lone:
    image: job:1
    deploy: {replicas: 5}
`, `version: '2'
services:
  web: {scale: 3}
  job: {scale: 2}
`, MapOptions{})
	if got := d.Service("web").Replicas(); got != 3 {
		t.Errorf("scale 3 → %d replicas", got)
	}
	if d.Service("agent").Spec.Mode.Global == nil {
		t.Errorf("io.rancher.scheduler.global should map to global mode: %+v", d.Service("agent").Spec.Mode)
	}
	if got := d.Service("job").Replicas(); got != 2 {
		t.Errorf("rancher-compose scale 2 wins over deploy.replicas (the project's precedence), got %d", got)
	}
	if got := d.Service("lone").Replicas(); got != 5 {
		t.Errorf("deploy.replicas alone: %d replicas, want 5", got)
	}
	if d.Service("batch").Spec.Mode.Global == nil {
		t.Error("deploy.mode: global should map to global mode")
	}
	if n := d.Service("web").Spec.Name; n != "demo_web" {
		t.Errorf("service name %q, want demo_web", n)
	}
	if ns := d.Service("web").Spec.Labels[LabelNamespace]; ns != "demo" {
		t.Errorf("namespace label %q", ns)
	}
}

func TestMapUpgradeStrategyAndFlags(t *testing.T) {
	const c = "version: '2'\nservices:\n  web: {image: web:1}\n  db: {image: db:1}\n"
	const r = `version: '2'
services:
  web:
    upgrade_strategy: {start_first: true, batch_size: 2, interval_millis: 1500}
`
	d := mapProject(t, c, r, MapOptions{})
	u := d.Service("web").Spec.UpdateConfig
	want := swarmtypes.UpdateConfig{Parallelism: 2, Delay: 1500 * time.Millisecond, Order: swarmtypes.UpdateOrderStartFirst,
		FailureAction: swarmtypes.UpdateFailureActionPause, Monitor: 5 * time.Second}
	if !reflect.DeepEqual(*u, want) {
		t.Errorf("UpdateConfig = %+v, want %+v", *u, want)
	}
	if db := d.Service("db").Spec.UpdateConfig; db.Parallelism != 1 || db.Order != swarmtypes.UpdateOrderStopFirst {
		t.Errorf("defaults: %+v", *db)
	}
	dep := mapProject(t, `version: '3'
services:
  web:
    image: web:1
    deploy:
      update_config: {parallelism: 3, delay: 2s, order: start-first}
      placement: {constraints: [node.labels.role == db]}
`, "", MapOptions{})
	if u := dep.Service("web").Spec.UpdateConfig; u.Parallelism != 3 || u.Delay != 2*time.Second || u.Order != swarmtypes.UpdateOrderStartFirst {
		t.Errorf("deploy.update_config: %+v", *u)
	}
	if p := dep.Service("web").Spec.TaskTemplate.Placement; p == nil || !sameSet(p.Constraints, []string{"node.labels.role==db"}) {
		t.Errorf("deploy.placement.constraints: %+v", p)
	}
	d = mapProject(t, c, r, MapOptions{BatchSize: 5, Interval: 3 * time.Second})
	if u := d.Service("web").Spec.UpdateConfig; u.Parallelism != 5 || u.Delay != 3*time.Second {
		t.Errorf("--batch-size/--interval should win: %+v", *u)
	}
	for _, s := range d.Services {
		if s.Spec.UpdateConfig.FailureAction != swarmtypes.UpdateFailureActionPause || s.Spec.RollbackConfig.FailureAction != swarmtypes.UpdateFailureActionPause {
			t.Errorf("%s: Swarm's automatic rollback must never be in charge: %+v", s.Name, s.Spec.UpdateConfig)
		}
	}
}

func TestMapRancherHealthCheckUsesTheProbe(t *testing.T) {
	d := mapProject(t, `version: '2'
services:
  web: {image: web:1}
  db: {image: db:1}
  plain: {image: plain:1}
`, `version: '2'
services:
  web:
    health_check: {port: 8080, request_line: "HEAD /ping HTTP/1.1", interval: 3000, response_timeout: 1500, unhealthy_threshold: 4, initializing_timeout: 20000, healthy_threshold: 2}
  db:
    health_check: {port: 6379, healthy_threshold: 3, strategy: none}
`, MapOptions{ProbePath: probeOpts, ProbeArgs: []string{"healthprobe"}})
	web := d.Service("web")
	hc := web.Spec.TaskTemplate.ContainerSpec.Healthcheck
	wantTest := []string{"CMD", ProbeMountPath, "healthprobe", "http", "8080", "HEAD /ping HTTP/1.1"}
	if !reflect.DeepEqual(hc.Test, wantTest) || hc.Interval != 3*time.Second || hc.Timeout != 1500*time.Millisecond ||
		hc.Retries != 4 || hc.StartPeriod != 20*time.Second {
		t.Errorf("web health check = %+v", hc)
	}
	if !web.HasHealthCheck {
		t.Error("HasHealthCheck false")
	}
	wantMount := mount.Mount{Type: mount.TypeBind, Source: probeOpts, Target: ProbeMountPath, ReadOnly: true}
	if m := web.Spec.TaskTemplate.ContainerSpec.Mounts; len(m) != 1 || !reflect.DeepEqual(m[0], wantMount) {
		t.Errorf("probe mount = %+v", m)
	}
	if test := d.Service("db").Spec.TaskTemplate.ContainerSpec.Healthcheck.Test; !reflect.DeepEqual(test, []string{"CMD", ProbeMountPath, "healthprobe", "tcp", "6379"}) {
		t.Errorf("port-only health check should probe TCP: %v", test)
	}
	if hc := d.Service("plain").Spec.TaskTemplate.ContainerSpec.Healthcheck; hc != nil || len(d.Service("plain").Spec.TaskTemplate.ContainerSpec.Mounts) != 0 {
		t.Errorf("no health_check: no probe expected, got %+v", hc)
	}
	ht := warningsAbout(d, "healthy_threshold")
	if len(ht) != 1 || !strings.Contains(ht[0], "db, web") {
		t.Errorf("healthy_threshold should be said once for both services: %v", ht)
	}
	if st := warningsAbout(d, "health_check.strategy"); len(st) != 1 || !strings.Contains(st[0], "db") {
		t.Errorf("strategy warning: %v", st)
	}
}

func TestMapHealthCheckWithoutProbeIsRefused(t *testing.T) {
	_, err := Map(loadProject(t, "version: '2'\nservices:\n  web: {image: web:1}\n",
		"version: '2'\nservices:\n  web:\n    health_check: {port: 80}\n"), MapOptions{})
	var me *MappingError
	if !errors.As(err, &me) || me.ExitCode() != 2 || !strings.Contains(err.Error(), "web: health_check") {
		t.Fatalf("want a mapping error naming web's health_check, got %v", err)
	}
}

func TestMapComposeHealthcheckIsUsedAsIs(t *testing.T) {
	d := mapProject(t, `version: '2.1'
services:
  web:
    image: web:1
    healthcheck:
      test: ["CMD", "/bin/check", "--quick"]
      interval: 7s
      timeout: 2s
      retries: 5
      start_period: 30s
  nocheck:
    image: nocheck:1
    healthcheck: {disable: true}
`, `version: '2'
services:
  web:
    health_check: {port: 80}
`, MapOptions{ProbePath: probeOpts})
	hc := d.Service("web").Spec.TaskTemplate.ContainerSpec.Healthcheck
	if !reflect.DeepEqual(hc.Test, []string{"CMD", "/bin/check", "--quick"}) || hc.Interval != 7*time.Second ||
		hc.Timeout != 2*time.Second || hc.Retries != 5 || hc.StartPeriod != 30*time.Second {
		t.Errorf("compose healthcheck changed: %+v", hc)
	}
	if len(d.Service("web").Spec.TaskTemplate.ContainerSpec.Mounts) != 0 {
		t.Error("a compose healthcheck needs no probe mount")
	}
	if off := d.Service("nocheck"); !reflect.DeepEqual(off.Spec.TaskTemplate.ContainerSpec.Healthcheck.Test, []string{"NONE"}) || off.HasHealthCheck {
		t.Errorf("disable: %+v", off.Spec.TaskTemplate.ContainerSpec.Healthcheck)
	}
}

func TestMapSchedulerLabels(t *testing.T) {
	d := mapProject(t, `version: '2'
services:
  rng:
    image: rng:1
    labels:
      io.rancher.scheduler.affinity:host_label: role=compute,zone=a
      io.rancher.scheduler.affinity:host_label_ne: disk=slow
      io.rancher.scheduler.affinity:container_label_soft_ne: io.rancher.stack_service.name=${stack_name}/${service_name}
  web:
    image: web:1
    labels:
      io.rancher.scheduler.affinity:host_label_soft: rack=r1
      io.rancher.scheduler.affinity:container_label_ne: io.rancher.stack_service.name=demo/web
      io.rancher.scheduler.affinity:container_label: app=db
  other:
    image: other:1
    labels:
      io.rancher.scheduler.affinity:container_label_ne: io.rancher.stack_service.name=demo/web
`, "", MapOptions{})
	rng := d.Service("rng").Spec.TaskTemplate.Placement
	wantC := []string{"node.labels.role==compute", "node.labels.zone==a", "node.labels.disk!=slow"}
	if !sameSet(rng.Constraints, wantC) || rng.MaxReplicas != 1 {
		t.Errorf("rng placement = %+v", rng)
	}
	web := d.Service("web").Spec.TaskTemplate.Placement
	if web.MaxReplicas != 1 || len(web.Preferences) != 1 || web.Preferences[0].Spread.SpreadDescriptor != "node.labels.rack" {
		t.Errorf("web placement = %+v", web)
	}
	if d.Service("other").Spec.TaskTemplate.Placement != nil {
		t.Errorf("anti-affinity to another service has no Swarm form: %+v", d.Service("other").Spec.TaskTemplate.Placement)
	}
	for _, key := range []string{"container_label_soft_ne", "host_label_soft", "affinity:container_label", "other"} {
		if len(warningsAbout(d, key)) == 0 && key != "other" {
			t.Errorf("no warning about %s: %v", key, d.Warnings)
		}
	}
	found := false
	for _, w := range d.Warnings {
		found = found || (w.Service == "other" && strings.Contains(w.Text, "anti-affinity"))
	}
	if !found {
		t.Errorf("no warning for other's anti-affinity: %v", d.Warnings)
	}
}

func TestMapMemoryAndContainerSettings(t *testing.T) {
	d := mapProject(t, `version: '2'
services:
  web:
    image: web:1
    mem_limit: 64m
    mem_reservation: 16m
    command: serve --port 8080
    entrypoint: ["/app"]
    environment: {B: "2", A: "1"}
    labels: {team: blue}
    user: "1000"
    working_dir: /srv
    ports: ["8080:80", "9090", "53:53/udp"]
    volumes: ["./data:/data:ro", "cache:/cache", "/anon"]
    extra_hosts: ["db:10.0.0.5"]
    restart: "no"
volumes:
  cache: {}
`, "", MapOptions{})
	s := d.Service("web").Spec
	r := s.TaskTemplate.Resources
	if r.Limits.MemoryBytes != 64<<20 || r.Reservations.MemoryBytes != 16<<20 {
		t.Errorf("resources = %+v / %+v", r.Limits, r.Reservations)
	}
	cs := s.TaskTemplate.ContainerSpec
	if !reflect.DeepEqual(cs.Command, []string{"/app"}) || !reflect.DeepEqual(cs.Args, []string{"serve", "--port", "8080"}) {
		t.Errorf("entrypoint/command = %v / %v", cs.Command, cs.Args)
	}
	if !reflect.DeepEqual(cs.Env, []string{"A=1", "B=2"}) || cs.Labels["team"] != "blue" || cs.Labels[LabelNamespace] != "demo" {
		t.Errorf("env/labels = %v / %v", cs.Env, cs.Labels)
	}
	if cs.User != "1000" || cs.Dir != "/srv" || !reflect.DeepEqual(cs.Hosts, []string{"10.0.0.5 db"}) {
		t.Errorf("user/dir/hosts = %q %q %v", cs.User, cs.Dir, cs.Hosts)
	}
	if s.TaskTemplate.RestartPolicy.Condition != swarmtypes.RestartPolicyConditionNone {
		t.Errorf("restart: no → %v", s.TaskTemplate.RestartPolicy)
	}
	ports := s.EndpointSpec.Ports
	if s.EndpointSpec.Mode != swarmtypes.ResolutionModeDNSRR || len(ports) != 3 ||
		ports[0] != (swarmtypes.PortConfig{Protocol: "tcp", TargetPort: 80, PublishedPort: 8080, PublishMode: swarmtypes.PortConfigPublishModeHost}) ||
		ports[1].PublishedPort != 0 || ports[1].TargetPort != 9090 || ports[2].Protocol != "udp" {
		t.Errorf("endpoint = %+v", s.EndpointSpec)
	}
	m := cs.Mounts
	if len(m) != 3 || m[0].Type != mount.TypeBind || !filepath.IsAbs(m[0].Source) || !m[0].ReadOnly ||
		m[1].Type != mount.TypeVolume || m[1].Source != "demo_cache" || m[2].Source != "" || m[2].Target != "/anon" {
		t.Errorf("mounts = %+v", m)
	}
}

func TestMapLinksBecomeNetworkAliases(t *testing.T) {
	d := mapProject(t, `version: '2'
services:
  worker:
    image: worker:1
    links: ["redis:cache", "api"]
    external_links: ["shared/db:database", "shared/mq"]
  api: {image: api:1}
  redis: {image: redis:1}
`, "", MapOptions{})
	if d.Network != "demo_default" {
		t.Errorf("stack network %q", d.Network)
	}
	nets := d.Service("redis").Spec.TaskTemplate.Networks
	if len(nets) != 1 || nets[0].Target != "demo_default" || !reflect.DeepEqual(nets[0].Aliases, []string{"redis", "cache"}) {
		t.Errorf("redis networks = %+v", nets)
	}
	wn := d.Service("worker").Spec.TaskTemplate.Networks
	if len(wn) != 2 || wn[1].Target != "shared_default" || !reflect.DeepEqual(d.ExternalNetworks, []string{"shared_default"}) {
		t.Errorf("worker networks = %+v, external %v", wn, d.ExternalNetworks)
	}
	if w := warningsAbout(d, "external_links"); len(w) != 1 || !strings.Contains(w[0], "database") {
		t.Errorf("an external alias that differs from the service name should be warned about once: %v", w)
	}
	_, err := Map(loadProject(t, `version: '2'
services:
  a: {image: a:1, links: ["b:x"]}
  c: {image: c:1, links: ["d:x"]}
  b: {image: b:1}
  d: {image: d:1}
`, ""), MapOptions{})
	if err == nil || !strings.Contains(err.Error(), `alias "x"`) {
		t.Errorf("one alias for two services should be refused: %v", err)
	}
}

func TestMapKeysMeaninglessOnSwarmAreWarned(t *testing.T) {
	d := mapProject(t, `version: '2'
services:
  web:
    image: web:1
    labels: {io.rancher.sidekicks: helper}
    privileged: true
    network_mode: host
  helper: {image: helper:1}
  lb:
    image: rancher/lb-service-haproxy:v0.9.1
    ports: ["80:80"]
`, `version: '2'
services:
  web:
    retain_ip: true
    metadata: {a: 1}
  lb:
    lb_config:
      port_rules: [{source_port: 80, target_port: 8080, service: web}]
`, MapOptions{})
	if d.Service("lb") != nil {
		t.Error("a Rancher load balancer must not be deployed")
	}
	if d.Service("helper") == nil {
		t.Error("a sidekick is deployed as its own service")
	}
	for _, key := range []string{"lb_config", "io.rancher.sidekicks", "retain_ip", "metadata", "privileged", "network_mode"} {
		ws := warningsAbout(d, key)
		if len(ws) == 0 || !strings.Contains(ws[0], "engine swarm") {
			t.Errorf("no warning naming %s and the engine: %v", key, d.Warnings)
		}
	}
}

// TestSpecsUseNoFieldNewerThanAPI141 guards against relying on fields a 20.10 daemon silently drops: the
// v1.57 types know fields that API 1.41 does not, and none of them may appear in what we send.
func TestSpecsUseNoFieldNewerThanAPI141(t *testing.T) {
	d := mapProject(t, `version: '2'
services:
  web:
    image: web:1
    mem_limit: 64m
    oom_score_adj: 100
    ulimits: {nofile: 1024}
    cap_add: [NET_ADMIN]
    dns: [8.8.8.8]
    tmpfs: [/run]
    labels: {io.rancher.scheduler.affinity:host_label: a=b}
`, `version: '2'
services:
  web:
    scale: 2
    health_check: {port: 80, request_line: GET / HTTP/1.0}
    upgrade_strategy: {start_first: true}
`, MapOptions{ProbePath: probeOpts})
	newer := []string{"OomScoreAdj", "SwapBytes", "MemorySwappiness", "StartInterval", "ImageOptions", "ClusterOptions",
		"Subpath", "CapacityRange", "Pids", "Sysctls", "Platforms", "Runtime", "ReplicatedJob", "GlobalJob", "Secrets", "Configs"}
	spec := withRecords(d.Service("web").Spec, d.Service("web").Hash, StateConfirmed, d.Service("web").Spec, d.Service("web").Hash)
	raw, _ := json.Marshal(spec)
	var v any
	_ = json.Unmarshal(raw, &v)
	keys := map[string]bool{}
	collectKeys(v, keys)
	for _, k := range newer {
		if keys[k] {
			t.Errorf("the spec sends %q, which a 1.41 daemon drops or does not know", k)
		}
	}
	if w := warningsAbout(d, "oom_score_adj"); len(w) != 1 || !strings.Contains(w[0], "1.46") {
		t.Errorf("oom_score_adj needs API 1.46 and should be warned about: %v", d.Warnings)
	}
}

func collectKeys(v any, out map[string]bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			out[k] = true
			collectKeys(c, out)
		}
	case []any:
		for _, c := range t {
			collectKeys(c, out)
		}
	}
}

func TestHashIgnoresScaleAndUpdateSettingsButNotTheImage(t *testing.T) {
	const c = "version: '2'\nservices:\n  web: {image: 'web:${TAG}'}\n"
	base := mapProject(t, c, "version: '2'\nservices:\n  web: {scale: 1}\n", MapOptions{})
	_ = base
	h := func(tag, rancher string, o MapOptions) string {
		d, err := Map(loadProject(t, c, rancher, "TAG="+tag), o)
		if err != nil {
			t.Fatal(err)
		}
		return d.Service("web").Hash
	}
	one := h("1", "version: '2'\nservices:\n  web: {scale: 1}\n", MapOptions{})
	if h("1", "version: '2'\nservices:\n  web: {scale: 5}\n", MapOptions{BatchSize: 3}) != one {
		t.Error("scale or --batch-size changed the hash: a scale is not an upgrade")
	}
	if h("2", "version: '2'\nservices:\n  web: {scale: 1}\n", MapOptions{}) == one {
		t.Error("a new image did not change the hash")
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}
