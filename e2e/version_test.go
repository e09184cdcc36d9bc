package e2e

import (
	"debug/buildinfo"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestVersionNamesTheBuild builds the binary as a release would (VCS stamping on, a version set by
// -ldflags) and checks --version names that version and, when the checkout is a git clone, the revision.
func TestVersionNamesTheBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "rancher-compose")
	build := exec.Command("go", "build", "-buildvcs=auto", "-ldflags",
		"-X github.com/rancher-compose-ng/rancher-compose/cmd.Version=v9.8.7-test", "-o", bin, repoRoot())
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(string(out))
	want := "rancher-compose version v9.8.7-test"
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range info.Settings {
		switch {
		case s.Key == "vcs.revision":
			want += " (rev " + s.Value[:7]
		case s.Key == "vcs.modified" && s.Value == "true":
			want += ", dirty"
		}
	}
	if strings.Contains(want, "(rev") {
		want += ")"
	} else {
		t.Logf("no VCS information in this build (not a git clone, or a git worktree): checking the version only")
	}
	if got != want {
		t.Errorf("--version printed %q, want %q", got, want)
	}
}
