package swarm

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/swarm/swarmtest"
)

const fakeCompose = `version: '2'
services:
  web:
    image: app:${TAG}
    links: ["db:database"]
  db:
    image: app:${TAG}
  worker:
    image: worker:1
`

const fakeRancher = `version: '2'
services:
  web:
    scale: 2
    health_check: {port: 8080, request_line: GET /healthz HTTP/1.0}
    upgrade_strategy: {start_first: true, batch_size: 1, interval_millis: 100}
  db:
    scale: 1
`

// fakeStack deploys fakeCompose to a fake engine through the real client, plan and executor.
type fakeStack struct {
	t   *testing.T
	f   *swarmtest.Engine
	c   *Client
	rec *progress.Recorder
}

func newFakeStack(t *testing.T) *fakeStack {
	f := swarmtest.New(t)
	c, err := Connect(context.Background(), Endpoint{Host: f.Host()})
	if err != nil {
		t.Fatal(err)
	}
	return &fakeStack{t: t, f: f, c: c, rec: &progress.Recorder{}}
}

func (s *fakeStack) executor() *Executor {
	return &Executor{Client: s.c, Progress: progress.Emitter{Sink: s.rec}, Poll: time.Millisecond}
}

func (s *fakeStack) plan(tag string, o UpOptions) *Plan {
	s.t.Helper()
	d, err := Map(loadProject(s.t, fakeCompose, fakeRancher, "TAG="+tag), MapOptions{ProbePath: probeOpts})
	if err != nil {
		s.t.Fatal(err)
	}
	obs, err := Observe(context.Background(), s.c, "demo")
	if err != nil {
		s.t.Fatal(err)
	}
	p, err := PlanUp(d, obs, o)
	if err != nil {
		s.t.Fatal(err)
	}
	return p
}

func (s *fakeStack) up(tag string, o UpOptions) (*Result, error) {
	s.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return s.executor().Execute(ctx, s.plan(tag, o))
}

func (s *fakeStack) run(planner func(Observed) (*Plan, error)) (*Result, error) {
	s.t.Helper()
	obs, err := Observe(context.Background(), s.c, "demo")
	if err != nil {
		s.t.Fatal(err)
	}
	p, err := planner(obs)
	if err != nil {
		s.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return s.executor().Execute(ctx, p)
}

func (s *fakeStack) image(name string) string { return imageOf(s.f.Service("demo", name).Spec) }

func (s *fakeStack) state(name string) string {
	return s.f.Service("demo", name).Spec.Labels[LabelState]
}

func TestConnectNegotiatesTheAPIVersion(t *testing.T) {
	for _, tc := range []struct {
		daemon, want string
		refused      bool
	}{{"1.41", "1.41", false}, {"1.45", "1.41", false}, {"1.40", "1.40", false}, {"1.39", "", true}} {
		f := swarmtest.New(t)
		f.APIVersion = tc.daemon
		c, err := Connect(context.Background(), Endpoint{Host: f.Host()})
		if tc.refused {
			var ue *UnreachableError
			if !errors.As(err, &ue) || ue.ExitCode() != 5 || !strings.Contains(err.Error(), "1.40") {
				t.Errorf("daemon %s: want a refusal naming 1.40 (exit 5), got %v", tc.daemon, err)
			}
			continue
		}
		if err != nil || c.API != tc.want {
			t.Errorf("daemon %s: api %q err %v, want %s", tc.daemon, c.API, err, tc.want)
			continue
		}
		if _, err := c.Services(context.Background()); err != nil {
			t.Errorf("daemon %s: requests must use /v%s: %v", tc.daemon, tc.want, err)
		}
	}
	if _, err := Connect(context.Background(), Endpoint{Host: "ftp://x"}); err == nil || exitCodeOf(err) != 2 {
		t.Errorf("bad DOCKER_HOST: %v", err)
	}
	if _, err := Connect(context.Background(), Endpoint{Host: "unix:///nonexistent/docker.sock"}); exitCodeOf(err) != 5 {
		t.Errorf("missing socket: want exit 5, got %v", err)
	}
	ep := EndpointFromEnv(func(k string) string {
		return map[string]string{"DOCKER_HOST": "tcp://10.0.0.1:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/certs"}[k]
	})
	if ep != (Endpoint{Host: "tcp://10.0.0.1:2376", TLSVerify: true, CertPath: "/certs"}) {
		t.Errorf("EndpointFromEnv = %+v", ep)
	}
	if _, err := Connect(context.Background(), ep); err == nil || exitCodeOf(err) != 2 || !strings.Contains(err.Error(), "ca.pem") {
		t.Errorf("TLS without certificates should be a usage error naming ca.pem: %v", err)
	}
}

func TestFakeCreateThenNoOpChangesNothing(t *testing.T) {
	s := newFakeStack(t)
	res, err := s.up("v1", UpOptions{})
	if err != nil || !res.Changed {
		t.Fatalf("first up: %v", err)
	}
	if s.state("web") != StateConfirmed || s.image("web") != "app:v1" {
		t.Errorf("created web: state %q image %q", s.state("web"), s.image("web"))
	}
	if n := len(s.f.Tasks[s.f.Service("demo", "web").ID]); n != 2 {
		t.Errorf("web has %d tasks, want 2", n)
	}
	before := s.f.WriteCount()
	p := s.plan("v1", UpOptions{})
	for _, sp := range p.Services {
		if sp.Action() != StepUnchanged {
			t.Errorf("%s: %s on a no-op up", sp.Name, sp.Action())
		}
	}
	res, err = s.up("v1", UpOptions{})
	if err != nil || res.Changed {
		t.Fatalf("second up: changed=%v err=%v", res.Changed, err)
	}
	if w := s.f.WritesSince(before); len(w) != 0 {
		t.Errorf("a no-op up sent %v", w)
	}
}

func TestFakeChangedServiceNeedsUpgrade(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	p := s.plan("v2", UpOptions{})
	web := p.Services[0]
	for _, sp := range p.Services {
		if sp.Name == "web" {
			web = sp
		}
	}
	if web.Action() != StepOutOfSync || !containsLine(web.Diff, "TaskTemplate.ContainerSpec.Image: \"app:v1\" → \"app:v2\"") {
		t.Errorf("web without --upgrade: %s, diff %v", web.Action(), web.Diff)
	}
	before := s.f.WriteCount()
	if _, err := s.up("v2", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if w := s.f.WritesSince(before); len(w) != 0 {
		t.Errorf("out of sync without --upgrade must not change anything: %v", w)
	}
	if !recorded(s.rec, "web", progress.Warning, "Out of sync") {
		t.Error("no out-of-sync warning")
	}
}

func TestFakeUpgradeConfirmAndRollbackUseOurRecords(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.up("v2", UpOptions{Upgrade: true}); err != nil {
		t.Fatal(err)
	}
	if s.image("web") != "app:v2" || s.state("web") != StatePending {
		t.Fatalf("after upgrade: %s %s", s.image("web"), s.state("web"))
	}
	rec, _, _ := ReadRecord(s.f.Service("demo", "web").Spec)
	if rec.Confirmed == nil || imageOf(*rec.Confirmed) != "app:v1" {
		t.Fatalf("the confirmed record should still be v1: %+v", rec)
	}
	if s.image("worker") != "worker:1" || s.f.Service("demo", "worker").Version.Index != 1 {
		t.Error("an unchanged service was touched by the upgrade")
	}
	// confirm: a label-only update, no new tasks
	tasks := len(s.f.Tasks[s.f.Service("demo", "web").ID])
	if _, err := s.run(func(o Observed) (*Plan, error) { return PlanConfirm("demo", o, nil) }); err != nil {
		t.Fatal(err)
	}
	if s.state("web") != StateConfirmed || len(s.f.Tasks[s.f.Service("demo", "web").ID]) != tasks {
		t.Errorf("confirm: state %q, tasks %d → %d", s.state("web"), tasks, len(s.f.Tasks[s.f.Service("demo", "web").ID]))
	}
	// a failed v3 (paused by Swarm), then a scale: Swarm's PreviousSpec is now the failed v3 spec
	s.f.Failing["app:v3"] = true
	_, err := s.up("v3", UpOptions{Upgrade: true, WaitHealthy: true})
	var he *HealthError
	if !errors.As(err, &he) || exitCodeOf(err) != 4 || he.Service != "web" && he.Service != "db" {
		t.Fatalf("v3: want a health failure (exit 4), got %v", err)
	}
	if !strings.Contains(err.Error(), "500 Internal Server Error") {
		t.Errorf("the failure should carry the last health output: %v", err)
	}
	s.f.Mu.Lock()
	svc := s.f.Find("demo_web")
	n := uint64(3)
	svc.Spec.Mode.Replicated.Replicas = &n
	prev := svc.Spec
	svc.PreviousSpec = &prev
	s.f.Mu.Unlock()
	if p := s.f.Service("demo", "web").PreviousSpec; imageOf(*p) != "app:v3" {
		t.Fatalf("setup: PreviousSpec should hold the failed spec, got %s", imageOf(*p))
	}
	res, err := s.run(func(o Observed) (*Plan, error) { return PlanRollback("demo", o, nil) })
	if err != nil {
		t.Fatal(err)
	}
	if s.image("web") != "app:v2" || s.image("db") != "app:v2" || s.state("web") != StateConfirmed {
		t.Errorf("rollback should restore the last confirmed v2, got web %s db %s (%s)", s.image("web"), s.image("db"), s.state("web"))
	}
	if currentReplicas(s.f.Service("demo", "web")) != 3 {
		t.Error("rollback should keep the current scale")
	}
	if r := res.Service("worker"); r == nil || r.Changed || r.Action != string(StepUnchanged) {
		t.Errorf("worker was at its confirmed version: %+v", r)
	}
}

func TestFakeRollbackAfterSwarmsOwnRollback(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.up("v2", UpOptions{Upgrade: true}); err != nil {
		t.Fatal(err)
	}
	// Swarm rolled a later update back by itself: the pending v2 spec is back and PreviousSpec is empty.
	s.f.Mu.Lock()
	s.f.Find("demo_web").PreviousSpec = nil
	s.f.Mu.Unlock()
	if _, err := s.run(func(o Observed) (*Plan, error) { return PlanRollback("demo", o, []string{"web"}) }); err != nil {
		t.Fatal(err)
	}
	if s.image("web") != "app:v1" || s.state("web") != StateConfirmed {
		t.Errorf("rollback without PreviousSpec: web %s (%s), want the confirmed v1", s.image("web"), s.state("web"))
	}
	if s.image("db") != "app:v2" {
		t.Error("rollback of web only touched db")
	}
}

func TestFakeAtomicRollsEveryUpgradedServiceBack(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	s.f.Failing["app:v3"], s.f.Only = true, "demo_web" // web fails, db's upgrade succeeds
	_, err := s.up("v3", UpOptions{Upgrade: true, Atomic: true})
	var ae *AtomicError
	if !errors.As(err, &ae) || exitCodeOf(err) != 6 || len(ae.RolledBack) != 2 {
		t.Fatalf("want an atomic failure rolling back web and db, exit 6: %v", err)
	}
	for _, n := range []string{"web", "db"} {
		if s.image(n) != "app:v1" || s.state(n) != StateConfirmed {
			t.Errorf("%s after atomic failure: %s (%s), want the confirmed v1", n, s.image(n), s.state(n))
		}
	}
	if !strings.Contains(err.Error(), "web") {
		t.Errorf("the error should name web: %v", err)
	}
	// all succeed: confirmed together
	if _, err := s.up("v2", UpOptions{Upgrade: true, Atomic: true}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"web", "db"} {
		if s.image(n) != "app:v2" || s.state(n) != StateConfirmed {
			t.Errorf("%s after atomic success: %s (%s)", n, s.image(n), s.state(n))
		}
	}
}

func TestFakeScaleAndApplyScale(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.run(func(o Observed) (*Plan, error) { return PlanScale("demo", o, map[string]int64{"web": 4}) }); err != nil {
		t.Fatal(err)
	}
	if n := currentReplicas(s.f.Service("demo", "web")); n != 4 || s.f.Service("demo", "web").Spec.Labels[LabelHash] == "" {
		t.Errorf("scale: %d replicas, records kept: %v", n, s.f.Service("demo", "web").Spec.Labels[LabelHash] != "")
	}
	if p := s.plan("v1", UpOptions{}); p.Services[0].Action() != StepUnchanged {
		t.Errorf("a scale difference alone is not a change without --apply-scale: %s", p.Services[0].Action())
	}
	if _, err := s.up("v1", UpOptions{ApplyScale: true}); err != nil {
		t.Fatal(err)
	}
	if n := currentReplicas(s.f.Service("demo", "web")); n != 2 {
		t.Errorf("--apply-scale: %d replicas, want the files' 2", n)
	}
	obs, _ := Observe(context.Background(), s.c, "demo")
	var nf *NotFoundError
	if _, err := PlanScale("demo", obs, map[string]int64{"nope": 1}); !errors.As(err, &nf) {
		t.Errorf("scaling an unknown service should fail naming it: %v", err)
	}
}

func TestFakeRemoveLeavesNothing(t *testing.T) {
	s := newFakeStack(t)
	if _, err := s.up("v1", UpOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.run(func(o Observed) (*Plan, error) { return PlanRemove("demo", o, nil) }); err != nil {
		t.Fatal(err)
	}
	if len(s.f.Services) != 0 || len(s.f.Networks) != 0 {
		t.Errorf("rm left %d services, %d networks", len(s.f.Services), len(s.f.Networks))
	}
}

func TestFakeDroppedFieldsDoNotCausePerpetualUpgrades(t *testing.T) {
	s := newFakeStack(t)
	d, err := Map(loadProject(t, "version: '2'\nservices:\n  web: {image: web:1, oom_score_adj: 10}\n", ""), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d.Service("web").Spec.TaskTemplate.ContainerSpec.OomScoreAdj = 10 // as if a newer mapping sent it
	run := func() *Plan {
		obs, _ := Observe(context.Background(), s.c, "demo")
		p, err := PlanUp(d, obs, UpOptions{Upgrade: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.executor().Execute(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run()
	if s.f.Service("demo", "web").Spec.TaskTemplate.ContainerSpec.OomScoreAdj != 0 {
		t.Fatal("setup: the fake should drop OomScoreAdj as a 1.41 daemon does")
	}
	if p := run(); p.Services[0].Action() != StepUnchanged {
		t.Errorf("the daemon dropping a field made the next up %s: compare our recorded hash, not the daemon's spec", p.Services[0].Action())
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

func recorded(r *progress.Recorder, resource string, st progress.Status, text string) bool {
	for _, e := range r.Events() {
		if e.Resource == resource && e.Status == st && strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

func TestDryRunDiffsHideSecrets(t *testing.T) {
	s := newFakeStack(t)
	const c = "version: '2'\nservices:\n  web:\n    image: app:v1\n    environment: {DB_PASSWORD: '${DB_PASSWORD}', MODE: '${MODE}'}\n    command: ['serve', '--token=${API_TOKEN}']\n"
	plan := func(show bool, env ...string) *Plan {
		d, err := Map(loadProject(t, c, "", env...), MapOptions{})
		if err != nil {
			t.Fatal(err)
		}
		obs, _ := Observe(context.Background(), s.c, "demo")
		p, err := PlanUp(d, obs, UpOptions{Upgrade: true, ShowSecrets: show})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if _, err := s.executor().Execute(context.Background(), plan(false, "DB_PASSWORD=hunter2", "MODE=a", "API_TOKEN=tok-111")); err != nil {
		t.Fatal(err)
	}
	p := plan(false, "DB_PASSWORD=s3cr3t-new", "MODE=b", "API_TOKEN=tok-222")
	text := p.String()
	raw, _ := json.Marshal(p)
	for _, leak := range []string{"hunter2", "s3cr3t-new", "tok-111", "tok-222", `\"a\"`, `\"b\"`} {
		if strings.Contains(text, leak) || strings.Contains(string(raw), leak) {
			t.Errorf("the dry run shows %q:\n%s", leak, text)
		}
	}
	for _, want := range []string{"Env.DB_PASSWORD: changed (value hidden)", "Env.MODE: changed (value hidden)", "Args[1]: changed (value hidden)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the dry run should say %q:\n%s", want, text)
		}
	}
	if shown := plan(true, "DB_PASSWORD=s3cr3t-new", "MODE=b", "API_TOKEN=tok-222").String(); !strings.Contains(shown, "s3cr3t-new") {
		t.Errorf("--show-secrets should show the values:\n%s", shown)
	}
}
