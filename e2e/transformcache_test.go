package e2e

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

const cachedPassword = "Tr4nsf0rm-cache-pa55word"

// cachedProject has three launch configs (web, its sidekick, db); db's environment holds a password.
func cachedProject(webImage, dbPassword string) string {
	return "version: '2'\nservices:\n" +
		"  web:\n    image: " + webImage + "\n    labels:\n      io.rancher.sidekicks: side\n" +
		"  side:\n    image: busybox:1\n" +
		"  db:\n    image: postgres:10\n    environment:\n      POSTGRES_PASSWORD: " + dbPassword + "\n"
}

// transformsSent counts the POST scripts/transform in the simulator's log since the last read.
func (e *env) transformsSent() int {
	n := 0
	for _, l := range e.requests() {
		if strings.Contains(l, "/scripts/transform") {
			n++
		}
	}
	return n
}

// upAndCount runs up -d --upgrade (which would upgrade any service whose hash came out different) and
// returns the transforms and writes it sent.
func (e *env) upAndCount(what string, args ...string) (transforms, writes int) {
	e.t.Helper()
	e.requests()
	before := e.sim.Stats().Mutations
	e.must(e.run(append(args, "-p", "cached", "up", "-d", "--upgrade")...), what)
	return e.transformsSent(), e.sim.Stats().Mutations - before
}

func newCachedEnv(t *testing.T, opts sim.Options) (*env, string) {
	e := newEnv(t, opts)
	cache := t.TempDir()
	e.env["XDG_CACHE_HOME"] = cache
	return e, filepath.Join(cache, "rancher-compose", "transform")
}

// A second run of an unchanged project answers every transform from the cache: it sends none, and the
// hashes come out the same (up --upgrade finds nothing to upgrade).
func TestSecondRunSendsNoTransform(t *testing.T) {
	e, dir := newCachedEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", cachedProject("nginx:1", cachedPassword))
	if tr, _ := e.upAndCount("first up"); tr != 3 {
		t.Errorf("first up: %d transforms, want 3 (web, side, db)", tr)
	}
	if tr, w := e.upAndCount("second up"); tr != 0 || w != 0 {
		t.Errorf("second up: %d transforms and %d writes, want none", tr, w)
	}
	e.writeFile("docker-compose.yml", cachedProject("nginx:2", cachedPassword))
	if tr, _ := e.upAndCount("up with web's image changed"); tr != 1 {
		t.Errorf("web's image changed: %d transforms, want 1 (web's)", tr)
	}
	if web := e.service("cached", "web"); !strings.Contains(web.Image, "nginx:2") {
		t.Errorf("web not upgraded to nginx:2: %+v", web)
	}
	e.writeFile("docker-compose.yml", cachedProject("nginx:2", cachedPassword+"-rotated"))
	if tr, _ := e.upAndCount("up with db's password changed"); tr != 1 {
		t.Errorf("db's environment changed: %d transforms, want 1 (db's)", tr)
	}
	if tr, w := e.upAndCount("up again"); tr != 0 || w != 0 {
		t.Errorf("up again: %d transforms and %d writes, want none", tr, w)
	}
	assertNoClearText(t, dir, cachedPassword)
}

// assertNoClearText reads every byte of the cache and fails if the secret value is among them.
func assertNoClearText(t *testing.T, dir, secret string) {
	t.Helper()
	files, err := os.ReadDir(dir)
	if err != nil || len(files) == 0 {
		t.Fatalf("cache %s: %d files, %v", dir, len(files), err)
	}
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("cache file %s holds the password in clear", f.Name())
		}
	}
}

// Turned off by flag or environment, or with corrupt entries, every transform is sent, and the result is
// the same; the entries are rewritten.
func TestTransformCacheOffOrCorruptSendsEveryTransform(t *testing.T) {
	e, dir := newCachedEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", cachedProject("nginx:1", cachedPassword))
	e.upAndCount("first up")
	if tr, w := e.upAndCount("up --no-transform-cache", "--no-transform-cache"); tr != 3 || w != 0 {
		t.Errorf("--no-transform-cache: %d transforms and %d writes, want 3 and none", tr, w)
	}
	e.env[cmd.EnvTransformCache] = "off"
	if tr, _ := e.upAndCount("up with the cache off"); tr != 3 {
		t.Errorf("%s=off: %d transforms, want 3", cmd.EnvTransformCache, tr)
	}
	e.env[cmd.EnvTransformCache] = "sometimes"
	if r := e.run("-p", "cached", "up", "-d"); r.code != cmd.ExitUsage || !strings.Contains(r.stderr, cmd.EnvTransformCache) {
		t.Errorf("%s=sometimes: exit %d\n%s", cmd.EnvTransformCache, r.code, r.stderr)
	}
	delete(e.env, cmd.EnvTransformCache)
	files, _ := os.ReadDir(dir)
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.Name()), []byte("not an entry"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if tr, w := e.upAndCount("up with corrupt entries"); tr != 3 || w != 0 {
		t.Errorf("corrupt entries: %d transforms and %d writes, want 3 and none", tr, w)
	}
	if tr, _ := e.upAndCount("up after the entries were rewritten"); tr != 0 {
		t.Errorf("after rewriting: %d transforms, want 0", tr)
	}
}

// Another server (here the same keys at another URL) never gets this one's answers; neither does a run
// without HOME or a cache directory, which keeps none.
func TestAnotherServerMissesTheCache(t *testing.T) {
	keys := sim.Options{AccessKey: "CACHEKEY", SecretKey: "cache-secret-key-value"}
	e, dir := newCachedEnv(t, keys)
	e.writeFile("docker-compose.yml", cachedProject("nginx:1", cachedPassword))
	e.upAndCount("first up")
	other := newEnv(t, keys)
	other.env["XDG_CACHE_HOME"] = e.env["XDG_CACHE_HOME"]
	other.writeFile("docker-compose.yml", cachedProject("nginx:1", cachedPassword))
	if tr, _ := other.upAndCount("up on another server"); tr != 3 {
		t.Errorf("another server: %d transforms, want 3", tr)
	}
	if tr, _ := other.upAndCount("up again there"); tr != 0 {
		t.Errorf("another server, second run: %d transforms, want 0", tr)
	}
	if files, _ := os.ReadDir(dir); len(files) != 6 {
		t.Errorf("%d entries for two servers' three launch configs, want 6", len(files))
	}
	delete(other.env, "XDG_CACHE_HOME")
	if tr, _ := other.upAndCount("up without a cache directory"); tr != 3 {
		t.Errorf("no HOME, no XDG_CACHE_HOME: %d transforms, want 3", tr)
	}
}
