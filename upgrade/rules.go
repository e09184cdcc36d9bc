package upgrade

import (
	"fmt"
	"sort"
)

// hasHash tells whether the service carries a service digest in its metadata. Services created elsewhere
// (the UI, another tool) do not: they count as out of sync, but without the warning (service-hash.md §1).
func hasHash(s *Service) bool { return s.Digests().Service != "" }

// isOutOfSync is the original's rule: no stored service digest, or any of the three digests differs.
// Sidekick maps compare with "both empty is equal".
func isOutOfSync(d *Desired, s *Service) bool {
	have := s.Digests()
	if have.Service == "" {
		return true
	}
	return have.Service != d.Digests.Service || have.Primary != d.Digests.Primary ||
		!sidekicksEqual(have.Sidekicks, d.Digests.Sidekicks)
}

func sidekicksEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// neverUpgraded are the kinds shouldUpgrade always refuses.
func neverUpgraded(kind string) bool { return kind == KindExternal || kind == KindDNS }

// shouldUpgrade is rancher/upgrade.go's decision, returning the out-of-sync warning when it applies.
func shouldUpgrade(d *Desired, s *Service, o Options) (bool, string) {
	switch {
	case neverUpgraded(d.Kind):
		return false, ""
	case o.ForceUpgrade:
		return true, ""
	case !isOutOfSync(d, s):
		return false, ""
	case o.Upgrade:
		return true, ""
	case hasHash(s):
		return false, fmt.Sprintf("Service %s is out of sync with local configuration file", d.Name)
	}
	return false, ""
}

// changes says which parts of a service an upgrade touches (NormalFactory.Upgrade).
type changes struct {
	service   bool
	primary   bool
	sidekicks []string // new, changed or forced sidekicks, sorted
	removed   []string // sidekicks the live service has and the project no longer does, sorted
}

func (c changes) launchConfigs() bool {
	return c.primary || len(c.sidekicks) > 0 || len(c.removed) > 0
}

func changedParts(d *Desired, s *Service, o Options) changes {
	have := s.Digests()
	c := changes{
		service: o.ForceUpgrade || have.Service != d.Digests.Service,
		primary: o.ForceUpgrade || have.Primary != d.Digests.Primary,
	}
	for name, digest := range d.Digests.Sidekicks {
		old, exists := have.Sidekicks[name]
		forced := o.ForceUpgrade && (len(o.Services) == 0 || o.selected(name))
		if !exists || old != digest || forced {
			c.sidekicks = append(c.sidekicks, name)
		}
	}
	for name := range have.Sidekicks {
		if _, kept := d.Digests.Sidekicks[name]; !kept {
			c.removed = append(c.removed, name)
		}
	}
	sort.Strings(c.sidekicks)
	sort.Strings(c.removed)
	return c
}

// upgradableState is the precondition of NormalFactory.Upgrade.
func upgradableState(state string) bool { return state == stateActive || state == stateInactive }

func wrongStateError(name, state string) string {
	return fmt.Sprintf("Service %s must be state=active or inactive to upgrade, currently: state=%s", name, state)
}

// hasContainers tells whether a kind runs containers whose health can be waited for.
func hasContainers(kind string) bool { return kind != KindExternal && kind != KindDNS }
