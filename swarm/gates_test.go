package swarm

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

const gatedCompose = `version: '3.8'
services:
  web:
    image: app:${TAG}
    links: ["cache"]
    depends_on:
      db: {condition: service_healthy}
      migrate: {condition: service_completed_successfully}
  db:
    image: app:${TAG}
  migrate:
    image: tool:1
    restart: "no"
    depends_on: [db]
  cache:
    image: cache:1
  debug:
    image: tool:1
    profiles: [debug]
`

// gatedProject loads gatedCompose with the given profiles active.
func gatedProject(t *testing.T, tag string, profiles ...string) *compose.Project {
	t.Helper()
	p := loadProject(t, gatedCompose, "", "TAG="+tag)
	if err := p.ApplyProfiles(profiles, nil); err != nil {
		t.Fatal(err)
	}
	return p
}

func (s *fakeStack) upProject(p *compose.Project, o UpOptions) (*Plan, *Result, error) {
	s.t.Helper()
	d, err := Map(p, MapOptions{ProbePath: probeOpts})
	if err != nil {
		s.t.Fatal(err)
	}
	obs, err := Observe(context.Background(), s.c, "demo")
	if err != nil {
		s.t.Fatal(err)
	}
	plan, err := PlanUp(d, obs, o)
	if err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	res, err := s.executor().Execute(ctx, plan)
	return plan, res, err
}

func TestPlanWavesFromLinksAndDependsOn(t *testing.T) {
	d, err := Map(gatedProject(t, "v1"), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p, err := PlanUp(d, Observed{}, UpOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"cache", "db"}, {"migrate"}, {"web"}}
	if got := p.Waves(); !reflect.DeepEqual(got, want) {
		t.Fatalf("waves = %v, want %v", got, want)
	}
	web := p.service("web")
	if web.Wave != 3 || !reflect.DeepEqual(web.Gates, []Gate{{Service: "db", Condition: compose.ConditionHealthy},
		{Service: "migrate", Condition: compose.ConditionCompleted}}) {
		t.Errorf("web: wave %d, gates %v", web.Wave, web.Gates)
	}
	if text := p.String(); !strings.Contains(text, "waves (each after the one before; a wave's services in parallel): 1: cache, db | 2: migrate | 3: web") {
		t.Errorf("--dry-run does not show the waves:\n%s", text)
	}
	var doc struct {
		Services []struct {
			Name  string
			Wave  int
			Gates []Gate
		}
	}
	raw, _ := json.Marshal(p)
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Services {
		if s.Name == "web" && (s.Wave != 3 || len(s.Gates) != 2) {
			t.Errorf("JSON plan of web: %+v", s)
		}
	}
	create, _ := PlanUp(d, Observed{}, UpOptions{CreateOnly: true})
	for _, g := range create.service("web").Gates {
		if g.Condition != compose.ConditionStarted {
			t.Errorf("create waits for nothing but creation, got gate %v", g)
		}
	}
}

func TestPlanWithoutEdgesHasNoWaves(t *testing.T) {
	d := mapProject(t, "services:\n  a: {image: x:1}\n  b: {image: y:1}\n", "", MapOptions{})
	p, _ := PlanUp(d, Observed{}, UpOptions{})
	if strings.Contains(p.String(), "waves") || p.service("a").Wave != 0 {
		t.Errorf("a plan without edges shows waves:\n%s", p.String())
	}
}

// TestExecuteWaitsForGates: every service is created only after what it depends on was created (and,
// for web, after db is healthy and migrate's job completed).
func TestExecuteWaitsForGates(t *testing.T) {
	s := newFakeStack(t)
	_, res, err := s.upProject(gatedProject(t, "v1"), UpOptions{})
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	created := map[string]int{}
	starting := map[string]int{}
	for i, e := range s.rec.Events() {
		switch {
		case e.Status == progress.Done && e.Text == "Created":
			created[e.Resource] = i
		case e.Status == progress.Working && strings.HasPrefix(e.Text, "Creating "):
			starting[e.Resource] = i
		}
	}
	for _, edge := range [][2]string{{"web", "db"}, {"web", "migrate"}, {"web", "cache"}, {"migrate", "db"}} {
		if starting[edge[0]] < created[edge[1]] {
			t.Errorf("%s began being created (event %d) before %s was created (event %d)", edge[0], starting[edge[0]], edge[1], created[edge[1]])
		}
	}
	if len(res.Services) != 4 {
		t.Errorf("profile-disabled debug was deployed: %d services", len(res.Services))
	}
}

// TestFailingGateLeavesDependentsUntouched: db's upgrade never becomes healthy, so web (service_healthy
// on db) is not attempted: its service keeps v1, the result says notAttempted, the exit code is 1.
func TestFailingGateLeavesDependentsUntouched(t *testing.T) {
	s := newFakeStack(t)
	if _, _, err := s.upProject(gatedProject(t, "v1"), UpOptions{}); err != nil {
		t.Fatal(err)
	}
	s.f.Failing["app:v2"], s.f.Only = true, "demo_db"
	_, res, err := s.upProject(gatedProject(t, "v2"), UpOptions{Upgrade: true})
	var de *DeployError
	if !errors.As(err, &de) || de.ExitCode() != 1 {
		t.Fatalf("err = %v, want a DeployError with exit 1", err)
	}
	web := res.Service("web")
	if !web.NotAttempted || !strings.Contains(web.Error, "not attempted: db did not reach service_healthy") || len(web.Done) != 0 {
		t.Errorf("web result: %+v", web)
	}
	if img := imageOf(s.f.Service("demo", "web").Spec); img != "app:v1" {
		t.Errorf("web was touched: image %s", img)
	}
	var ge *GateError
	if !errors.As(err, &ge) || ge.Dependency != "db" {
		t.Errorf("err does not carry the GateError: %v", err)
	}
	raw, _ := json.Marshal(res)
	if !strings.Contains(string(raw), `"notAttempted":true`) {
		t.Errorf("result JSON lacks notAttempted: %s", raw)
	}
}

// TestOrphansExcludeProfileDisabled: a running service its profile disables is defined in the files, so
// --remove-orphans leaves it; a service in none of the files is removed.
func TestOrphansExcludeProfileDisabled(t *testing.T) {
	s := newFakeStack(t)
	if _, _, err := s.upProject(gatedProject(t, "v1", "debug"), UpOptions{}); err != nil {
		t.Fatal(err)
	}
	full := loadProject(t, gatedCompose+"  gone:\n    image: tool:1\n", "", "TAG=v1")
	if _, _, err := s.upProject(full, UpOptions{Services: []string{"gone"}}); err != nil {
		t.Fatal(err)
	}
	d, _ := Map(gatedProject(t, "v1"), MapOptions{})
	obs, _ := Observe(context.Background(), s.c, "demo")
	dry, err := PlanUp(d, obs, UpOptions{})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(dry)
	if !strings.Contains(dry.String(), "orphans (in none of the files; --remove-orphans removes them): gone\n") || !strings.Contains(string(raw), `"orphans":["gone"]`) {
		t.Errorf("--dry-run does not show the orphans:\n%s\n%s", dry, raw)
	}
	plan, res, err := s.upProject(gatedProject(t, "v1"), UpOptions{RemoveOrphans: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(plan.Orphans, []string{"gone"}) || !reflect.DeepEqual(res.RemovedOrphans, []string{"gone"}) {
		t.Errorf("orphans %v, removed %v; want only gone", plan.Orphans, res.RemovedOrphans)
	}
	s.f.Service("demo", "debug") // still there (fails the test otherwise)
}

// TestProfilesOnSwarm: a service whose profile is not active is not deployed; activating it deploys it.
func TestProfilesOnSwarm(t *testing.T) {
	s := newFakeStack(t)
	if _, _, err := s.upProject(gatedProject(t, "v1"), UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if s.f.Find("demo_debug") != nil {
		t.Fatal("debug (profile debug, inactive) was deployed")
	}
	if _, _, err := s.upProject(gatedProject(t, "v1", "debug"), UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if s.f.Find("demo_debug") == nil {
		t.Fatal("debug was not deployed with its profile active")
	}
}

// TestEngineUpNamedServiceBringsItsDependsOn: up web also deploys what web depends on, not the rest.
func TestEngineUpNamedServiceBringsItsDependsOn(t *testing.T) {
	s := newFakeStack(t)
	e := &Engine{Client: s.c, Progress: progress.Emitter{Sink: s.rec}, Poll: time.Millisecond, Map: MapOptions{ProbePath: probeOpts}}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := e.Up(ctx, gatedProject(t, "v1"), engine.UpOptions{Services: []string{"migrate"}}); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"demo_migrate": true, "demo_db": true, "demo_web": false, "demo_cache": false} {
		if got := s.f.Find(name) != nil; got != want {
			t.Errorf("%s deployed = %v, want %v", name, got, want)
		}
	}
}

func TestPlanStartProjectCreatesMissingAndRefusesUnknown(t *testing.T) {
	s := newFakeStack(t)
	if _, _, err := s.upProject(gatedProject(t, "v1"), UpOptions{Services: []string{"db"}}); err != nil {
		t.Fatal(err)
	}
	d, err := Map(gatedProject(t, "v1"), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	obs, _ := Observe(context.Background(), s.c, "demo")
	p, err := PlanStartProject(d, obs, []string{"migrate", "db"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.service("migrate"); got == nil || got.Action() != StepCreate || got.Stopped {
		t.Errorf("missing migrate: %+v", got)
	}
	if got := p.service("db"); got == nil || got.Action() != StepUnchanged {
		t.Errorf("running db: %+v", got)
	}
	if p.service("web") != nil {
		t.Error("start migrate db planned web")
	}
	var nf *NotFoundError
	if _, err := PlanStartProject(d, obs, []string{"nope"}); !errors.As(err, &nf) {
		t.Errorf("unknown service: %v", err)
	}
}

func TestMapWarnsCompletedGateOnARestartedService(t *testing.T) {
	d := mapProject(t, `version: '3.8'
services:
  web:
    image: app:1
    depends_on:
      seed: {condition: service_completed_successfully}
  seed:
    image: tool:1
`, "", MapOptions{})
	for _, w := range d.Warnings {
		if w.Service == "web" && w.Key == "depends_on.seed" && strings.Contains(w.Text, `restart: "no"`) {
			return
		}
	}
	t.Errorf("no warning about a completion gate on a service Swarm restarts: %v", d.Warnings)
}
