package e2e

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// environmentsEnv starts a simulator serving dev, stage and prod behind one account key.
func environmentsEnv(t *testing.T) (*env, *sim.Environments) {
	t.Helper()
	m, err := sim.StartEnvironments(sim.Options{Clock: sim.FastClock, Hosts: 2, AccessKey: "ACCOUNTKEY", SecretKey: "ACCOUNTSECRET"},
		[]string{"dev", "stage", "prod"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = m.Close() })
	e := &env{t: t, log: &bytes.Buffer{}, sim: m.Environment("dev"), dir: t.TempDir(), env: map[string]string{
		"RANCHER_URL": m.URL(), "RANCHER_ACCESS_KEY": m.AccessKey(), "RANCHER_SECRET_KEY": m.SecretKey(), cmd.EnvPoll: "5ms"}}
	e.writeFile("docker-compose.yml", "version: '2'\nservices:\n  api:\n    image: registry.local/api:${TAG}\n  worker:\n    image: registry.local/worker:${TAG}\n")
	return e, m
}

func imagesOf(s *sim.Server, stack string) string {
	var out []string
	for _, svc := range s.Services(stack) {
		out = append(out, svc.Name+"="+strings.TrimPrefix(svc.Image, "docker:"))
	}
	return strings.Join(out, ",")
}

// TestWhichVersionRunsInProd deploys one stack to dev and prod at different versions with an account key
// and --env (or RANCHER_ENVIRONMENT); `ps --env` shows each environment's own version, and the same key
// without an environment is refused with the list of names.
func TestWhichVersionRunsInProd(t *testing.T) {
	e, m := environmentsEnv(t)
	e.writeFile(".env", "TAG=2.0\n")
	e.must(e.run("--env", "dev", "-p", "shop", "up", "-d"), "up --env dev")
	e.writeFile(".env", "TAG=1.4\n")
	e.env["RANCHER_ENVIRONMENT"] = "prod"
	e.must(e.run("-p", "shop", "up", "-d"), "up with RANCHER_ENVIRONMENT=prod")
	delete(e.env, "RANCHER_ENVIRONMENT")

	if got := imagesOf(m.Environment("dev"), "shop"); !strings.Contains(got, "api=registry.local/api:2.0") || strings.Contains(got, ":1.4") {
		t.Errorf("dev runs %s", got)
	}
	if got := imagesOf(m.Environment("prod"), "shop"); !strings.Contains(got, "api=registry.local/api:1.4") || strings.Contains(got, ":2.0") {
		t.Errorf("prod runs %s", got)
	}
	if got := m.Environment("stage").Services("shop"); len(got) != 0 {
		t.Errorf("stage was touched: %+v", got)
	}

	prod := e.must(e.run("--env", "prod", "-p", "shop", "ps"), "ps --env prod")
	if !strings.Contains(prod.stdout, "registry.local/api:1.4") || strings.Contains(prod.stdout, "registry.local/api:2.0") {
		t.Errorf("ps --env prod:\n%s", prod.stdout)
	}
	dev := e.must(e.run("--env", "1a5", "-p", "shop", "ps"), "ps --env 1a5 (dev by id)")
	if !strings.Contains(dev.stdout, "registry.local/api:2.0") || strings.Contains(dev.stdout, "registry.local/api:1.4") {
		t.Errorf("ps --env 1a5:\n%s", dev.stdout)
	}

	for _, args := range [][]string{{"-p", "shop", "ps"}, {"-p", "shop", "up", "-d"}} {
		r := e.run(args...)
		if r.code != 2 || !strings.Contains(r.stderr, "dev (1a5), prod (1a7), stage (1a6)") {
			t.Errorf("%v without an environment: exit %d, want 2 listing the environments:\n%s", args, r.code, r.stderr)
		}
	}
	r := e.run("--env", "qa", "-p", "shop", "ps")
	if r.code != 2 || !strings.Contains(r.stderr, "no such environment") {
		t.Errorf("--env qa: exit %d\n%s", r.code, r.stderr)
	}

	// An environment key sees its own environment without --env.
	stage := m.Environment("stage")
	e.env["RANCHER_ACCESS_KEY"], e.env["RANCHER_SECRET_KEY"] = stage.AccessKey(), stage.SecretKey()
	e.writeFile(".env", "TAG=1.9\n")
	e.must(e.run("-p", "shop", "up", "-d"), "up with stage's environment key")
	if got := imagesOf(stage, "shop"); !strings.Contains(got, "api=registry.local/api:1.9") {
		t.Errorf("stage runs %s", got)
	}
}
