package rancher_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// startSim runs the simulator on loopback with short state steps.
func startSim(t *testing.T, opts sim.Options) *sim.Server {
	t.Helper()
	if opts.Step == 0 {
		opts.Step, opts.StepSet = 5*time.Millisecond, true
	}
	s, err := sim.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func simClient(t *testing.T, s *sim.Server, mutate func(*rancher.Config)) *rancher.Client {
	t.Helper()
	cfg := rancher.ConfigFromEnv(func(k string) (string, bool) {
		return map[string]string{rancher.EnvURL: s.URL(), rancher.EnvAccessKey: s.AccessKey(), rancher.EnvSecretKey: s.SecretKey()}[k], true
	})
	cfg.Retry = rancher.RetryPolicy{Attempts: 10, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
	cfg.Poll = rancher.PollPolicy{Min: 2 * time.Millisecond, Max: 20 * time.Millisecond, Factor: 2}
	if mutate != nil {
		mutate(&cfg)
	}
	c, err := rancher.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func newService(stackID, name string) *resources.Service {
	return &resources.Service{Name: name, StackId: stackID, Scale: 1,
		LaunchConfig: &resources.LaunchConfig{ImageUuid: "docker:nginx:1.13", NetworkMode: "managed"}}
}

func TestSimDeployLifecycle(t *testing.T) {
	s := startSim(t, sim.Options{})
	c := simClient(t, s, nil)
	ctx := context.Background()
	if err := c.CheckCanDeploy(ctx); err != nil {
		t.Fatal(err)
	}
	setting, err := c.Settings().Get(ctx, "rancher.compose.version")
	if err != nil || setting.Value == "" {
		t.Fatalf("setting %+v %v", setting, err)
	}
	stack, err := c.Stacks().Create(ctx, &resources.Stack{Name: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	if stack, err = c.Stacks().Wait(ctx, stack); err != nil {
		t.Fatal(err)
	}
	svc, err := c.Services().Create(ctx, newService(stack.Id, "web"))
	if err != nil {
		t.Fatal(err)
	}
	if svc, err = c.Services().Wait(ctx, svc); err != nil || svc.State != "inactive" {
		t.Fatalf("after create: %s %v", svc.State, err)
	}
	if svc, err = c.Services().Action(ctx, svc, "activate", nil); err != nil {
		t.Fatal(err)
	}
	if svc, err = c.Services().Wait(ctx, svc); err != nil || svc.State != "active" {
		t.Fatalf("after activate: %s %v", svc.State, err)
	}
	found, err := c.Services().ByName(ctx, "web", rancher.Filters{"stackId": stack.Id})
	if err != nil || found == nil || found.Id != svc.Id {
		t.Fatalf("ByName: %v %v", found, err)
	}
	ctrs, err := rancher.ListLink[resources.Container](ctx, c, found, "instances", nil)
	if err != nil || len(ctrs) != 1 {
		t.Fatalf("instances: %d %v", len(ctrs), err)
	}
	if svc, err = c.Services().Update(ctx, svc, map[string]any{"scale": 3}); err != nil {
		t.Fatal(err)
	}
	if svc, err = c.Services().Wait(ctx, svc); err != nil || svc.Scale != 3 {
		t.Fatalf("after scale: %+v %v", svc.Scale, err)
	}
	if _, err := c.Services().Action(ctx, svc, "finishupgrade", nil); err == nil {
		t.Error("finishupgrade on an active service must fail client-side")
	}
	if svc, err = c.Services().Delete(ctx, svc); err != nil {
		t.Fatal(err)
	}
	if _, err = c.Services().Wait(ctx, svc); err != nil {
		t.Fatal(err)
	}
	left, err := c.Services().ByName(ctx, "web", rancher.Filters{"stackId": stack.Id})
	if err != nil || left != nil {
		t.Errorf("service still listed after removal: %v %v", left, err)
	}
}

func TestSimFaultyAPINeverDuplicates(t *testing.T) {
	s := startSim(t, sim.Options{Seed: 7, Faults: sim.Faults{ErrorRate: 0.3, DropRate: 0.05}})
	c := simClient(t, s, nil)
	ctx := context.Background()
	stack, err := c.Stacks().Create(ctx, &resources.Stack{Name: "flaky"})
	if err != nil {
		t.Fatal(err)
	}
	const n = 20
	for i := 0; i < n; i++ {
		svc, err := c.Services().Create(ctx, newService(stack.Id, fmt.Sprintf("svc%d", i)))
		if err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
		if _, err := c.Services().Wait(ctx, svc); err != nil {
			t.Fatalf("wait %d: %v", i, err)
		}
	}
	s.SetFaults(sim.Faults{})
	if got := len(s.Services("flaky")); got != n {
		t.Errorf("simulator holds %d services, want %d (a retried create duplicated)", got, n)
	}
	if got := len(s.Stacks()); got != 1 {
		t.Errorf("simulator holds %d stacks, want 1", got)
	}
	st := s.Stats()
	t.Logf("faulty API: %d requests, %d injected errors, client retries %d", st.Requests, st.InjectedErrors, c.Stats().Retries)
	if st.InjectedErrors == 0 {
		t.Error("no fault was injected: the test proves nothing")
	}
}

func TestSimConflictsOnActionsAreRetried(t *testing.T) {
	s := startSim(t, sim.Options{})
	c := simClient(t, s, nil)
	ctx := context.Background()
	stack, _ := c.Stacks().Create(ctx, &resources.Stack{Name: "busy"})
	svc, err := c.Services().Create(ctx, newService(stack.Id, "web"))
	if err != nil {
		t.Fatal(err)
	}
	if svc, err = c.Services().Wait(ctx, svc); err != nil {
		t.Fatal(err)
	}
	s.SetFaults(sim.Faults{ConflictBurst: 3})
	if svc, err = c.Services().Action(ctx, svc, "activate", nil); err != nil {
		t.Fatal(err)
	}
	if svc, err = c.Services().Wait(ctx, svc); err != nil || svc.State != "active" {
		t.Fatalf("%s %v", svc.State, err)
	}
	if got := s.Stats().ByStatus["409"]; got != 3 {
		t.Errorf("409 answers = %d, want 3", got)
	}
}

func TestSimTransitioningErrorFailsTheWait(t *testing.T) {
	s := startSim(t, sim.Options{Faults: sim.Faults{ErrorStates: []string{"activating"}, ErrorMessage: "Failed to allocate instance"}})
	c := simClient(t, s, nil)
	ctx := context.Background()
	stack, _ := c.Stacks().Create(ctx, &resources.Stack{Name: "err"})
	svc, _ := c.Services().Create(ctx, newService(stack.Id, "web"))
	svc, _ = c.Services().Wait(ctx, svc)
	svc, err := c.Services().Action(ctx, svc, "activate", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Services().Wait(ctx, svc)
	var te *rancher.TransitionError
	if !errors.As(err, &te) || !strings.Contains(te.Message, "Failed to allocate instance") {
		t.Fatalf("err = %v", err)
	}
}

func TestSimStuckWaitTimesOut(t *testing.T) {
	s := startSim(t, sim.Options{Faults: sim.Faults{StuckStates: []string{"activating"}}})
	c := simClient(t, s, nil)
	ctx := context.Background()
	stack, _ := c.Stacks().Create(ctx, &resources.Stack{Name: "stuck"})
	svc, _ := c.Services().Create(ctx, newService(stack.Id, "web"))
	svc, _ = c.Services().Wait(ctx, svc)
	svc, err := c.Services().Action(ctx, svc, "activate", nil)
	if err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	_, err = c.Services().Wait(tctx, svc)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), `service "web"`) || !strings.Contains(err.Error(), `"activating"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestSimVerboseNeverShowsTheSecretKey(t *testing.T) {
	s := startSim(t, sim.Options{})
	var out bytes.Buffer
	c := simClient(t, s, func(cfg *rancher.Config) { cfg.Verbose = &out })
	ctx := context.Background()
	stack, err := c.Stacks().Create(ctx, &resources.Stack{Name: "v", Environment: map[string]any{"DB_PASSWORD": "pa55word-xyz"}})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = c.Stacks().Wait(ctx, stack)
	var lc resources.LaunchConfig
	if err := c.Transform(ctx, map[string]any{"Name": "/web", "Config": map[string]any{"Image": "nginx", "Env": []string{"API_TOKEN=tok-abcdef"}}, "HostConfig": map[string]any{}}, &lc); err != nil {
		t.Fatal(err)
	}
	log := out.String()
	for _, secret := range []string{s.SecretKey(), "pa55word-xyz", "tok-abcdef"} {
		if strings.Contains(log, secret) {
			t.Errorf("verbose output shows %q", secret)
		}
	}
	if !strings.Contains(log, "scripts/transform -> 200") {
		t.Errorf("transform not logged:\n%s", log)
	}
}

func TestSimAccountKeyWithEnv(t *testing.T) {
	s := startSim(t, sim.Options{AccountKeys: []sim.AccountKey{{AccessKey: "acct", SecretKey: "acct-secret", Projects: []string{"1a5"}}}})
	noEnv := simClient(t, s, func(cfg *rancher.Config) { cfg.AccessKey, cfg.SecretKey = "acct", "acct-secret" })
	err := noEnv.CheckCanDeploy(context.Background())
	if err == nil || !strings.Contains(err.Error(), "Default (1a5)") {
		t.Fatalf("account key without --env: %v", err)
	}
	c := simClient(t, s, func(cfg *rancher.Config) {
		cfg.AccessKey, cfg.SecretKey, cfg.Environment = "acct", "acct-secret", "Default"
	})
	if err := c.CheckCanDeploy(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stacks().Create(context.Background(), &resources.Stack{Name: "viaenv"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.SchemasURL(), "/v2-beta/projects/1a5/schemas") {
		t.Errorf("schemas URL %s", c.SchemasURL())
	}
	byURL := simClient(t, s, func(cfg *rancher.Config) {
		cfg.AccessKey, cfg.SecretKey, cfg.URL = "acct", "acct-secret", s.URL()+"/v1/projects/1a5"
	})
	if err := byURL.CheckCanDeploy(context.Background()); err != nil {
		t.Errorf("account key with a project URL: %v", err)
	}
}

// TestSimPollingCost deploys one service through create, activate, scale and deactivate on the
// simulator with real 200ms steps, once polling like the original (fixed 150ms) and once with the
// default backoff, and prints the requests each made (run with -v). Every step must succeed; the counts
// are figures, not assertions (they depend on timing; TestPollFigures checks the schedules).
func TestSimPollingCost(t *testing.T) {
	if testing.Short() {
		t.Skip("real-time simulator steps")
	}
	run := func(p rancher.PollPolicy) (rancher.Stats, time.Duration) {
		s := startSim(t, sim.Options{Step: 200 * time.Millisecond})
		c := simClient(t, s, func(cfg *rancher.Config) { cfg.Poll = p })
		ctx := context.Background()
		start := time.Now()
		stack, err := c.Stacks().Create(ctx, &resources.Stack{Name: "poll"})
		must(t, err)
		_, err = c.Stacks().Wait(ctx, stack)
		must(t, err)
		svc, err := c.Services().Create(ctx, newService(stack.Id, "web"))
		must(t, err)
		svc, err = c.Services().Wait(ctx, svc)
		must(t, err)
		svc, err = c.Services().Action(ctx, svc, "activate", nil)
		must(t, err)
		svc, err = c.Services().Wait(ctx, svc)
		must(t, err)
		svc, err = c.Services().Update(ctx, svc, map[string]any{"scale": 3})
		must(t, err)
		svc, err = c.Services().Wait(ctx, svc)
		must(t, err)
		svc, err = c.Services().Action(ctx, svc, "deactivate", nil)
		must(t, err)
		_, err = c.Services().Wait(ctx, svc)
		must(t, err)
		return c.Stats(), time.Since(start)
	}
	orig, origTime := run(rancher.PollPolicy{Min: 150 * time.Millisecond, Max: 150 * time.Millisecond, Factor: 1})
	def, defTime := run(rancher.PollPolicy{})
	t.Logf("fixed 150ms: %d requests (%d polls) in %s; backoff default: %d requests (%d polls) in %s",
		orig.Requests, orig.Polls, origTime.Round(time.Millisecond), def.Requests, def.Polls, defTime.Round(time.Millisecond))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
