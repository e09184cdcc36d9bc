package e2e

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// webProject is a two-service project whose web image is tag.
func webProject(tag, dbTag string) string {
	return `version: '2'
services:
  web:
    image: nginx:` + tag + `
    links: [db]
  db:
    image: postgres:` + dbTag + `
`
}

const webRancher = `version: '2'
services:
  web:
    scale: 2
    health_check:
      port: 80
      interval: 2000
      request_line: GET / HTTP/1.0
      healthy_threshold: 2
      unhealthy_threshold: 3
      response_timeout: 2000
`

// deployed starts a simulator and deploys web (nginx:1.13) and db (postgres:9) with up -d.
func deployed(t *testing.T, opts sim.Options) *env {
	e := newEnv(t, opts)
	e.writeFile("demo/docker-compose.yml", webProject("1.13", "9"))
	e.writeFile("demo/rancher-compose.yml", webRancher)
	e.must(e.run("-f", e.dir+"/demo/docker-compose.yml", "up", "-d"), "up -d")
	return e
}

func (e *env) changeImages(web, db string) {
	e.writeFile("demo/docker-compose.yml", webProject(web, db))
}

func (e *env) demo(args ...string) result {
	e.t.Helper()
	return e.run(append([]string{"-f", e.dir + "/demo/docker-compose.yml"}, args...)...)
}

// elsewhere runs in an empty directory: no compose file at all, as a later pipeline step on another agent.
func (e *env) elsewhere(args ...string) result {
	e.t.Helper()
	return e.runIn(context.Background(), e.t.TempDir(), "", args...)
}

func (e *env) expectService(name, state, image string) {
	e.t.Helper()
	s := e.service("demo", name)
	if s.State != state || s.Image != "docker:"+image {
		e.t.Errorf("%s: state %s image %s, want %s docker:%s", name, s.State, s.Image, state, image)
	}
}

func TestUpgradeThenConfirmFromASecondInvocationWithoutFiles(t *testing.T) {
	e := deployed(t, sim.Options{})
	e.changeImages("1.14", "9")
	e.must(e.demo("up", "-d", "--upgrade"), "up -d --upgrade")
	e.expectService("web", "upgraded", "nginx:1.14")
	e.expectService("db", "active", "postgres:9")

	ps := e.must(e.elsewhere("-p", "demo", "ps"), "ps without files")
	if !strings.Contains(ps.stdout, "upgraded") {
		t.Errorf("ps does not show the upgraded state:\n%s", ps.stdout)
	}
	r := e.must(e.elsewhere("-p", "demo", "upgrade", "--confirm", "--format", "json"), "upgrade --confirm without files")
	e.expectService("web", "active", "nginx:1.14")
	if !strings.Contains(r.stdout, `"name": "web"`) {
		t.Errorf("--format json result does not list web:\n%s", r.stdout)
	}
	web := e.service("demo", "web")
	for _, c := range e.sim.Containers(web.ID) {
		if c.Image != "docker:nginx:1.14" {
			t.Errorf("old container %s (%s) still there after confirm", c.Name, c.Image)
		}
	}
}

func TestUpgradeThenRollbackFromASecondInvocationWithoutFiles(t *testing.T) {
	e := deployed(t, sim.Options{})
	e.changeImages("1.14", "10")
	e.must(e.demo("up", "-d", "-u"), "up -d -u")
	e.expectService("web", "upgraded", "nginx:1.14")
	e.expectService("db", "upgraded", "postgres:10")

	dry := e.must(e.elsewhere("-p", "demo", "rollback", "--dry-run"), "rollback --dry-run")
	if !strings.Contains(dry.stdout, "rollback") || e.service("demo", "web").State != "upgraded" {
		t.Errorf("rollback --dry-run: plan %q, web %s", dry.stdout, e.service("demo", "web").State)
	}
	e.must(e.elsewhere("-p", "demo", "rollback", "web"), "rollback web")
	e.expectService("web", "active", "nginx:1.13")
	e.expectService("db", "upgraded", "postgres:10")
	e.must(e.elsewhere("-p", "demo", "rollback"), "rollback (every upgraded service)")
	e.expectService("db", "active", "postgres:9")
}

func TestConfirmOfAMissingStackFails(t *testing.T) {
	e := newEnv(t, sim.Options{})
	r := e.elsewhere("-p", "nothere", "upgrade", "--confirm")
	if r.code != 1 || !strings.Contains(r.stderr, "does not exist") {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// TestAHeldLockRefusesASecondUpgrade holds the stack's deploy lock as another pipeline would, then runs
// `up -d --upgrade`: refused, naming the holder, with no service touched; --force-unlock breaks it.
func TestAHeldLockRefusesASecondUpgrade(t *testing.T) {
	e := deployed(t, sim.Options{})
	c, err := rancher.New(context.Background(), rancher.Config{URL: e.sim.URL(), AccessKey: e.sim.AccessKey(), SecretKey: e.sim.SecretKey()})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Stacks().ByName(context.Background(), "demo", nil)
	if err != nil || st == nil {
		t.Fatalf("stack demo: %v", err)
	}
	held, err := lock.Acquire(context.Background(), upgrade.NewRancherAPI(c), st.Id, lock.Options{Owner: "jenkins@other-agent (pid 42)", TTL: time.Hour, Settle: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e.changeImages("1.14", "9")
	e.requests()
	r := e.demo("up", "-d", "--upgrade")
	if r.code != 7 || !strings.Contains(r.stderr, "jenkins@other-agent (pid 42)") {
		t.Fatalf("second upgrade: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if m := mutationsOf(e.requests()); len(m) != 0 {
		t.Errorf("a refused run touched services: %v", m)
	}
	e.expectService("web", "active", "nginx:1.13")
	ps := e.must(e.elsewhere("-p", "demo", "ps"), "ps")
	if !strings.Contains(ps.stdout, "deploy lock held by jenkins@other-agent") {
		t.Errorf("ps does not show the lock:\n%s", ps.stdout)
	}

	dry := e.must(e.demo("up", "-d", "--upgrade", "--dry-run", "--progress", "plain"), "up --dry-run while locked")
	if !strings.Contains(dry.stderr, "a real run would be refused") {
		t.Errorf("dry run does not warn about the lock:\n%s", dry.stderr)
	}
	e.must(e.demo("up", "-d", "--upgrade", "--force-unlock"), "up --force-unlock")
	e.expectService("web", "upgraded", "nginx:1.14")
	if err := held.Release(context.Background()); err == nil {
		t.Errorf("the broken lock's holder could still release it")
	}
}

// TestTwoConcurrentUpgradesOneIsRefused runs two upgrades of one stack at the same time, as two processes
// (two pipelines): exactly one wins.
func TestTwoConcurrentUpgradesOneIsRefused(t *testing.T) {
	e := deployed(t, sim.Options{})
	e.changeImages("1.14", "9")
	results := make(chan result, 2)
	binary(t)
	for i := 0; i < 2; i++ {
		go func() {
			results <- e.exec(context.Background(), "-f", e.dir+"/demo/docker-compose.yml", "up", "-d", "--upgrade", "--timeout", "60s", "--progress", "plain")
		}()
	}
	a, b := <-results, <-results
	if a.code == b.code || (a.code != 0 && b.code != 0) {
		t.Fatalf("want one success and one refusal, got exits %d and %d\n%s\n---\n%s", a.code, b.code, a.stderr, b.stderr)
	}
	lost := a
	if a.code == 0 {
		lost = b
	}
	if lost.code != 7 || !strings.Contains(lost.stderr, "lock") {
		t.Errorf("refused run: exit %d\n%s", lost.code, lost.stderr)
	}
	if n := len(e.sim.Services("demo")); n != 2 {
		t.Errorf("%d services after two concurrent upgrades, want 2", n)
	}
	e.expectService("web", "upgraded", "nginx:1.14")
}

func TestNeverHealthyUpgradeTimesOutWithExit4(t *testing.T) {
	e := deployed(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	e.changeImages("broken", "10")
	r := e.demo("up", "-d", "--upgrade", "--wait-healthy", "--timeout", "3s", "--progress", "plain")
	if r.code != 4 {
		t.Fatalf("exit %d, want 4 (timeout)\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"web", "upgrading", "diagnosis", "initializing", "rollback web"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	e.expectService("db", "upgraded", "postgres:10")
}

func TestNeverHealthyAtomicUpgradeRollsBackAndExits6(t *testing.T) {
	e := deployed(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	e.changeImages("broken", "10")
	r := e.demo("up", "-d", "--upgrade", "--atomic", "--timeout", "3s", "--format", "json")
	if r.code != 6 {
		t.Fatalf("exit %d, want 6 (rolled back)\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, `"rolledBack": true`) {
		t.Errorf("json result does not say rolled back:\n%s", r.stdout)
	}
	e.expectService("web", "active", "nginx:1.13")
	e.expectService("db", "active", "postgres:9")
}

func TestStuckTransitionReachesTimeoutAndNamesTheServices(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("demo/docker-compose.yml", webProject("1.13", "9"))
	e.must(e.demo("create"), "create")
	e.sim.SetFaults(sim.Faults{StuckStates: []string{"activating"}})
	r := e.demo("up", "-d", "--timeout", "2s", "--progress", "plain")
	if r.code != 4 {
		t.Fatalf("exit %d, want 4\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"db", "activating", "up -d"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestInterruptExits130AndSaysWhatToRunNext(t *testing.T) {
	e := deployed(t, sim.Options{Faults: sim.Faults{}})
	e.sim.SetFaults(sim.Faults{StuckStates: []string{"upgrading"}})
	e.changeImages("1.14", "9")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ctx.Err() == nil {
			if ss := e.sim.Services("demo"); len(ss) > 0 {
				for _, s := range ss {
					if s.Name == "web" && s.State == "upgrading" {
						time.Sleep(50 * time.Millisecond)
						cancel()
						return
					}
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	r := e.runIn(ctx, e.dir, "", "-f", e.dir+"/demo/docker-compose.yml", "up", "-d", "--upgrade", "--timeout", "60s", "--progress", "plain")
	cancel()
	if r.code != 130 {
		t.Fatalf("exit %d, want 130\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"web", "upgrading", "rollback web"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestServerErrorsConvergeWithoutDuplicates(t *testing.T) {
	// Seed 189 makes the injection deterministic (the simulator draws once per request while ErrorRate is
	// set): the second request already gets a 503, and none of the first 500 three in a row, so the retries are
	// never exhausted whatever order the requests come in.
	e := newEnv(t, sim.Options{HostLabels: map[string]string{"role": "compute"}, Seed: 189})
	g := []string{"-f", filepath.Join(repoRoot(), "fixtures", "dockercoins", "docker-compose.yml"), "-p", "dockercoins"}
	e.sim.SetFaults(sim.Faults{ErrorRate: 0.2})
	e.must(e.run(append(g, "up", "-d")...), "up -d with 20% 503s")
	e.sim.SetFaults(sim.Faults{})
	names := map[string]int{}
	for _, s := range e.sim.Services("dockercoins") {
		names[s.Name]++
		if s.State != "active" {
			t.Errorf("%s: %s", s.Name, s.State)
		}
	}
	if len(names) != 5 {
		t.Errorf("services: %v", names)
	}
	for n, c := range names {
		if c != 1 {
			t.Errorf("%d services named %s", c, n)
		}
	}
	if st := e.sim.Stats(); st.InjectedErrors == 0 {
		t.Errorf("no error was injected: %+v", st)
	}
	e.requests()
	e.must(e.run(append(g, "up", "-d")...), "second up -d")
	if m := mutationsOf(e.requests()); len(m) != 0 {
		t.Errorf("after converging, a second up is not a no-op: %v", m)
	}
}

func TestNextStepNotesFollowTheWorkAndSkipRolledBackServices(t *testing.T) {
	e := deployed(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	e.changeImages("1.14", "9")
	r := e.must(e.demo("up", "-d", "--upgrade", "--progress", "plain"), "up -d --upgrade")
	work, note := strings.Index(r.stderr, "deploying"), strings.Index(r.stderr, "left upgraded: confirm with `upgrade --confirm web`")
	if work < 0 || note < work {
		t.Errorf("the next-step note is not printed after the work (deploying at %d, note at %d):\n%s", work, note, r.stderr)
	}
	e.must(e.elsewhere("-p", "demo", "upgrade", "--confirm"), "upgrade --confirm")

	e.changeImages("broken", "9")
	r = e.demo("up", "-d", "--upgrade", "--atomic", "--timeout", "3s", "--progress", "plain")
	if r.code != 6 {
		t.Fatalf("exit %d, want 6\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "left upgraded") {
		t.Errorf("a rolled-back service is told to be confirmed:\n%s", r.stderr)
	}
}
