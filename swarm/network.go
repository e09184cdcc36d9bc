package swarm

import (
	"sort"
	"strings"

	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// aliases collects, per linked service, the names other services reach it by (links "svc:alias"): on one
// overlay network an alias belongs to the target's attachment and is seen by every service on it.
func (m *mapper) aliases() map[string][]string {
	owner := map[string]string{} // alias → target
	out := map[string][]string{}
	for _, s := range m.p.Services {
		for _, l := range s.Compose.Links {
			target, alias, ok := strings.Cut(l, ":")
			target, alias = strings.TrimSpace(target), strings.TrimSpace(alias)
			if !ok || alias == "" || alias == target {
				continue
			}
			if prev, dup := owner[alias]; dup && prev != target {
				m.problem(s.Name, "links", "alias %q already names %s; on one stack network an alias can name one service only", alias, prev)
				continue
			}
			if _, dup := owner[alias]; !dup {
				owner[alias] = target
				out[target] = append(out[target], alias)
			}
		}
	}
	for _, a := range out {
		sort.Strings(a)
	}
	return out
}

// networks attaches the service to the stack network under its own name and its link aliases, and to
// other stacks' networks for external_links.
func (m *mapper) networks(s *compose.Service, aliases []string) []swarmtypes.NetworkAttachmentConfig {
	out := []swarmtypes.NetworkAttachmentConfig{{Target: m.out.Network, Aliases: append([]string{s.Name}, aliases...)}}
	seen := map[string]bool{m.out.Network: true}
	for _, l := range s.Compose.ExternalLinks {
		ref, alias, _ := strings.Cut(strings.TrimSpace(l), ":")
		stack, svc, ok := strings.Cut(ref, "/")
		if !ok {
			m.warn(s.Name, "external_links", "%q names no stack (expected stack/service[:alias]); ignored", l)
			continue
		}
		if alias != "" && alias != svc {
			m.warn(s.Name, "external_links", "%q: the alias cannot be set on another stack's service; reach it as %q on network %s_default", l, svc, stack)
		}
		net := stack + "_default"
		if !seen[net] {
			seen[net] = true
			out = append(out, swarmtypes.NetworkAttachmentConfig{Target: net})
			m.addExternalNetwork(net)
		}
	}
	return out
}

func (m *mapper) addExternalNetwork(net string) {
	for _, n := range m.out.ExternalNetworks {
		if n == net {
			return
		}
	}
	m.out.ExternalNetworks = append(m.out.ExternalNetworks, net)
}
