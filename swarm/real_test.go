package swarm

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// A dockercoins-like stack of the test app: web and api (HTTP health checks, 2 replicas, start-first),
// store (TCP health check), worker (no health check); worker reaches web as "www" and store as "db".
const realCompose = `version: '2'
services:
  web:
    image: ${IMAGE}:${TAG}
  api:
    image: ${IMAGE}:${TAG}
    links:
      - store:db
  store:
    image: ${IMAGE}:${TAG}
  worker:
    image: ${IMAGE}:${TAG}
    links:
      - web:www
      - api
`

const realRancher = `version: '2'
services:
  web:
    scale: 2
    health_check: {port: 8080, request_line: GET /healthz HTTP/1.0, interval: 1000, response_timeout: 1000, unhealthy_threshold: 2, healthy_threshold: 2}
    upgrade_strategy: {start_first: true, batch_size: 1, interval_millis: 500}
  api:
    scale: 2
    health_check: {port: 8080, request_line: GET /healthz HTTP/1.0, interval: 1000, response_timeout: 1000, unhealthy_threshold: 2}
    upgrade_strategy: {start_first: true, batch_size: 1, interval_millis: 500}
  store:
    scale: 1
    health_check: {port: 8080, interval: 1000, response_timeout: 1000, unhealthy_threshold: 2}
    upgrade_strategy: {start_first: true}
  worker:
    scale: 1
`

// realStack deploys the project in dir to the real daemon.
type realStack struct {
	d     *realDocker
	name  string
	dir   string
	x     *Executor
	probe string
}

func (s *realStack) load(t *testing.T, tag string) *compose.Project {
	t.Helper()
	p, err := compose.Load(context.Background(), compose.Options{WorkDir: s.dir, ProjectName: s.name,
		Environ: []string{"IMAGE=" + s.d.prefix + "/app", "TAG=" + tag}})
	if err != nil {
		t.Fatalf("loading the project: %v", err)
	}
	return p
}

func (s *realStack) up(t *testing.T, tag string, o UpOptions) (*Result, error) {
	t.Helper()
	desired, err := Map(s.load(t, tag), MapOptions{ProbePath: s.d.probe, ProbeArgs: []string{"healthprobe"}, Monitor: 2 * time.Second})
	if err != nil {
		t.Fatalf("mapping: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	obs, err := Observe(ctx, s.d.c, s.name)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := PlanUp(desired, obs, o)
	if err != nil {
		t.Fatal(err)
	}
	return s.x.Execute(ctx, plan)
}

func (s *realStack) run(t *testing.T, planner func(Observed) (*Plan, error)) (*Result, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	obs, err := Observe(ctx, s.d.c, s.name)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := planner(obs)
	if err != nil {
		t.Fatal(err)
	}
	return s.x.Execute(ctx, plan)
}

func (s *realStack) service(t *testing.T, name string) swarmtypes.Service {
	t.Helper()
	svc, err := s.d.c.Service(context.Background(), s.name+"_"+name)
	if err != nil {
		t.Fatalf("inspecting %s: %v", name, err)
	}
	return svc
}

// expectImages asserts every service runs tag and (when running) has its replicas running.
func (s *realStack) expectImages(t *testing.T, tag string, services ...string) {
	t.Helper()
	for _, n := range services {
		svc := s.service(t, n)
		if got := imageOf(svc.Spec); got != s.d.image(tag) {
			t.Errorf("%s runs %s, want %s", n, got, s.d.image(tag))
		}
		tasks, err := s.d.c.Tasks(context.Background(), svc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !converged(svc, tasks) {
			t.Errorf("%s: not converged: %s", n, taskSummary(tasks))
		}
	}
}

func runningTaskIDs(t *testing.T, s *realStack, name string) string {
	t.Helper()
	tasks, err := s.d.c.Tasks(context.Background(), s.service(t, name).ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tk := range tasks {
		if tk.DesiredState == swarmtypes.TaskStateRunning {
			ids = append(ids, tk.ID)
		}
	}
	return strings.Join(sortedCopy(ids), ",")
}

var all = []string{"api", "store", "web", "worker"}

// TestRealSwarmLifecycle runs the Rancher pipeline against the local Docker daemon in swarm mode.
func TestRealSwarmLifecycle(t *testing.T) {
	d := needDocker(t)
	d.buildApp()
	dir := t.TempDir()
	for name, text := range map[string]string{"docker-compose.yml": realCompose, "rancher-compose.yml": realRancher} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rec := &progress.Recorder{}
	s := &realStack{d: d, name: d.prefix + "coins", dir: dir, x: &Executor{Client: d.c, Progress: progress.Emitter{Sink: rec}, Poll: 300 * time.Millisecond}}
	d.cleanupStack(s.name)
	step := func(name string) func() {
		began := time.Now()
		return func() { t.Logf("%-28s %5.1fs", name, time.Since(began).Seconds()) }
	}

	done := step("create v1")
	if res, err := s.up(t, "v1", UpOptions{WaitHealthy: true}); err != nil || !res.Changed {
		t.Fatalf("first up: changed=%v err=%v", res.Changed, err)
	}
	done()
	s.expectImages(t, "v1", all...)
	st, err := Status(context.Background(), d.c, s.name, nil)
	if err != nil || len(st) != 4 || st[2].Name != "web" || st[2].Health != "healthy" || st[2].Running != 2 || st[2].Tasks[0].Node == "" {
		t.Errorf("ps: %+v, %v", st, err)
	}

	done = step("no-op up")
	versions := map[string]uint64{}
	for _, n := range all {
		versions[n] = s.service(t, n).Version.Index
	}
	if res, err := s.up(t, "v1", UpOptions{}); err != nil || res.Changed {
		t.Fatalf("second up: changed=%v err=%v", res.Changed, err)
	}
	for _, n := range all {
		if v := s.service(t, n).Version.Index; v != versions[n] {
			t.Errorf("no-op up bumped %s from version %d to %d", n, versions[n], v)
		}
	}
	done()

	done = step("upgrade to v2 under load")
	loop := d.runContainer(context.Background(), d.image("v1"), s.name+"_default", "loop", "http://www:8080/", "300")
	time.Sleep(2 * time.Second)
	if _, err := s.up(t, "v2", UpOptions{Upgrade: true, WaitHealthy: true}); err != nil {
		t.Fatalf("up --upgrade v2: %v", err)
	}
	time.Sleep(time.Second)
	var counts struct {
		Requests, Failures int
		Versions           map[string]int
		Errors             []string
	}
	logs := d.stopAndLogs(context.Background(), loop)
	if err := json.Unmarshal([]byte(logs), &counts); err != nil {
		t.Fatalf("probe loop output %q: %v", logs, err)
	}
	t.Logf("probe loop during the upgrade: %d requests, %d failed, versions %v", counts.Requests, counts.Failures, counts.Versions)
	if counts.Failures != 0 || counts.Versions["v2"] == 0 || counts.Requests < 10 {
		t.Errorf("probe loop through the www alias: %+v, want no failure and v2 answers", counts)
	}
	s.expectImages(t, "v2", all...)
	for _, n := range all {
		if st := s.service(t, n).Spec.Labels[LabelState]; st != StatePending {
			t.Errorf("%s: state %q after upgrade, want pending", n, st)
		}
	}
	done()

	done = step("confirm")
	before := runningTaskIDs(t, s, "web")
	if _, err := s.run(t, func(o Observed) (*Plan, error) { return PlanConfirm(s.name, o, nil) }); err != nil {
		t.Fatalf("confirm: %v", err)
	}
	if after := runningTaskIDs(t, s, "web"); after != before {
		t.Errorf("confirm restarted web's tasks: %s → %s", before, after)
	}
	for _, n := range all {
		if st := s.service(t, n).Spec.Labels[LabelState]; st != StateConfirmed {
			t.Errorf("%s: state %q after confirm", n, st)
		}
	}
	done()

	done = step("v3 --wait-healthy fails")
	_, err = s.up(t, "v3", UpOptions{Upgrade: true, WaitHealthy: true})
	var he *HealthError
	if !errors.As(err, &he) || exitCodeOf(err) != 4 {
		t.Fatalf("up --upgrade v3: %v (exit %d), want a health failure, exit 4", err, exitCodeOf(err))
	}
	if !strings.Contains(err.Error(), "web") || !strings.Contains(err.Error(), "500") {
		t.Errorf("the error should name web and its last health output (HTTP 500): %v", err)
	}
	if prev := s.service(t, "web").PreviousSpec; prev == nil || imageOf(*prev) != d.image("v2") {
		t.Errorf("web's PreviousSpec after the paused update: %v", prev)
	}
	done()

	done = step("rollback (files not needed)")
	if _, err := s.run(t, func(o Observed) (*Plan, error) { return PlanRollback(s.name, o, nil) }); err != nil {
		t.Fatalf("rollback: %v", err)
	}
	s.expectImages(t, "v2", all...)
	done()

	done = step("v3 --atomic rolls all back")
	_, err = s.up(t, "v3", UpOptions{Upgrade: true, Atomic: true})
	var ae *AtomicError
	if !errors.As(err, &ae) || exitCodeOf(err) != 6 || len(ae.RolledBack) != len(all) {
		t.Fatalf("up --upgrade --atomic v3: %v (exit %d)", err, exitCodeOf(err))
	}
	s.expectImages(t, "v2", all...)
	done()

	done = step("rollback after Swarm's own")
	if _, err := s.up(t, "v1", UpOptions{Upgrade: true, Services: []string{"web"}}); err != nil {
		t.Fatalf("up --upgrade web v1: %v", err)
	}
	swarmRollsBackByItself(t, s, "web", d.image("v3"))
	if prev := s.service(t, "web").PreviousSpec; prev != nil {
		t.Errorf("after Swarm's automatic rollback PreviousSpec should be empty (the case Swarm cannot roll back), got %s", imageOf(*prev))
	}
	if _, err := s.run(t, func(o Observed) (*Plan, error) { return PlanRollback(s.name, o, []string{"web"}) }); err != nil {
		t.Fatalf("rollback after Swarm's automatic rollback: %v", err)
	}
	s.expectImages(t, "v2", "web")
	done()

	done = step("stop, start, restart store")
	for _, planner := range []func(string, Observed, []string) (*Plan, error){PlanStop, PlanStart, PlanRestart} {
		if _, err := s.run(t, func(o Observed) (*Plan, error) { return planner(s.name, o, []string{"store"}) }); err != nil {
			t.Fatalf("stop/start/restart: %v", err)
		}
	}
	s.expectImages(t, "v2", "store")
	done()

	done = step("pull without a registry")
	desired, err := Map(s.load(t, "v2"), MapOptions{ProbePath: d.probe})
	if err != nil {
		t.Fatal(err)
	}
	pulled, err := Pull(context.Background(), d.c, desired, nil)
	if err != nil || len(pulled) != 1 || pulled[0].Warning == "" {
		t.Errorf("pull with the image present and no registry should warn only: %+v, %v", pulled, err)
	}
	if err := (LockStore{Client: d.c}).SetOutputs(context.Background(), s.name, map[string]string{"probe": "1"}); err != nil {
		t.Fatalf("writing a lock config: %v", err)
	}
	done()

	done = step("scale web=3")
	if _, err := s.run(t, func(o Observed) (*Plan, error) { return PlanScale(s.name, o, map[string]int64{"web": 3}) }); err != nil {
		t.Fatalf("scale: %v", err)
	}
	if n := currentReplicas(s.service(t, "web")); n != 3 {
		t.Errorf("web has %d replicas", n)
	}
	s.expectImages(t, "v2", "web")
	done()

	done = step("rm")
	if _, err := s.run(t, func(o Observed) (*Plan, error) { return PlanRemove(s.name, o, nil) }); err != nil {
		t.Fatalf("rm: %v", err)
	}
	svcs, _ := d.c.Services(context.Background(), LabelNamespace+"="+s.name)
	nets, _ := d.c.Networks(context.Background(), LabelNamespace+"="+s.name)
	cfgs, _ := d.c.Configs(context.Background(), LabelNamespace+"="+s.name)
	if len(svcs) != 0 || len(nets) != 0 || len(cfgs) != 0 {
		t.Errorf("rm left %d services, networks %+v, %d configs", len(svcs), nets, len(cfgs))
	}
	done()
}

// swarmRollsBackByItself updates a service the way an operator might (`docker service update --image …
// --update-failure-action rollback`) to an image that never becomes healthy, and waits for Swarm's own
// rollback.
func swarmRollsBackByItself(t *testing.T, s *realStack, name, image string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cur := s.service(t, name)
	spec := cur.Spec
	cs := *spec.TaskTemplate.ContainerSpec
	cs.Image = image
	spec.TaskTemplate.ContainerSpec = &cs
	uc := *spec.UpdateConfig
	uc.FailureAction = swarmtypes.UpdateFailureActionRollback
	spec.UpdateConfig = &uc
	ref := time.Now().Add(-time.Second)
	if _, err := s.d.c.UpdateService(ctx, cur.ID, cur.Version.Index, spec); err != nil {
		t.Fatal(err)
	}
	for {
		svc := s.service(t, name)
		if us := svc.UpdateStatus; us != nil && us.StartedAt != nil && !us.StartedAt.Before(ref) && us.State == swarmtypes.UpdateStateRollbackCompleted {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("Swarm did not roll %s back by itself", name)
		case <-time.After(300 * time.Millisecond):
		}
	}
}

func exitCodeOf(err error) int {
	var c interface{ ExitCode() int }
	if errors.As(err, &c) {
		return c.ExitCode()
	}
	if err != nil {
		return 1
	}
	return 0
}

func sortedCopy(in []string) []string {
	out := append([]string(nil), in...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}
