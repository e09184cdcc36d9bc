package simtest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// env is one simulator, a real client on it, and a stack.
type env struct {
	t     testing.TB
	sim   *sim.Server
	api   *upgrade.RancherAPI
	stack *resources.Stack
	// defaultPolling waits with the production backoff instead of the fast one tests use.
	defaultPolling bool
}

// start runs a simulator on the fast clock (unless realClock), a client on it, and creates stack demo.
func start(t testing.TB, opts sim.Options, realClock ...bool) *env {
	t.Helper()
	if len(realClock) == 0 || !realClock[0] {
		opts.Clock = sim.FastClock
		if opts.Step == 0 {
			opts.Step = time.Second
		}
	}
	s, err := sim.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	cfg := rancher.Config{URL: s.URL(), AccessKey: s.AccessKey(), SecretKey: s.SecretKey(),
		Poll:  rancher.PollPolicy{Min: 5 * time.Millisecond, Max: 50 * time.Millisecond, Factor: 2},
		Retry: rancher.RetryPolicy{Attempts: 8, MinBackoff: 5 * time.Millisecond, MaxBackoff: 50 * time.Millisecond}}
	c, err := rancher.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Stacks().Create(context.Background(), map[string]any{"name": "demo"})
	if err != nil {
		t.Fatal(err)
	}
	if st, err = c.Stacks().Wait(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	api := upgrade.NewRancherAPI(c)
	api.LogLines = upgrade.LogTail(c, 300*time.Millisecond)
	return &env{t: t, sim: s, api: api, stack: st}
}

// service builds a desired plain service. The digests stand for the real ones: they change with the image.
func (e *env) service(name, image string, scale int64, health bool) *upgrade.Desired {
	lc := map[string]any{"imageUuid": "docker:" + image, "networkMode": "managed",
		"labels": map[string]any{upgrade.HashKey: "lc-" + image}}
	if health {
		lc["healthCheck"] = map[string]any{"port": 80, "interval": 2000, "responseTimeout": 2000,
			"healthyThreshold": 2, "unhealthyThreshold": 3, "requestLine": "GET / HTTP/1.0"}
	}
	meta := map[string]any{upgrade.HashKey: "svc-" + name}
	return &upgrade.Desired{
		Name: name, Kind: upgrade.KindService, ManagesLinks: true, Scale: scale,
		Digests: upgrade.Digests{Service: "svc-" + name, Primary: "lc-" + image},
		Images:  []string{image},
		CreateBody: map[string]any{"name": name, "stackId": e.stack.Id, "scale": scale, "metadata": meta,
			"launchConfig": lc, "links": nil, "actions": nil},
		ServiceBody:  map[string]any{"name": name, "metadata": meta},
		LaunchConfig: lc,
	}
}

// up observes the stack, plans and executes, like `up -d` with opts.
func (e *env) up(ctx context.Context, desired []*upgrade.Desired, opts upgrade.Options, timeout time.Duration) (*upgrade.Plan, *upgrade.Result, error) {
	e.t.Helper()
	obs, err := e.api.Observe(context.Background(), e.stack, desired)
	if err != nil {
		e.t.Fatal(err)
	}
	plan := upgrade.Reconcile(desired, obs, opts)
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	health := &healthcheck.Waiter{Reader: e.api, Logs: e.api, LogLines: 5, Backoff: healthcheck.Backoff{Initial: 5 * time.Millisecond, Max: 50 * time.Millisecond, Factor: 2}}
	if e.defaultPolling {
		health.Backoff = healthcheck.DefaultBackoff
	}
	res, err := upgrade.Execute(ctx, plan, e.api, progress.Emitter{Sink: progress.Discard}, upgrade.WithHealth(health), upgrade.WithCleanupTimeout(20*time.Second))
	return plan, res, err
}

func (e *env) mustUp(desired []*upgrade.Desired, opts upgrade.Options) *upgrade.Result {
	e.t.Helper()
	_, res, err := e.up(context.Background(), desired, opts, time.Minute)
	if err != nil {
		e.t.Fatalf("up %+v: %v", opts, err)
	}
	return res
}

func (e *env) svc(name string) sim.ServiceInfo {
	e.t.Helper()
	var found []sim.ServiceInfo
	for _, s := range e.sim.Services("demo") {
		if s.Name == name {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		e.t.Fatalf("%d services named %s: %+v", len(found), name, found)
	}
	return found[0]
}

func (e *env) expect(name, state, image string) {
	e.t.Helper()
	s := e.svc(name)
	if s.State != state || s.Image != "docker:"+image {
		e.t.Errorf("%s: state %s image %s, want %s docker:%s", name, s.State, s.Image, state, image)
	}
}

// firstAt is when a container first entered state (zero when never).
func firstAt(c sim.ContainerInfo, state string) time.Time {
	for _, h := range c.History {
		if h.State == state {
			return h.At
		}
	}
	return time.Time{}
}

func describe(cs []sim.ContainerInfo) string {
	out := ""
	for _, c := range cs {
		out += fmt.Sprintf("\n  %s %s %s managed=%v %v", c.Name, c.Image, c.State, c.Managed, c.History)
	}
	return out
}
