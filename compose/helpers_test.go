package compose

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeProject writes files (relative path → content) into a temporary directory and returns it.
func writeProject(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "proj")
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// load writes files and loads them with opts (WorkDir set to the project directory).
func load(t *testing.T, files map[string]string, opts Options) (*Project, error) {
	t.Helper()
	opts.WorkDir = writeProject(t, files)
	return Load(context.Background(), opts)
}

func mustLoad(t *testing.T, files map[string]string, opts Options) *Project {
	t.Helper()
	p, err := load(t, files, opts)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return p
}

// mustFail loads and returns the ConfigError, failing the test if there is none.
func mustFail(t *testing.T, files map[string]string, opts Options) *ConfigError {
	t.Helper()
	_, err := load(t, files, opts)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("want a *ConfigError, got %v", err)
	}
	if ce.ExitCode() != 2 {
		t.Fatalf("exit code %d, want 2", ce.ExitCode())
	}
	return ce
}

// findDiag returns the first diagnostic whose rendering contains every part.
func findDiag(list []Diagnostic, parts ...string) (Diagnostic, bool) {
	for _, d := range list {
		s := d.String()
		ok := true
		for _, p := range parts {
			if !strings.Contains(s, p) {
				ok = false
				break
			}
		}
		if ok {
			return d, true
		}
	}
	return Diagnostic{}, false
}

func requireDiag(t *testing.T, list []Diagnostic, parts ...string) Diagnostic {
	t.Helper()
	d, ok := findDiag(list, parts...)
	if !ok {
		var all []string
		for _, x := range list {
			all = append(all, x.String())
		}
		t.Fatalf("no diagnostic containing %q among:\n%s", parts, strings.Join(all, "\n"))
	}
	return d
}

func svc(t *testing.T, p *Project, name string) *Service {
	t.Helper()
	s := p.Service(name)
	if s == nil {
		t.Fatalf("no service %q (have %v)", name, p.ServiceNames())
	}
	return s
}
