package swarm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestRealSwarmCLI runs the rancher-compose binary itself, built static, with --engine swarm against the
// local daemon: its hidden healthprobe command is the in-container probe of the health checks.
func TestRealSwarmCLI(t *testing.T) {
	d := needDocker(t)
	d.buildApp()
	dir := t.TempDir()
	bin := filepath.Join(dir, "rancher-compose")
	_, self, _, _ := runtime.Caller(0)
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Dir = filepath.Join(filepath.Dir(self), "..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building rancher-compose: %v\n%s", err, out)
	}
	project := filepath.Join(dir, "project")
	if err := os.MkdirAll(project, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"docker-compose.yml": "version: '2'\nservices:\n  web:\n    image: ${IMAGE}:${TAG}\n  store:\n    image: ${IMAGE}:${TAG}\n  client:\n    image: ${IMAGE}:${TAG}\n    links: [web:www, store]\n",
		"rancher-compose.yml": `version: '2'
services:
  web:
    scale: 2
    health_check: {port: 8080, request_line: GET /healthz HTTP/1.0, interval: 1000, response_timeout: 1000, unhealthy_threshold: 2}
    upgrade_strategy: {start_first: true, batch_size: 1, interval_millis: 200}
  store:
    health_check: {port: 8080, interval: 1000, response_timeout: 1000, unhealthy_threshold: 2}
`,
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(project, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	stack := d.prefix + "cli"
	d.cleanupStack(stack)
	run := func(tag string, args ...string) (string, string, int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		c := exec.CommandContext(ctx, bin, append([]string{"--engine", "swarm", "-p", stack}, args...)...)
		c.Dir = project
		c.Env = append(os.Environ(), "IMAGE="+d.prefix+"/app", "TAG="+tag, "RANCHER_COMPOSE_POLL=200ms")
		var out, errOut bytes.Buffer
		c.Stdout, c.Stderr = &out, &errOut
		err := c.Run()
		var exitErr *exec.ExitError
		if err != nil && !errors.As(err, &exitErr) {
			t.Fatal(err)
		}
		return out.String(), errOut.String(), c.ProcessState.ExitCode()
	}
	if _, errOut, code := run("v1", "create", "--progress", "plain"); code != 0 {
		t.Fatalf("create: exit %d\n%s", code, errOut)
	}
	if out, _, _ := run("v1", "ps"); strings.Count(out, "stopped") != 3 {
		t.Errorf("create should leave the services stopped (as Rancher leaves them inactive):\n%s", out)
	}
	if _, errOut, code := run("v1", "up", "-d", "--wait-healthy", "--progress", "plain"); code != 0 {
		t.Fatalf("up: exit %d\n%s", code, errOut)
	}
	out, errOut, code := run("v1", "ps", "--format", "json")
	var view StatusView
	if err := json.Unmarshal([]byte(out), &view); err != nil || code != 0 || len(view.Services) != 3 {
		t.Fatalf("ps: exit %d %v\n%s%s", code, err, out, errOut)
	}
	for _, r := range view.Services {
		if r.Health != "healthy" || int64(r.Running) != r.Desired {
			t.Errorf("%s: %+v, want every replica healthy (the binary's own healthprobe ran inside FROM scratch containers)", r.Name, r)
		}
	}
	if out, errOut, code = run("v1", "up", "-d", "--format", "json"); code != 0 || !strings.Contains(out, `"changed": false`) {
		t.Errorf("no-op up: exit %d\n%s%s", code, out, errOut)
	}
	if _, errOut, code = run("v3", "up", "-d", "--atomic", "--progress", "plain"); code != 6 || !strings.Contains(errOut, "500") {
		t.Errorf("up --atomic v3: exit %d, want 6 naming the health output\n%s", code, errOut)
	}
	out, _, _ = run("v1", "ps")
	if strings.Contains(out, ":v3") || strings.Count(out, ":v1") != 3 {
		t.Errorf("after the atomic rollback every service should be on v1:\n%s", out)
	}
	if _, errOut, code = run("v1", "rm", "--progress", "plain"); code != 0 {
		t.Errorf("rm: exit %d\n%s", code, errOut)
	}
	if svcs, _ := d.c.Services(context.Background(), LabelNamespace+"="+stack); len(svcs) != 0 {
		t.Errorf("rm left %d services", len(svcs))
	}
}
