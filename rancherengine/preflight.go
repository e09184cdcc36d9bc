package rancherengine

import (
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
)

// ConfigError is a project the Rancher engine cannot convert, found before any API call (exit 2).
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }

// Unwrap returns the cause.
func (e *ConfigError) Unwrap() error { return e.Err }

// ExitCode is 2: the configuration is wrong, nothing was changed.
func (e *ConfigError) ExitCode() int { return exitUsage }

func configErrorf(format string, args ...any) error {
	return &ConfigError{Err: fmt.Errorf(format, args...)}
}

// Preflight converts every selected service (and its sidekicks) to its transform document offline, so that a
// conversion error is a usage error found before the first API call.
func Preflight(p *compose.Project, primaries []string) error {
	for _, name := range primaries {
		s := p.Service(name)
		for _, n := range append([]string{name}, s.Sidekicks...) {
			svc := p.Service(n)
			if svc == nil {
				return configErrorf("service %s: Failed to find sidekick: %s", name, n)
			}
			if _, err := launchconfig.NewInspectDocument(p, svc, "rancher/lb-service-haproxy"); err != nil {
				return configErrorf("%s: service %s: %v", svc.Pos, n, err)
			}
		}
	}
	return nil
}
