package e2e

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
)

// corpusDir is a folder of the original's test assets in ../shared/corpus/rancher-compose-assets (override
// the corpus root with CORPUS_DIR); the test is skipped when the shared folder is absent.
func corpusDir(t *testing.T, rel string) string {
	t.Helper()
	root := os.Getenv("CORPUS_DIR")
	if root == "" {
		root = filepath.Join(repoRoot(), "..", "shared", "corpus")
	}
	dir := filepath.Join(root, "rancher-compose-assets", rel)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("original assets not available: %v", err)
	}
	return dir
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// createStackNamed creates a stack directly through the API, as the original's tests pre-created some.
func createStackNamed(t *testing.T, e *env, name string) {
	t.Helper()
	c, err := rancher.New(context.Background(), rancher.Config{URL: e.sim.URL(), AccessKey: e.sim.AccessKey(), SecretKey: e.sim.SecretKey()})
	if err != nil {
		t.Fatal(err)
	}
	st, err := c.Stacks().Create(context.Background(), map[string]any{"name": name})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Stacks().Wait(context.Background(), st); err != nil {
		t.Fatal(err)
	}
}
