package rancherengine

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// startSim starts a simulator with opts, closed at the test's end, and a client of it.
func startSim(t *testing.T, opts sim.Options) (*sim.Server, *rancher.Client) {
	t.Helper()
	s, err := sim.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	c, err := rancher.New(context.Background(), rancher.Config{URL: s.URL(), AccessKey: s.AccessKey(), SecretKey: s.SecretKey()})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// loadProject loads yml as project "demo" from a docker-compose.yml in a new directory, which it returns too.
func loadProject(t *testing.T, yml string) (*compose.Project, string) {
	t.Helper()
	dir := t.TempDir()
	file := filepath.Join(dir, "docker-compose.yml")
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := compose.Load(context.Background(), compose.Options{Files: []string{file}, ProjectName: "demo", WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return p, dir
}

// deployNewStack deploys the named services of yml, as the new stack "demo" of a simulator of its own with
// step times, through a client whose requests go through rt; the deploy lock is owner's.
func deployNewStack(t *testing.T, rt http.RoundTripper, owner, yml string, names []string) error {
	t.Helper()
	s, err := sim.Start(sim.Options{StepSet: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	c, err := rancher.New(context.Background(), rancher.Config{URL: s.URL(), AccessKey: s.AccessKey(), SecretKey: s.SecretKey(), Transport: rt})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := loadProject(t, yml)
	api := upgrade.NewRancherAPI(c)
	sess := &Session{Client: c, API: api, Health: &healthcheck.Waiter{Reader: api, Logs: api}, Now: time.Now,
		LockOwner: owner, LockTTL: time.Minute, BreakCommand: func(context.Context, string) string { return "" },
		CleanupContext: func(ctx context.Context) (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		}}
	_, err = sess.Deploy(context.Background(), p, names, DeployRequest{})
	return err
}
