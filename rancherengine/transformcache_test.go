package rancherengine

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
	"github.com/rancher-compose-ng/rancher-compose/rancher/transformcache"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

func TestTransformCacheSendsEachPreparedTransformOnceAndEarly(t *testing.T) {
	s, c := startSim(t, sim.Options{})
	ctx := context.Background()
	yml := "version: '2'\nservices:\n  web:\n    image: nginx:1\n    labels:\n      io.rancher.sidekicks: side\n  side:\n    image: busybox\n  db:\n    image: postgres:10\n" +
		"  lb:\n    image: rancher/load-balancer-service\n    links: [web]\n    ports: ['80:80']\n"
	p, _ := loadProject(t, yml)
	transforms := func() int { return s.Stats().Requests }
	base := transforms()
	tr := newTransformCache(c, nil)
	tr.prepare(ctx, p, []string{"web", "db", "lb"})
	for _, name := range []string{"web", "side", "db"} {
		doc, err := launchconfig.NewInspectDocument(p, p.Service(name), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Transform(ctx, doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if got := transforms() - base; got != 3 {
		t.Errorf("%d requests for web, its sidekick and db, prepared then asked for: want 3 (the legacy LB is not prepared: its image comes from a setting)", got)
	}
	doc, _ := launchconfig.NewInspectDocument(p, p.Service("web"), "")
	if _, err := tr.Transform(ctx, doc); err != nil {
		t.Fatal(err)
	}
	if got := transforms() - base; got != 4 {
		t.Errorf("%d requests: a prepared answer must serve one build only, a second build sends its own transform", got)
	}
}

func TestTransformCacheWritesNewAnswersToDiskOnlyAfterTheBuild(t *testing.T) {
	_, c := startSim(t, sim.Options{})
	ctx := context.Background()
	p, dir := loadProject(t, "version: '2'\nservices:\n  web:\n    image: nginx:1\n  db:\n    image: postgres:10\n")
	cacheDir := filepath.Join(dir, "cache")
	disk, err := transformcache.Open(cacheDir, transformcache.Scope{URL: c.TransformURL(), Secret: []byte("k")})
	if err != nil {
		t.Fatal(err)
	}
	entries := func() int { es, _ := os.ReadDir(cacheDir); return len(es) }
	tr := newTransformCache(c, disk)
	tr.prepare(ctx, p, []string{"web", "db"})
	for _, name := range []string{"web", "db"} {
		doc, err := launchconfig.NewInspectDocument(p, p.Service(name), "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Transform(ctx, doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if n := entries(); n != 0 {
		t.Errorf("%d entries on disk while the build runs: want none, the writes wait until it is done", n)
	}
	sent := c.Stats().Requests
	doc, err := launchconfig.NewInspectDocument(p, p.Service("db"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Transform(ctx, doc); err != nil {
		t.Fatal(err)
	}
	if n := c.Stats().Requests - sent; n != 0 {
		t.Errorf("a second build (under the lock) of db before the answers were written to disk sent %d requests, want 0: this run's answer serves it", n)
	}
	tr.saveLater()
	tr.trim()
	if n := entries(); n != 2 {
		t.Errorf("%d entries on disk after the run: want the 2 new answers", n)
	}
}
