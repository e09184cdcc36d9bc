package cmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/swarm"
	"github.com/rancher-compose-ng/rancher-compose/swarm/swarmtest"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

const swarmCompose = `version: '2'
services:
  web:
    image: app:${TAG}
    links: ["db:database"]
  db:
    image: db:1
`

const swarmRancher = `version: '2'
services:
  web:
    scale: 2
    upgrade_strategy: {start_first: true, batch_size: 1}
`

// swarmCLI runs commands with --engine swarm against a fake Engine API, in a directory holding the files.
type swarmCLI struct {
	t   *testing.T
	f   *swarmtest.Engine
	dir string
	env map[string]string
}

func newSwarmCLI(t *testing.T, composeText, rancherText string) *swarmCLI {
	dir := t.TempDir()
	for name, text := range map[string]string{"docker-compose.yml": composeText, "rancher-compose.yml": rancherText} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f := swarmtest.New(t)
	return &swarmCLI{t: t, f: f, dir: dir, env: map[string]string{"DOCKER_HOST": f.Host(), "TAG": "v1", "RANCHER_COMPOSE_POLL": "1ms"}}
}

// run returns stdout, stderr and the exit code.
func (s *swarmCLI) run(args ...string) (string, string, ExitCode) {
	s.t.Helper()
	io, out, errOut := TestIO()
	f := SystemFactory()
	f.IO = io
	f.LookupEnv = func(k string) (string, bool) { v, ok := s.env[k]; return v, ok }
	f.Environ = func() []string {
		var env []string
		for k, v := range s.env {
			env = append(env, k+"="+v)
		}
		return env
	}
	f.Getwd = func() (string, error) { return s.dir, nil }
	err := Run(context.Background(), f, append([]string{"rancher-compose"}, args...))
	if err != nil {
		errOut.WriteString("rancher-compose: " + err.Error() + "\n")
	}
	return out.String(), errOut.String(), exitCodeFor(err)
}

func TestSwarmEngineUpThenNoOp(t *testing.T) {
	s := newSwarmCLI(t, swarmCompose, swarmRancher)
	out, errOut, code := s.run("--engine", "swarm", "-p", "demo", "up", "-d", "--format", "json", "--progress", "plain")
	if code != ExitOK {
		t.Fatalf("up: exit %d\n%s", code, errOut)
	}
	var res struct {
		Version  int
		Engine   string
		Changed  bool
		Services []struct{ Name, Action string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Version != 1 || res.Engine != "swarm" || !res.Changed || len(res.Services) != 2 {
		t.Fatalf("result JSON: %v\n%s", err, out)
	}
	if web := s.f.Service("demo", "web"); web.Spec.Mode.Replicated == nil || *web.Spec.Mode.Replicated.Replicas != 2 {
		t.Errorf("web created with %+v", web.Spec.Mode)
	}
	writes := s.f.WriteCount()
	s.env["RANCHER_COMPOSE_ENGINE"] = "swarm" // the environment picks the engine too
	if _, errOut, code := s.run("--verbose", "-p", "demo", "ps"); code != ExitOK || !strings.Contains(errOut, "/v1.41/services") {
		t.Errorf("--verbose should log each Engine API request: exit %d\n%q", code, errOut)
	}
	out, errOut, code = s.run("-p", "demo", "up", "-d", "--format", "json")
	if code != ExitOK || !strings.Contains(out, `"changed": false`) || s.f.WriteCount() != writes {
		t.Errorf("no-op up: exit %d, %d writes, out %s\n%s", code, s.f.WriteCount()-writes, out, errOut)
	}
}

func TestSwarmEngineUpgradeConfirmRollbackScaleRm(t *testing.T) {
	s := newSwarmCLI(t, swarmCompose, swarmRancher)
	sw := func(args ...string) (string, string, ExitCode) {
		return s.run(append([]string{"--engine", "swarm", "-p", "demo"}, args...)...)
	}
	if _, e, code := sw("up", "-d"); code != ExitOK {
		t.Fatalf("up: %d %s", code, e)
	}
	s.env["TAG"] = "v2"
	out, _, code := sw("up", "-d", "--upgrade", "--dry-run")
	if code != ExitOK || !strings.Contains(out, "web: upgrade") || !strings.Contains(out, `"app:v1" → "app:v2"`) || strings.Contains(out, "db: upgrade") {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	out, _, code = sw("up", "-d", "--upgrade", "--dry-run", "--format", "json")
	var plan struct {
		Version  int
		Engine   string
		Services []struct {
			Name, Action string
			Diff         []string
		}
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil || code != ExitOK || plan.Version != 1 || plan.Engine != "swarm" || len(plan.Services) != 2 {
		t.Errorf("dry run JSON: exit %d %v\n%s", code, err, out)
	}
	for _, sp := range plan.Services {
		if want := map[string]string{"web": "upgrade", "db": "unchanged"}[sp.Name]; sp.Action != want {
			t.Errorf("dry run JSON: %s %s, want %s", sp.Name, sp.Action, want)
		}
	}
	if img := s.f.Service("demo", "web").Spec.TaskTemplate.ContainerSpec.Image; img != "app:v1" {
		t.Fatalf("a dry run changed web to %s", img)
	}
	if _, e, code := sw("up", "-d", "--upgrade", "--wait-healthy", "--batch-size", "2", "--interval", "10"); code != ExitOK {
		t.Fatalf("upgrade: %d %s", code, e)
	}
	web := s.f.Service("demo", "web")
	if web.Spec.TaskTemplate.ContainerSpec.Image != "app:v2" || web.Spec.UpdateConfig.Parallelism != 2 || web.Spec.Labels["io.rancher-compose.state"] != "pending" {
		t.Errorf("after upgrade: %s, parallelism %d, %q", web.Spec.TaskTemplate.ContainerSpec.Image, web.Spec.UpdateConfig.Parallelism, web.Spec.Labels["io.rancher-compose.state"])
	}
	out, _, _ = sw("ps")
	if !strings.Contains(out, "web") || !strings.Contains(out, "2/2") || !strings.Contains(out, "pending") {
		t.Errorf("ps:\n%s", out)
	}
	empty := t.TempDir() // rollback needs no files
	s.dir = empty
	writes := s.f.WriteCount()
	if out, e, code := sw("rollback", "--dry-run"); code != ExitOK || !strings.Contains(out, "web: rollback") || s.f.WriteCount() != writes {
		t.Errorf("rollback --dry-run: exit %d, %d writes\n%s%s", code, s.f.WriteCount()-writes, out, e)
	}
	if _, e, code := sw("rollback"); code != ExitOK {
		t.Fatalf("rollback: %d %s", code, e)
	}
	if img := s.f.Service("demo", "web").Spec.TaskTemplate.ContainerSpec.Image; img != "app:v1" {
		t.Errorf("rollback left web on %s", img)
	}
	if _, e, code := sw("scale", "web=3"); code != ExitOK || *s.f.Service("demo", "web").Spec.Mode.Replicated.Replicas != 3 {
		t.Errorf("scale: %d %s", code, e)
	}
	if _, e, code := sw("upgrade", "--confirm"); code != ExitOK {
		t.Errorf("upgrade --confirm: %d %s", code, e)
	}
	if _, e, code := sw("rm"); code != ExitOK || len(s.f.Services) != 0 || len(s.f.Networks) != 0 {
		t.Errorf("rm: %d %s, left %d services %d networks", code, e, len(s.f.Services), len(s.f.Networks))
	}
}

func TestSwarmEngineRefusals(t *testing.T) {
	s := newSwarmCLI(t, swarmCompose+"    privileged: true\n", swarmRancher+"    retain_ip: true\n")
	_, errOut, code := s.run("--engine", "swarm", "-p", "demo", "--strict", "up", "-d")
	if code != ExitUsage || !strings.Contains(errOut, "retain_ip") || !strings.Contains(errOut, "privileged") || s.f.WriteCount() != 0 {
		t.Errorf("--strict: exit %d, %d writes\n%s", code, s.f.WriteCount(), errOut)
	}
	_, errOut, code = s.run("--engine", "swarm", "-p", "demo", "up", "-d")
	if code != ExitOK || !strings.Contains(errOut, "warning: web: retain_ip") {
		t.Errorf("without --strict the keys are warnings: exit %d\n%s", code, errOut)
	}
	if _, errOut, code = s.run("--engine", "nomad", "-p", "demo", "ps"); code != ExitUsage || !strings.Contains(errOut, "rancher, swarm") {
		t.Errorf("unknown engine: exit %d %s", code, errOut)
	}
	if _, errOut, code = s.run("--engine", "swarm", "-p", "demo", "upgrade", "web", "db"); code != ExitUsage || !strings.Contains(errOut, "engine swarm") {
		t.Errorf("upgrade FROM TO: exit %d %s", code, errOut)
	}
	s.env["DOCKER_HOST"] = "unix:///nonexistent.sock"
	if _, errOut, code = s.run("--engine", "swarm", "-p", "demo", "ps"); code != ExitUnreachable {
		t.Errorf("no daemon: exit %d %s", code, errOut)
	}
}

func TestSwarmEngineHealthCheckNeedsAStaticProbe(t *testing.T) {
	s := newSwarmCLI(t, swarmCompose, swarmRancher+"    health_check: {port: 8080, request_line: GET / HTTP/1.0}\n")
	s.env[EnvSwarmProbe] = "/bin/sh"
	_, errOut, code := s.run("--engine", "swarm", "-p", "demo", "up", "-d")
	if code != ExitUsage || !strings.Contains(errOut, "CGO_ENABLED=0") || s.f.WriteCount() != 0 {
		t.Errorf("a dynamic probe: exit %d, %d writes\n%s", code, s.f.WriteCount(), errOut)
	}
}

func TestSwarmEngineDeployLockRefusesASecondRun(t *testing.T) {
	s := newSwarmCLI(t, swarmCompose, swarmRancher)
	if _, e, code := s.run("--engine", "swarm", "-p", "demo", "up", "-d"); code != ExitOK {
		t.Fatalf("up: %d %s", code, e)
	}
	c, err := swarm.Connect(context.Background(), swarm.Endpoint{Host: s.f.Host()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Acquire(context.Background(), swarm.LockStore{Client: c}, "demo", lock.Options{Owner: "jenkins job 41", TTL: time.Minute, Settle: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	if out, _, _ := s.run("--engine", "swarm", "-p", "demo", "ps", "--format", "json"); !strings.Contains(out, `"owner": "jenkins job 41"`) {
		t.Errorf("ps should name the lock's holder:\n%s", out)
	}
	s.env["TAG"] = "v2"
	_, errOut, code := s.run("--engine", "swarm", "-p", "demo", "up", "-d", "--upgrade")
	if code != ExitCode(lock.ExitLocked) || !strings.Contains(errOut, "jenkins job 41") {
		t.Errorf("a held lock: exit %d\n%s", code, errOut)
	}
	if img := s.f.Service("demo", "web").Spec.TaskTemplate.ContainerSpec.Image; img != "app:v1" {
		t.Errorf("a refused run changed web to %s", img)
	}
}

// TestSwarmEngineStartCreatesMissingServices: start (as on Rancher) starts what stop stopped and creates
// the services of the files the stack lacks, running.
func TestSwarmEngineStartCreatesMissingServices(t *testing.T) {
	s := newSwarmCLI(t, swarmCompose, swarmRancher)
	if _, errOut, code := s.run("--engine", "swarm", "-p", "demo", "up", "-d", "db"); code != ExitOK {
		t.Fatalf("up db: exit %d\n%s", code, errOut)
	}
	if _, errOut, code := s.run("--engine", "swarm", "-p", "demo", "stop"); code != ExitOK {
		t.Fatalf("stop: exit %d\n%s", code, errOut)
	}
	if s.f.Find("demo_web") != nil {
		t.Fatal("up db deployed web")
	}
	if _, errOut, code := s.run("--engine", "swarm", "-p", "demo", "start"); code != ExitOK {
		t.Fatalf("start: exit %d\n%s", code, errOut)
	}
	web, db := s.f.Find("demo_web"), s.f.Find("demo_db")
	if web == nil || *web.Spec.Mode.Replicated.Replicas != 2 {
		t.Fatalf("start did not create web running at scale 2: %+v", web)
	}
	if *db.Spec.Mode.Replicated.Replicas != 1 || db.Spec.Labels[swarm.LabelStoppedReplicas] != "" {
		t.Errorf("start did not start the stopped db: labels %v", db.Spec.Labels)
	}
}

// TestSwarmEngineRestartInBatches: restart's --batch-size and --interval drive the rolling restart, and
// the service's own update settings (from upgrade_strategy) are back afterwards.
func TestSwarmEngineRestartInBatches(t *testing.T) {
	s := newSwarmCLI(t, swarmCompose, swarmRancher)
	if _, errOut, code := s.run("--engine", "swarm", "-p", "demo", "up", "-d"); code != ExitOK {
		t.Fatalf("up: exit %d\n%s", code, errOut)
	}
	before := *s.f.Find("demo_web")
	_, errOut, code := s.run("--engine", "swarm", "-p", "demo", "restart", "--batch-size", "2", "--interval", "300", "web")
	if code != ExitOK {
		t.Fatalf("restart: exit %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "Restarting 2 task(s) at a time, 300ms apart") {
		t.Errorf("restart does not say how it rolls:\n%s", errOut)
	}
	after := s.f.Find("demo_web")
	restarted := after.PreviousSpec // the spec of the restart itself, before the settings came back
	if restarted == nil || restarted.UpdateConfig.Parallelism != 2 || restarted.UpdateConfig.Delay != 300*time.Millisecond {
		t.Fatalf("the restart did not roll 2 at a time 300ms apart: %+v", restarted)
	}
	if after.Spec.TaskTemplate.ForceUpdate != before.Spec.TaskTemplate.ForceUpdate+1 {
		t.Errorf("tasks were not replaced: ForceUpdate %d → %d", before.Spec.TaskTemplate.ForceUpdate, after.Spec.TaskTemplate.ForceUpdate)
	}
	if *after.Spec.UpdateConfig != *before.Spec.UpdateConfig {
		t.Errorf("update settings not restored: %+v, was %+v", after.Spec.UpdateConfig, before.Spec.UpdateConfig)
	}
	if _, _, code := s.run("--engine", "swarm", "-p", "demo", "restart", "--batch-size", "0"); code != ExitUsage {
		t.Errorf("restart --batch-size 0: exit %d, want %d", code, ExitUsage)
	}
}

// TestSwarmEnginePullCachedIsWarnedAbout: --cached has no meaning on swarm: a warning, not a failure.
func TestSwarmEnginePullCachedIsWarnedAbout(t *testing.T) {
	s := newSwarmCLI(t, swarmCompose, swarmRancher)
	s.f.Images["app:v1"], s.f.Images["db:1"] = true, true
	_, errOut, code := s.run("--engine", "swarm", "-p", "demo", "pull", "--cached")
	if code != ExitOK || !strings.Contains(errOut, "--cached has no meaning on --engine swarm") {
		t.Errorf("pull --cached: exit %d\n%s", code, errOut)
	}
}

// TestSwarmEngineRefusesADependsOnCycle: a depends_on cycle is refused from the files (exit 2, naming the
// cycle) before any request that changes the daemon.
func TestSwarmEngineRefusesADependsOnCycle(t *testing.T) {
	s := newSwarmCLI(t, `version: '3.8'
services:
  a:
    image: x:1
    depends_on: [b]
  b:
    image: x:1
    depends_on: [a]
`, "")
	_, errOut, code := s.run("--engine", "swarm", "-p", "demo", "up", "-d")
	if code != ExitUsage || !strings.Contains(errOut, "cycle") {
		t.Errorf("exit %d, want %d naming the cycle:\n%s", code, ExitUsage, errOut)
	}
	if n := s.f.WriteCount(); n != 0 {
		t.Errorf("%d changing requests sent before the refusal", n)
	}
}
