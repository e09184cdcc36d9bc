package rancherengine

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// A device Docker would refuse is found offline, named, and exits 2.
func TestPreflightRefusesAnUnconvertibleServiceWithExit2(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "docker-compose.yml")
	yml := "version: '2'\nservices:\n  web:\n    image: nginx:1\n    devices: [\"/dev/a:/dev/b:rwm:extra\"]\n"
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := compose.Load(context.Background(), compose.Options{Files: []string{file}, ProjectName: "demo", WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	err = Preflight(p, []string{"web"})
	var coder interface{ ExitCode() int }
	if err == nil || !errors.As(err, &coder) || coder.ExitCode() != 2 || !strings.Contains(err.Error(), "invalid device specification") {
		t.Fatalf("Preflight = %v, want exit 2 naming the device", err)
	}
	if err := Preflight(p, nil); err != nil {
		t.Errorf("no service selected: %v", err)
	}
}
