package simtest

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// resolver answers the builder's lookups through the client.
type resolver struct {
	c     *rancher.Client
	stack *resources.Stack
}

func (r resolver) Setting(ctx context.Context, name string) (string, error) {
	s, err := r.c.Settings().Get(ctx, name)
	if err != nil {
		return "", err
	}
	return s.Value, nil
}

func (r resolver) ServiceID(ctx context.Context, name string) (string, error) {
	s, err := r.c.Services().ByName(ctx, name, rancher.Filters{"stackId": r.stack.Id})
	if err != nil || s == nil {
		return "", err
	}
	return s.Id, nil
}

func (r resolver) CertificateID(ctx context.Context, name string) (string, error) {
	return "", fmt.Errorf("no certificate %s", name)
}

// desiredDockercoins loads fixtures/dockercoins with TAG=tag and builds every service through the
// simulator's transform, as `up` will.
func (e *env) desiredDockercoins(tag string) []*upgrade.Desired {
	e.t.Helper()
	ctx := context.Background()
	dir := filepath.Join("..", "..", "fixtures", "dockercoins")
	proj, err := compose.Load(ctx, compose.Options{Files: []string{filepath.Join(dir, "docker-compose.yml")}, ProjectName: "demo", WorkDir: dir, Environ: []string{"TAG=" + tag}})
	if err != nil {
		e.t.Fatal(err)
	}
	c := e.api.Client
	b := &launchconfig.Builder{Project: proj, StackID: e.stack.Id, Resolver: resolver{c: c, stack: e.stack},
		Transformer: launchconfig.TransformFunc(func(ctx context.Context, doc *launchconfig.InspectDocument) (json.RawMessage, error) {
			var out json.RawMessage
			err := c.Transform(ctx, doc, &out)
			return out, err
		})}
	var out []*upgrade.Desired
	for _, s := range proj.Primaries() {
		built, err := b.Build(ctx, s.Name)
		if err != nil {
			e.t.Fatal(err)
		}
		d, err := upgrade.DesiredFrom(proj, s, built)
		if err != nil {
			e.t.Fatal(err)
		}
		out = append(out, d)
	}
	return out
}

func TestDockercoinsDeploysRerunsAsANoOpAndUpgrades(t *testing.T) {
	e := start(t, sim.Options{HostLabels: map[string]string{"role": "compute"}})
	e.mustUp(e.desiredDockercoins("v0.1"), upgrade.Options{})
	for _, n := range []string{"rng", "hasher", "worker", "webui", "redis"} {
		if s := e.svc(n); s.State != "active" {
			t.Errorf("%s is %s", n, s.State)
		}
	}
	if s := e.svc("rng"); s.Scale != 2 {
		t.Errorf("rng scale %d, want 2 from rancher-compose.yml", s.Scale)
	}

	before := e.sim.Stats().Mutations
	again := e.mustUp(e.desiredDockercoins("v0.1"), upgrade.Options{Upgrade: true})
	for _, s := range again.Services {
		if s.Changed {
			t.Errorf("rerun changed %s: %v", s.Name, s.Done)
		}
	}
	t.Logf("mutating requests of the rerun (setservicelinks only): %d", e.sim.Stats().Mutations-before)

	plan := upgrade.Reconcile(e.desiredDockercoins("v0.2"), e.observe(), upgrade.Options{Upgrade: true, ConfirmUpgrade: true})
	t.Logf("plan of the v0.2 upgrade (--dry-run):\n%s", plan)
	for _, sp := range plan.Services {
		want := "upgrade"
		if sp.Name == "redis" {
			want = "unchanged"
		}
		if sp.Action != want {
			t.Errorf("%s planned %s, want %s:\n%s", sp.Name, sp.Action, want, plan)
		}
	}
	e.mustUp(e.desiredDockercoins("v0.2"), upgrade.Options{Upgrade: true, ConfirmUpgrade: true})
	e.expect("worker", "active", "dockercoins/worker:v0.2")
	e.expect("rng", "active", "dockercoins/rng:v0.2")
}

func (e *env) observe() *upgrade.Observed {
	e.t.Helper()
	obs, err := e.api.Observe(context.Background(), e.stack, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return obs
}
