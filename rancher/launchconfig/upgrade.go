package launchconfig

import (
	"github.com/rancher-compose-ng/rancher-compose/rancher/digest"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// removedSidekickImage is the image the original sent for a sidekick that the new config no longer has.
const removedSidekickImage = "rancher/none"

// UpgradePlan is what an upgrade of an existing service must send, decided from the digests stored on
// it, as the original's NormalFactory.Upgrade did.
type UpgradePlan struct {
	// Service: the service digest changed (or forced): PUT the CompositeService (keeping the live scale).
	Service bool
	// LaunchConfig: the primary launch config changed (or forced): it goes in the upgrade action.
	LaunchConfig bool
	// Sidekicks changed, new or forced, in the new config's order.
	Sidekicks []string
	// Removed are sidekicks of the existing service the new config no longer has.
	Removed []string
}

// PlanUpgrade compares the new build with the existing service. force forces the service and the
// primary; forceSidekick (nil: none) says which sidekicks are forced too.
func PlanUpgrade(existing *resources.Service, b *Built, force bool, forceSidekick func(name string) bool) UpgradePlan {
	old, _ := digest.Lookup(existing)
	p := UpgradePlan{
		Service:      force || b.Hash.Service != old.Service,
		LaunchConfig: force || b.Hash.LaunchConfig != old.LaunchConfig,
	}
	for _, s := range b.Service.SecondaryLaunchConfigs {
		oldHash, had := old.SecondaryLaunchConfigs[s.Name]
		if !had || oldHash != b.Hash.SecondaryLaunchConfigs[s.Name] || (forceSidekick != nil && forceSidekick(s.Name)) {
			p.Sidekicks = append(p.Sidekicks, s.Name)
		}
	}
	for _, s := range existing.SecondaryLaunchConfigs {
		if _, still := b.Hash.SecondaryLaunchConfigs[s.Name]; !still {
			p.Removed = append(p.Removed, s.Name)
		}
	}
	return p
}

// NeedsUpgradeAction reports whether an upgrade action must be posted (a launch config changed).
func (p UpgradePlan) NeedsUpgradeAction() bool {
	return p.LaunchConfig || len(p.Sidekicks) > 0 || len(p.Removed) > 0
}

// UpgradeInput is the body of the service's upgrade action for this plan: an in-service strategy with
// the new primary (when it changed), the changed sidekicks and the removed ones (image rancher/none).
func (b *Built) UpgradeInput(p UpgradePlan, batchSize, intervalMillis int64, startFirst bool) *resources.ServiceUpgrade {
	s := &resources.InServiceUpgradeStrategy{BatchSize: batchSize, IntervalMillis: intervalMillis, StartFirst: startFirst}
	if p.LaunchConfig {
		s.LaunchConfig = b.Service.LaunchConfig
	}
	for _, name := range p.Sidekicks {
		for _, slc := range b.Service.SecondaryLaunchConfigs {
			if slc.Name == name {
				s.SecondaryLaunchConfigs = append(s.SecondaryLaunchConfigs, slc)
			}
		}
	}
	for _, name := range p.Removed {
		s.SecondaryLaunchConfigs = append(s.SecondaryLaunchConfigs, resources.SecondaryLaunchConfig{Name: name, ImageUuid: removedSidekickImage})
	}
	return &resources.ServiceUpgrade{InServiceStrategy: s}
}

// UpdateBody is the body of the service PUT when the service digest changed: the whole CompositeService
// with its launch configs, the scale replaced by the live one (scale changes go through scale, not up).
func (b *Built) UpdateBody(liveScale int64) *resources.CompositeService {
	body := *b.Service
	body.Scale = liveScale
	return &body
}
