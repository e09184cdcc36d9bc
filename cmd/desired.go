package cmd

import (
	"github.com/rancher-compose-ng/rancher-compose/compose"
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
