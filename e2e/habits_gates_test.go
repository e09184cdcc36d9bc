package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// gatesCompose: web waits for db to be healthy and for the start-once migrate job to finish; cache is an
// independent branch.
func gatesCompose(migrateTag string) string {
	return `version: "2.1"
services:
  db:
    image: postgres:16
  migrate:
    image: migrate:` + migrateTag + `
    labels: {io.rancher.container.start_once: "true"}
    depends_on:
      db: {condition: service_healthy}
  web:
    image: nginx:1.25
    depends_on:
      db: {condition: service_healthy}
      migrate: {condition: service_completed_successfully}
      cache: {condition: service_started}
  cache:
    image: redis:7
  other:
    image: other:1
    depends_on: [web]
`
}

const gatesRancher = `version: "2"
services:
  db:
    health_check: {port: 5432, interval: 2000, healthy_threshold: 2, unhealthy_threshold: 3, response_timeout: 2000}
`

func gatesEnv(t *testing.T, migrateTag string, opts sim.Options) *env {
	zero, one := 0, 1
	opts.ExposeExitCode = true
	opts.Images = append(opts.Images, sim.ImageBehavior{Glob: "migrate:bad", ExitCode: &one}, sim.ImageBehavior{Glob: "migrate:*", ExitCode: &zero})
	e := newEnv(t, opts)
	e.writeFile("docker-compose.yml", gatesCompose(migrateTag))
	e.writeFile("rancher-compose.yml", gatesRancher)
	return e
}

// createdAt is when the simulator created the service (createdTS: its clock, in milliseconds).
func createdAt(t *testing.T, svc map[string]any) time.Time {
	t.Helper()
	ms, ok := svc["createdTS"].(float64)
	if !ok {
		t.Fatalf("createdTS %v", svc["createdTS"])
	}
	return time.UnixMilli(int64(ms))
}

// TestServiceHealthyGateOrdersCreates: web is created only after db became healthy and migrate exited 0,
// as the simulator's state history shows; the dry run shows the waves.
func TestServiceHealthyGateOrdersCreates(t *testing.T) {
	e := gatesEnv(t, "1", sim.Options{Hosts: 2})
	dry := e.must(e.run("-p", "g", "up", "-d", "--dry-run"), "dry run")
	if !strings.Contains(dry.stdout, "Waves (each after the one before; a wave's services in parallel): 1: cache, db | 2: migrate | 3: web | 4: other") ||
		!strings.Contains(dry.stdout, "waits for db: service_healthy") {
		t.Errorf("the dry run does not show the waves and gates:\n%s", dry.stdout)
	}
	if strings.Contains(dry.stdout, "not a start-once job") {
		t.Errorf("migrate is start-once: no warning expected:\n%s", dry.stdout)
	}
	var plan upgrade.Plan
	if err := json.Unmarshal([]byte(e.must(e.run("-p", "g", "up", "-d", "--dry-run", "--format", "json"), "dry json").stdout), &plan); err != nil {
		t.Fatal(err)
	}
	if w := plan.Service("web"); w == nil || w.Wave != 3 || len(w.Gates) != 3 {
		t.Errorf("web in the JSON plan: %+v", w)
	}

	violations := watchGate(e, "g", "db", []string{"migrate", "web"})
	e.must(e.run("-p", "g", "up", "-d"), "up")
	if v := violations(); v != "" {
		t.Errorf("observed in real time: %s", v)
	}
	dbCtr := e.sim.Containers(e.service("g", "db").ID)[0]
	var healthyAt time.Time
	for _, h := range dbCtr.HealthHistory {
		if h.State == "healthy" {
			healthyAt = h.At
			break
		}
	}
	if healthyAt.IsZero() {
		t.Fatalf("db never became healthy: %+v", dbCtr.HealthHistory)
	}
	var exitedAt time.Time
	for _, h := range e.sim.Containers(e.service("g", "migrate").ID)[0].History {
		if h.State == "stopped" {
			exitedAt = h.At
		}
	}
	webCreated := createdAt(t, e.svc("g", "web"))
	migrateCreated := createdAt(t, e.svc("g", "migrate"))
	// The simulator's fast clock stands still between its steps, so a create may share the millisecond of
	// the change it waited for; it must never come first.
	if migrateCreated.Before(healthyAt) || webCreated.Before(healthyAt) {
		t.Errorf("db healthy at %v, but migrate created at %v and web at %v", healthyAt, migrateCreated, webCreated)
	}
	if exitedAt.IsZero() || webCreated.Before(exitedAt) {
		t.Errorf("migrate exited at %v, web created at %v: web must wait for the job", exitedAt, webCreated)
	}
	if cacheCreated := createdAt(t, e.svc("g", "cache")); cacheCreated.After(healthyAt) {
		t.Errorf("cache (independent) created at %v, not in parallel with db (healthy at %v)", cacheCreated, healthyAt)
	}
}

// watchGate samples the simulator while a deploy runs and reports a dependent that existed before the
// dependency had ever been healthy: the health history only grows, so a dependent seen first and a history
// without "healthy" read after it is a sure violation, whatever the clocks say.
func watchGate(e *env, stack, dep string, dependents []string) func() string {
	stop, done := make(chan struct{}), make(chan string, 1)
	everHealthy := func() bool {
		for _, s := range e.sim.Services(stack) {
			if s.Name != dep {
				continue
			}
			for _, c := range e.sim.Containers(s.ID) {
				for _, h := range c.HealthHistory {
					if h.State == "healthy" {
						return true
					}
				}
			}
		}
		return false
	}
	go func() {
		for {
			select {
			case <-stop:
				done <- ""
				return
			case <-time.After(time.Millisecond):
			}
			for _, s := range e.sim.Services(stack) {
				for _, d := range dependents {
					if s.Name == d && !everHealthy() {
						done <- d + " existed before " + dep + " was ever healthy"
						return
					}
				}
			}
		}
	}()
	return func() string {
		close(stop)
		return <-done
	}
}

// TestFailingGateLeavesDependentsUntouched: migrate exits 1, so web (and other, which depends on web) are
// not attempted: no request creates them, the result says why, and the run exits 1.
func TestFailingGateLeavesDependentsUntouched(t *testing.T) {
	e := gatesEnv(t, "bad", sim.Options{Hosts: 2})
	r := e.run("-p", "g", "up", "-d", "--format", "json")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	if got := strings.Join(stackServiceNames(e, "g"), ","); got != "cache,db,migrate" {
		t.Errorf("services %s: web and other must not exist", got)
	}
	var res upgrade.Result
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	for _, name := range []string{"web", "other"} {
		s := res.Service(name)
		if s == nil || !s.NotAttempted || s.Changed || !strings.Contains(s.Error, "not attempted") {
			t.Errorf("%s: %+v", name, s)
		}
	}
	if w := res.Service("web"); w != nil && !strings.Contains(w.Error, "migrate did not reach service_completed_successfully") {
		t.Errorf("web's reason: %q", w.Error)
	}
	if !strings.Contains(r.stderr, "not attempted") {
		t.Errorf("stderr does not say web was not attempted:\n%s", r.stderr)
	}
}

// TestUnhealthyGateStopsDependents: db never becomes healthy, so neither migrate nor web is created; the
// run times out (exit 4) with them reported as not attempted.
func TestUnhealthyGateStopsDependents(t *testing.T) {
	e := gatesEnv(t, "1", sim.Options{Hosts: 2, Images: []sim.ImageBehavior{{Glob: "postgres:*", NeverHealthy: true}}})
	r := e.run("-p", "g", "up", "-d", "--timeout", "3s", "--format", "json")
	if r.code != 4 {
		t.Fatalf("exit %d, want 4\n%s", r.code, r.stderr)
	}
	if got := strings.Join(stackServiceNames(e, "g"), ","); got != "cache,db" {
		t.Errorf("services %s, want cache,db", got)
	}
	var res upgrade.Result
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatalf("%v\n%s", err, r.stdout)
	}
	if m := res.Service("migrate"); m == nil || !m.NotAttempted || !strings.Contains(m.Error, "db did not reach service_healthy") {
		t.Errorf("migrate: %+v", m)
	}
}

// TestGateCycleRefusedBeforeAnyRequest: a depends_on cycle closed by a link exits 2, naming the cycle with
// file:line, and sends nothing.
func TestGateCycleRefusedBeforeAnyRequest(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", `version: "2.1"
services:
  web:
    image: nginx
    depends_on:
      api: {condition: service_healthy}
  api:
    image: api
    links: [web]
`)
	e.requests()
	r := e.run("-p", "cyc", "up", "-d")
	if r.code != 2 || !strings.Contains(r.stderr, "docker-compose.yml:6:7") || !strings.Contains(r.stderr, "dependency cycle: web -> api -> web") {
		t.Fatalf("exit %d, want 2 naming the cycle:\n%s", r.code, r.stderr)
	}
	if reqs := e.requests(); len(reqs) != 0 {
		t.Errorf("a refused cycle sent requests: %v", reqs)
	}
}

// TestGatesOrderUpgrades: on an upgrade, web's new containers start only once db's new containers are
// healthy, and migrate's new job exited 0.
func TestGatesOrderUpgrades(t *testing.T) {
	e := gatesEnv(t, "1", sim.Options{Hosts: 2})
	e.must(e.run("-p", "g", "up", "-d"), "up")
	e.writeFile("docker-compose.yml", strings.NewReplacer("postgres:16", "postgres:17", "nginx:1.25", "nginx:1.26").Replace(gatesCompose("2")))
	e.must(e.run("-p", "g", "up", "-d", "--upgrade"), "up --upgrade")
	newest := func(name, image string) sim.ContainerInfo {
		for _, c := range e.sim.Containers(e.service("g", name).ID) {
			if c.Image == "docker:"+image {
				return c
			}
		}
		t.Fatalf("no %s container on %s", name, image)
		return sim.ContainerInfo{}
	}
	db, job, web := newest("db", "postgres:17"), newest("migrate", "migrate:2"), newest("web", "nginx:1.26")
	var dbHealthy, jobStopped time.Time
	for _, h := range db.HealthHistory {
		if h.State == "healthy" && dbHealthy.IsZero() {
			dbHealthy = h.At
		}
	}
	for _, h := range job.History {
		if h.State == "stopped" {
			jobStopped = h.At
		}
	}
	webRequested := web.History[0].At
	if dbHealthy.IsZero() || jobStopped.IsZero() || webRequested.Before(dbHealthy) || webRequested.Before(jobStopped) {
		t.Errorf("web's new container requested at %v; db's new container healthy at %v, the new job stopped at %v", webRequested, dbHealthy, jobStopped)
	}
	if job.History[0].At.Before(dbHealthy) {
		t.Errorf("the new job started at %v, before db's new container was healthy (%v)", job.History[0].At, dbHealthy)
	}
}

// TestCompletedGateOnAServiceWarns: service_completed_successfully on a service that is not start-once is
// warned about in the plan (Rancher restarts such a service, so it never "completes").
func TestCompletedGateOnAServiceWarns(t *testing.T) {
	e := newEnv(t, sim.Options{Hosts: 1})
	e.writeFile("docker-compose.yml", `version: "2.1"
services:
  web:
    image: nginx
    depends_on:
      api: {condition: service_completed_successfully}
  api: {image: api}
`)
	r := e.must(e.run("-p", "w", "up", "-d", "--dry-run"), "dry run")
	if !strings.Contains(r.stdout, "api is not a start-once job") {
		t.Errorf("no warning in the plan:\n%s", r.stdout)
	}
}

// TestCreateWithGatesDoesNotWaitForHealth: `create` starts nothing, so it orders the creates by depends_on
// but waits for no health or completion (it would wait forever).
func TestCreateWithGatesDoesNotWaitForHealth(t *testing.T) {
	e := gatesEnv(t, "1", sim.Options{Hosts: 2})
	e.must(e.run("-p", "g", "create", "--timeout", "30s"), "create")
	if got := strings.Join(stackServiceNames(e, "g"), ","); got != "cache,db,migrate,other,web" {
		t.Errorf("services %s", got)
	}
	for _, s := range e.sim.Services("g") {
		if s.State != "inactive" {
			t.Errorf("%s is %s after create, want inactive", s.Name, s.State)
		}
	}
}
