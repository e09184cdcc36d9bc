package swarm

import (
	"sort"
	"strings"

	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

const affinityPrefix = "io.rancher.scheduler.affinity:"

// placement maps Rancher scheduler labels: host_label(_ne) → node label constraints, host_label_soft(_ne) →
// spread preferences, container_label(_soft)_ne on the service itself → at most one replica per node.
// Anything else is warned about.
func (m *mapper) placement(s *compose.Service) *swarmtypes.Placement {
	p := &swarmtypes.Placement{}
	keys := make([]string, 0)
	for k := range s.Compose.Labels {
		if strings.HasPrefix(k, affinityPrefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.affinity(s, p, strings.TrimPrefix(k, affinityPrefix), s.Compose.Labels[k])
	}
	if len(p.Constraints) == 0 && len(p.Preferences) == 0 && p.MaxReplicas == 0 {
		return nil
	}
	return p
}

func (m *mapper) affinity(s *compose.Service, p *swarmtypes.Placement, rule, value string) {
	key := affinityPrefix + rule
	switch rule {
	case "host_label", "host_label_ne":
		op := "=="
		if rule == "host_label_ne" {
			op = "!="
		}
		for _, kv := range splitPairs(value) {
			p.Constraints = append(p.Constraints, "node.labels."+kv[0]+op+kv[1])
		}
	case "host_label_soft", "host_label_soft_ne":
		for _, kv := range splitPairs(value) {
			p.Preferences = append(p.Preferences, swarmtypes.PlacementPreference{Spread: &swarmtypes.SpreadOver{SpreadDescriptor: "node.labels." + kv[0]}})
		}
		m.warn(s.Name, key, "soft rule mapped to a spread preference over node.labels.<key>: Swarm spreads over the label's values, it cannot prefer %q", value)
	case "container_label_ne", "container_label_soft_ne":
		if !m.isSelf(s, value) {
			m.warn(s.Name, key, "anti-affinity to other services has no Swarm equivalent; ignored")
			return
		}
		p.MaxReplicas = 1
		if rule == "container_label_soft_ne" {
			m.warn(s.Name, key, "soft one-per-host rule becomes a hard one (max one replica per node): replicas beyond the node count stay pending")
		}
	default:
		m.warn(s.Name, key, "has no Swarm equivalent (no co-location between services); ignored")
	}
}

// isSelf reports whether a container label rule names the service itself.
func (m *mapper) isSelf(s *compose.Service, value string) bool {
	k, v, _ := strings.Cut(value, "=")
	if strings.TrimSpace(k) != "io.rancher.stack_service.name" {
		return false
	}
	v = strings.TrimSpace(v)
	return v == "${stack_name}/${service_name}" || v == m.p.Name+"/"+s.Name
}

// splitPairs splits "k=v,k2=v2" into pairs (a key without '=' is a key with an empty value).
func splitPairs(value string) [][2]string {
	var out [][2]string
	for _, part := range strings.Split(value, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if k != "" {
			out = append(out, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
		}
	}
	return out
}
