package cmd

import (
	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
)

// selectPrimaries checks positional service names against the project (before any API call) and returns the
// primaries to work on: the named ones (a sidekick selects its primary), or every primary.
func selectPrimaries(p *compose.Project, names []string) ([]string, error) {
	if len(names) == 0 {
		var all []string
		for _, s := range p.Primaries() {
			all = append(all, s.Name)
		}
		return all, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		s := p.Service(n)
		if s == nil {
			return nil, usageErrorf("No such service: %s", n)
		}
		if s.IsSidekick() {
			n = s.SidekickOf
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}

// preflight converts every selected service (and its sidekicks) to its transform document offline, so that a
// conversion error is a usage error found before the first API call.
func preflight(p *compose.Project, primaries []string) error {
	for _, name := range primaries {
		s := p.Service(name)
		for _, n := range append([]string{name}, s.Sidekicks...) {
			svc := p.Service(n)
			if svc == nil {
				return usageErrorf("service %s: Failed to find sidekick: %s", name, n)
			}
			if _, err := launchconfig.NewInspectDocument(p, svc, "rancher/lb-service-haproxy"); err != nil {
				return usageErrorf("%s: service %s: %v", svc.Pos, n, err)
			}
		}
	}
	return nil
}
