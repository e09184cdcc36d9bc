package rancherengine

import (
	"context"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// GlobalLabel marks a global service (one container per host), which cannot take part in a rolling upgrade.
const GlobalLabel = "io.rancher.scheduler.global"

// UpgradeFromTo is the original's service-to-service rolling upgrade (original-behavior.md §3.7): under the
// deploy lock, deploy TO (created at scale 0 when missing), then upgrade FROM into it, waiting and deleting
// FROM as the options say.
func (s *Session) UpgradeFromTo(ctx context.Context, p *compose.Project, o engine.FromToOptions) error {
	st, live, err := s.LiveServices(ctx, p.Name)
	if err != nil {
		return err
	}
	source := live[o.From]
	if source == nil {
		return fmt.Errorf("Failed to find service %s", o.From)
	}
	if source.LaunchConfig != nil && fmt.Sprint(source.LaunchConfig.Labels[GlobalLabel]) == "true" {
		return fmt.Errorf("Upgrade is not supported for global services")
	}
	ctx, release, err := s.AcquireLock(ctx, st, o.ForceUnlock)
	if err != nil {
		return err
	}
	defer release()
	return s.upgradeFromTo(ctx, p, source, live[o.To] == nil, o)
}

func (s *Session) upgradeFromTo(ctx context.Context, p *compose.Project, source *resources.Service, create bool, o engine.FromToOptions) error {
	to := o.To
	req := DeployRequest{Opts: upgrade.Options{Services: []string{to}}, Locked: true}
	if create {
		req.Adjust = func(d *upgrade.Desired) { d.CreateBody["scale"] = 0 }
	}
	if _, err := s.Deploy(ctx, p, []string{to}, req); err != nil {
		return err
	}
	_, live, err := s.LiveServices(ctx, p.Name)
	if err != nil {
		return err
	}
	target := live[to]
	if target == nil {
		return fmt.Errorf("Failed to find service %s after creating it", to)
	}
	if o.Pull {
		for _, img := range upgrade.PullImages(p, p.Service(to)) {
			if err := s.PullImage(ctx, img, "all", p.Service(to).Compose.Labels); err != nil {
				return err
			}
		}
	}
	final := int64(o.Scale)
	if final < 0 {
		final = source.Scale
	}
	s.Events.Emit(source.Name, progress.Working, fmt.Sprintf("Upgrading %s to %s, scale=%d", source.Name, to, final))
	body := map[string]any{"toServiceStrategy": map[string]any{"toServiceId": target.Id, "finalScale": final,
		"batchSize": o.BatchSize, "intervalMillis": o.Interval, "updateLinks": o.UpdateLinks}}
	upgraded, err := s.Client.Services().Action(ctx, source, "upgrade", body)
	if err != nil {
		return fmt.Errorf("upgrading %s to %s: %w", source.Name, to, err)
	}
	if !o.Wait && !o.Cleanup {
		s.Events.Emit(source.Name, progress.Done, "Upgrade to "+to+" started")
		return nil
	}
	if upgraded, err = WaitReporting(ctx, s.Events, s.Client.Services(), upgraded, source.Name, "upgrading to "+to); err != nil {
		return fmt.Errorf("waiting for the upgrade of %s to %s: %w", source.Name, to, err)
	}
	s.Events.Emit(source.Name, progress.Done, "Upgraded to "+to)
	if !o.Cleanup {
		return nil
	}
	return s.cleanupSource(ctx, upgraded)
}

// cleanupSource deletes the upgraded source service once its scale reached 0.
func (s *Session) cleanupSource(ctx context.Context, source *resources.Service) error {
	source, err := s.Client.Services().Reload(ctx, source)
	if err != nil {
		return fmt.Errorf("reading %s: %w", source.Name, err)
	}
	if source.Scale != 0 {
		s.Events.Emit(source.Name, progress.Warning, fmt.Sprintf("Not deleting service %s, scale is not 0 but %d", source.Name, source.Scale))
		return nil
	}
	s.Events.Emit(source.Name, progress.Working, "Deleting")
	if _, err := s.Client.Services().Delete(ctx, source); err != nil {
		return fmt.Errorf("deleting %s: %w", source.Name, err)
	}
	s.Events.Emit(source.Name, progress.Done, "Deleted")
	return nil
}
