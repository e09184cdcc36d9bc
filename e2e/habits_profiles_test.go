package e2e

import (
	"sort"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

const profilesCompose = `version: "3.8"
services:
  web:
    image: nginx:1.25
  adminer:
    image: adminer:4
    profiles: [debug]
  migrate:
    image: app/migrate:1
    profiles: [tools]
    depends_on: [seed]
  seed:
    image: app/seed:1
    profiles: [seeding]
`

func stackServiceNames(e *env, stack string) []string {
	var names []string
	for _, s := range e.sim.Services(stack) {
		names = append(names, s.Name)
	}
	sort.Strings(names)
	return names
}

// TestProfilesDeploy: without a profile only the services without profiles are deployed; --profile and
// COMPOSE_PROFILES add theirs; a service named on the command line comes with its dependencies.
func TestProfilesDeploy(t *testing.T) {
	e := newEnv(t, sim.Options{Hosts: 2})
	e.writeFile("docker-compose.yml", profilesCompose)
	e.must(e.run("-p", "prof", "up", "-d"), "up without profiles")
	if got := strings.Join(stackServiceNames(e, "prof"), ","); got != "web" {
		t.Fatalf("without profiles: %s, want web", got)
	}
	e.must(e.run("-p", "prof", "--profile", "debug", "up", "-d"), "up --profile debug")
	if got := strings.Join(stackServiceNames(e, "prof"), ","); got != "adminer,web" {
		t.Fatalf("with --profile debug: %s, want adminer,web", got)
	}
	e.requests()
	r := e.run("-p", "prof", "--profile", "tools", "up", "-d")
	if r.code != 2 || !strings.Contains(r.stderr, `service "migrate" needs service "seed"`) {
		t.Fatalf("--profile tools alone: exit %d, want 2 naming seed\n%s", r.code, r.stderr)
	}
	if reqs := e.requests(); len(reqs) != 0 {
		t.Fatalf("a refused profile selection sent %d requests: %v", len(reqs), reqs)
	}
	e.must(e.run("-p", "prof", "up", "-d", "migrate"), "up migrate (named)")
	if got := strings.Join(stackServiceNames(e, "prof"), ","); got != "adminer,migrate,seed,web" {
		t.Fatalf("naming migrate: %s, want adminer,migrate,seed,web", got)
	}
	e.must(e.run("-p", "prof", "scale", "migrate=2"), "scale a service of an inactive profile, named")
	if got := e.service("prof", "migrate").Scale; got != 2 {
		t.Errorf("migrate scale %d, want 2", got)
	}
	cfg := e.must(e.run("-p", "prof", "--profile", "debug", "config", "--services"), "config --services --profile debug")
	if cfg.stdout != "adminer\nweb\n" {
		t.Errorf("config --services with --profile debug:\n%s", cfg.stdout)
	}
}
