package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// TestBadProjectsExit2BeforeAnyAPICall runs `up -d` on every broken project under fixtures/bad against one
// simulator: each must exit 2 with the expected file:line message (every line of expect.txt; a line starting with ! must not appear), and the
// simulator must have received no mutating request (in fact, no request at all: validation comes first).
func TestBadProjectsExit2BeforeAnyAPICall(t *testing.T) {
	root := filepath.Join(repoRoot(), "fixtures", "bad")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Skipf("no fixtures/bad: %v", err)
	}
	e := newEnv(t, sim.Options{})
	count, passed := 0, 0
	for _, ent := range entries {
		if !ent.IsDir() {
			continue
		}
		count++
		dir := filepath.Join(root, ent.Name())
		ok := t.Run(ent.Name(), func(t *testing.T) { checkBadProject(t, e, dir) })
		if ok {
			passed++
		}
	}
	t.Logf("bad-input suite: %d/%d broken projects exit 2 with their file:line message and no API mutation", passed, count)
	if count < 50 {
		t.Errorf("only %d broken projects under fixtures/bad, want at least 50", count)
	}
	if st := e.sim.Stats(); st.Mutations != 0 || st.Requests != 0 {
		t.Errorf("simulator stats after the bad-input suite: %d requests, %d mutations; want none", st.Requests, st.Mutations)
	}
}

func checkBadProject(t *testing.T, e *env, dir string) {
	expect, err := os.ReadFile(filepath.Join(dir, "expect.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	if a, err := os.ReadFile(filepath.Join(dir, "args.txt")); err == nil {
		args = strings.Fields(string(a))
	}
	before := e.sim.Stats()
	r := e.runIn(t.Context(), dir, "", append(args, "up", "-d")...)
	if r.code != 2 {
		t.Fatalf("exit %d, want 2; err %v\nstderr:\n%s", r.code, r.err, r.stderr)
	}
	for _, want := range strings.Split(strings.TrimSpace(string(expect)), "\n") {
		want = strings.TrimSpace(want)
		if absent, ok := strings.CutPrefix(want, "!"); ok {
			if strings.Contains(r.stderr, absent) {
				t.Errorf("stderr contains %q, which must not be reported:\n%s", absent, r.stderr)
			}
			continue
		}
		if want != "" && !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if after := e.sim.Stats(); after.Mutations != before.Mutations {
		t.Errorf("%d mutating requests reached the simulator", after.Mutations-before.Mutations)
	}
}
