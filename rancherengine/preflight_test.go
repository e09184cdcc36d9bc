package rancherengine

import (
	"errors"
	"strings"
	"testing"
)

// A device Docker would refuse is found offline, named, and exits 2.
func TestPreflightRefusesAnUnconvertibleServiceWithExit2(t *testing.T) {
	yml := "version: '2'\nservices:\n  web:\n    image: nginx:1\n    devices: [\"/dev/a:/dev/b:rwm:extra\"]\n"
	p, _ := loadProject(t, yml)
	err := Preflight(p, []string{"web"})
	var coder interface{ ExitCode() int }
	if err == nil || !errors.As(err, &coder) || coder.ExitCode() != 2 || !strings.Contains(err.Error(), "invalid device specification") {
		t.Fatalf("Preflight = %v, want exit 2 naming the device", err)
	}
	if err := Preflight(p, nil); err != nil {
		t.Errorf("no service selected: %v", err)
	}
}
