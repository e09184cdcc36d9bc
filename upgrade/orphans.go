package upgrade

import (
	"sort"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// Orphans are the live services of a stack that the project defines nowhere: not among its services, nor
// among those its profiles disabled. Sorted. It is engine-neutral: live is whatever the engine lists.
func Orphans(live []string, p *compose.Project) []string {
	defined := map[string]bool{}
	for _, s := range p.Services {
		defined[s.Name] = true
	}
	for _, n := range p.Disabled {
		defined[n] = true
	}
	var out []string
	for _, n := range live {
		if !defined[n] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
