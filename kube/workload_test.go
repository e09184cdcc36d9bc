package kube_test

import (
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/rancher-compose-ng/rancher-compose/kube"
)

func TestScaleStartOnCreateGlobalAndStartOnce(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  web: {image: nginx}
  idle: {image: nginx}
  agent:
    image: agent
    labels: {io.rancher.scheduler.global: 'true'}
  seed:
    image: seed
    labels: {io.rancher.container.start_once: 'true'}
`, `
version: '2'
services:
  web: {scale: 3}
  idle: {scale: 2, start_on_create: false}
  agent: {scale: 4}
  seed: {scale: 2}
`)
	if r := *object[*appsv1.Deployment](t, res, "Deployment", "web").Spec.Replicas; r != 3 {
		t.Errorf("web replicas %d, want 3", r)
	}
	if r := *object[*appsv1.Deployment](t, res, "Deployment", "idle").Spec.Replicas; r != 0 {
		t.Errorf("idle replicas %d, want 0 (start_on_create: false)", r)
	}
	noteAbout(t, res, kube.Info, "rancher-compose.yml:4:20", "start_on_create: false", "replicas 0")
	object[*appsv1.DaemonSet](t, res, "DaemonSet", "agent")
	noteAbout(t, res, kube.Dropped, "rancher-compose.yml:5:11", "agent.scale", "one pod per node")
	job := object[*batchv1.Job](t, res, "Job", "seed")
	if *job.Spec.Completions != 2 || *job.Spec.BackoffLimit != 0 || job.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("seed job: completions %d backoff %d restart %s", *job.Spec.Completions, *job.Spec.BackoffLimit, job.Spec.Template.Spec.RestartPolicy)
	}
}

func TestHealthChecksBecomeProbes(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  web: {image: nginx}
  db: {image: postgres}
  quiet: {image: app}
`, `
version: '2'
services:
  web:
    health_check: {port: 8080, interval: 2500, request_line: GET /ping HTTP/1.0, healthy_threshold: 2,
      unhealthy_threshold: 5, response_timeout: 1000, initializing_timeout: 60000, strategy: recreate}
  db:
    health_check: {port: 5432, interval: 5000, healthy_threshold: 3, unhealthy_threshold: 2, strategy: none}
`)
	c := object[*appsv1.Deployment](t, res, "Deployment", "web").Spec.Template.Spec.Containers[0]
	r, l, s := c.ReadinessProbe, c.LivenessProbe, c.StartupProbe
	if r == nil || r.HTTPGet == nil || r.HTTPGet.Path != "/ping" || r.HTTPGet.Port.IntVal != 8080 {
		t.Fatalf("web readiness %+v", r)
	}
	if r.PeriodSeconds != 3 || r.TimeoutSeconds != 1 || r.FailureThreshold != 5 || r.SuccessThreshold != 2 {
		t.Errorf("web readiness timing %d/%d/%d/%d, want 3/1/5/2", r.PeriodSeconds, r.TimeoutSeconds, r.FailureThreshold, r.SuccessThreshold)
	}
	if l == nil || l.SuccessThreshold != 1 || l.FailureThreshold != 5 {
		t.Errorf("web liveness %+v (strategy recreate)", l)
	}
	if s == nil || s.FailureThreshold != 20 {
		t.Errorf("web startupProbe %+v, want failureThreshold 20 (60 s / 3 s)", s)
	}
	d := object[*appsv1.Deployment](t, res, "Deployment", "db").Spec.Template.Spec.Containers[0]
	if d.ReadinessProbe == nil || d.ReadinessProbe.TCPSocket == nil || d.ReadinessProbe.TCPSocket.Port.IntVal != 5432 {
		t.Errorf("db readiness %+v, want tcpSocket 5432", d.ReadinessProbe)
	}
	if d.LivenessProbe != nil || d.StartupProbe != nil {
		t.Errorf("strategy none must not restart: liveness %+v startup %+v", d.LivenessProbe, d.StartupProbe)
	}
	q := object[*appsv1.Deployment](t, res, "Deployment", "quiet").Spec.Template.Spec.Containers[0]
	if q.ReadinessProbe != nil || q.LivenessProbe != nil {
		t.Errorf("no health check, no probe: %+v %+v", q.ReadinessProbe, q.LivenessProbe)
	}
}

func TestComposeHealthcheckBecomesExecProbe(t *testing.T) {
	res := convertFiles(t, `
version: '2.1'
services:
  api:
    image: api
    healthcheck:
      test: ["CMD-SHELL", "curl -f http://localhost/ || exit 1"]
      interval: 15s
      timeout: 3s
      retries: 4
`, "")
	p := object[*appsv1.Deployment](t, res, "Deployment", "api").Spec.Template.Spec.Containers[0].ReadinessProbe
	if p == nil || p.Exec == nil || len(p.Exec.Command) != 3 || p.Exec.Command[2] != "curl -f http://localhost/ || exit 1" {
		t.Fatalf("readiness %+v", p)
	}
	if p.PeriodSeconds != 15 || p.TimeoutSeconds != 3 || p.FailureThreshold != 4 {
		t.Errorf("timing %d/%d/%d, want 15/3/4", p.PeriodSeconds, p.TimeoutSeconds, p.FailureThreshold)
	}
}

func TestUpgradeStrategyBecomesRollingUpdate(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  first: {image: a}
  stop: {image: b}
  plain: {image: c}
`, `
version: '2'
services:
  first: {scale: 4, upgrade_strategy: {start_first: true, batch_size: 2, interval_millis: 3000}}
  stop: {scale: 4, upgrade_strategy: {start_first: false, batch_size: 3, interval_millis: 500}}
`)
	f := object[*appsv1.Deployment](t, res, "Deployment", "first").Spec
	if f.Strategy.RollingUpdate.MaxSurge.IntVal != 2 || f.Strategy.RollingUpdate.MaxUnavailable.IntVal != 0 || f.MinReadySeconds != 3 {
		t.Errorf("start_first: surge %v unavailable %v minReady %d", f.Strategy.RollingUpdate.MaxSurge, f.Strategy.RollingUpdate.MaxUnavailable, f.MinReadySeconds)
	}
	s := object[*appsv1.Deployment](t, res, "Deployment", "stop").Spec
	if s.Strategy.RollingUpdate.MaxSurge.IntVal != 0 || s.Strategy.RollingUpdate.MaxUnavailable.IntVal != 3 || s.MinReadySeconds != 1 {
		t.Errorf("stop first: surge %v unavailable %v minReady %d", s.Strategy.RollingUpdate.MaxSurge, s.Strategy.RollingUpdate.MaxUnavailable, s.MinReadySeconds)
	}
	if p := object[*appsv1.Deployment](t, res, "Deployment", "plain").Spec; p.Strategy.RollingUpdate != nil {
		t.Errorf("no upgrade_strategy: Kubernetes' defaults, got %+v", p.Strategy)
	}
}

func TestResources(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  app: {image: a, mem_limit: 512m, mem_reservation: 128m, cpu_quota: 150000, cpu_period: 100000, cpu_shares: 512}
`, "")
	r := object[*appsv1.Deployment](t, res, "Deployment", "app").Spec.Template.Spec.Containers[0].Resources
	check := func(what string, got interface{ String() string }, want string) {
		if got.String() != want {
			t.Errorf("%s = %s, want %s", what, got, want)
		}
	}
	check("limits.memory", r.Limits.Memory(), "512Mi")
	check("requests.memory", r.Requests.Memory(), "128Mi")
	check("limits.cpu", r.Limits.Cpu(), "1500m")
	check("requests.cpu", r.Requests.Cpu(), "500m")
}

func TestRequestAboveLimitIsDropped(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  app: {image: a, mem_limit: 64m, mem_reservation: 128m}
`, "")
	r := object[*appsv1.Deployment](t, res, "Deployment", "app").Spec.Template.Spec.Containers[0].Resources
	if _, ok := r.Requests[corev1.ResourceMemory]; ok {
		t.Errorf("a request above the limit must go: %+v", r)
	}
	noteAbout(t, res, kube.Dropped, "mem_reservation", "exceeds its limit")
}

func TestComposeDeployKeys(t *testing.T) {
	res := convertFiles(t, `
version: '3.4'
services:
  api:
    image: api
    deploy:
      replicas: 4
      update_config: {parallelism: 2, delay: 5s, order: start-first}
      resources: {limits: {memory: 256M}, reservations: {memory: 64M}}
      placement: {constraints: ["node.labels.role == api"]}
  agent:
    image: agent
    deploy: {mode: global}
`, "")
	d := object[*appsv1.Deployment](t, res, "Deployment", "api").Spec
	if *d.Replicas != 4 || d.Strategy.RollingUpdate.MaxSurge.IntVal != 2 || d.MinReadySeconds != 5 {
		t.Errorf("deploy: replicas %d, strategy %+v, minReady %d", *d.Replicas, d.Strategy.RollingUpdate, d.MinReadySeconds)
	}
	r := d.Template.Spec.Containers[0].Resources
	if r.Limits.Memory().String() != "256Mi" || r.Requests.Memory().String() != "64Mi" {
		t.Errorf("deploy resources: %+v", r)
	}
	if a := d.Template.Spec.Affinity; a == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Key != "role" {
		t.Errorf("placement constraint: %+v", a)
	}
	object[*appsv1.DaemonSet](t, res, "DaemonSet", "agent")
}
