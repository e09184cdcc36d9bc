package rancherengine

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/sim"
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
