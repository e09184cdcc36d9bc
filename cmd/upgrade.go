package cmd

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

func init() { registerCommand(newUpgradeCommand) }

const globalLabel = "io.rancher.scheduler.global"

// upgradeOptions are the flags of `upgrade`: the original's service-to-service upgrade (FROM TO), and the
// new --confirm, which confirms in-place upgrades from the live stack without compose files.
type upgradeOptions struct {
	run         runOptions
	BatchSize   int
	Scale       int
	Interval    int
	UpdateLinks bool
	Wait        bool
	Pull        bool
	Cleanup     bool

	Confirm     bool
	DryRun      bool
	Format      string
	ForceUnlock bool
}

func newUpgradeCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &upgradeOptions{}
	return &cli.Command{
		Name:      "upgrade",
		Usage:     "Perform rolling upgrade between services (FROM TO), or confirm in-place upgrades (--confirm [SERVICE...])",
		ArgsUsage: "FROM TO | --confirm [SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: "batch-size", Value: 2, Usage: "Number of containers to upgrade at once", Destination: &o.BatchSize},
			&cli.IntFlag{Name: "scale", Value: -1, Usage: "Final number of running containers", Destination: &o.Scale},
			&cli.IntFlag{Name: "interval", Value: 2000, Usage: "Update interval in milliseconds", Destination: &o.Interval},
			&cli.BoolFlag{Name: "update-links", Value: true, Usage: "Update inbound links on target service", Destination: &o.UpdateLinks},
			&cli.BoolFlag{Name: "wait", Aliases: []string{"w"}, Usage: "Wait for upgrade to complete", Destination: &o.Wait},
			&cli.BoolFlag{Name: "pull", Aliases: []string{"p"}, Usage: "Before doing the upgrade do an image pull on all hosts that have the image already", Destination: &o.Pull},
			&cli.BoolFlag{Name: "cleanup", Aliases: []string{"c"}, Usage: "Remove the original service definition once upgraded, implies --wait", Destination: &o.Cleanup},
			&cli.BoolFlag{Name: "confirm", Usage: "confirm the in-place upgrades of the stack (-p) without compose files: the named services, default every service in state upgraded", Destination: &o.Confirm},
			&cli.BoolFlag{Name: "dry-run", Usage: "with --confirm: print the plan and change nothing", Destination: &o.DryRun},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "with --confirm: result (or plan) format on stdout: text or json", Destination: &o.Format},
			&cli.BoolFlag{Name: "force-unlock", Usage: "break another run's deploy lock on the stack", Destination: &o.ForceUnlock},
		}, runFlags(&o.run, true)...),
		Action: func(c *cli.Context) error {
			if o.Confirm {
				return runLater(c.Context, f, g, laterOptions{run: &o.run, dryRun: o.DryRun, format: o.Format,
					forceUnlock: o.ForceUnlock, planner: upgrade.PlanConfirm, verb: "upgrade --confirm"}, c.Args().Slice())
			}
			return runUpgradeFromTo(c.Context, f, g, o, c.Args().Slice())
		},
	}
}

// runUpgradeFromTo is the original's service-to-service rolling upgrade (original-behavior.md §3.7).
func runUpgradeFromTo(parent context.Context, f *Factory, g *GlobalOptions, o *upgradeOptions, args []string) error {
	if len(args) != 2 {
		return usageErrorf("Please pass arguments in the form: [from service] [to service]")
	}
	if err := o.run.validate(); err != nil {
		return err
	}
	if o.BatchSize < 1 || o.Interval < 0 {
		return usageErrorf("--batch-size must be at least 1 and --interval not negative")
	}
	if msg := compose.ScaleProblem(int64(o.Scale)); o.Scale != -1 && msg != "" {
		return usageErrorf("--scale: %s (or -1 to keep the source's scale)", msg)
	}
	from, to := args[0], args[1]
	ctx, cancel := o.run.withDeadline(parent)
	defer cancel()
	p, err := loadProjectFor(ctx, f, g, []string{to})
	if err != nil {
		return err
	}
	if err := checkUpgradeServices(p, from, to); err != nil {
		return err
	}
	if err := preflight(p, []string{to}); err != nil {
		return err
	}
	s, err := connect(ctx, f, g, &o.run)
	if err != nil {
		return err
	}
	st, live, err := s.LiveServices(ctx, p.Name)
	if err != nil {
		return err
	}
	source := live[from]
	if source == nil {
		return fmt.Errorf("Failed to find service %s", from)
	}
	if source.LaunchConfig != nil && fmt.Sprint(source.LaunchConfig.Labels[globalLabel]) == "true" {
		return fmt.Errorf("Upgrade is not supported for global services")
	}
	ctx, release, err := s.AcquireLock(ctx, st, o.ForceUnlock)
	if err != nil {
		return err
	}
	defer release()
	return s.upgradeFromTo(ctx, p, source, live[to] == nil, o, to)
}

// checkUpgradeServices checks, before any API call, that both services are in the compose files and that
// the target is not global (a global service cannot be the target of a rolling upgrade).
func checkUpgradeServices(p *compose.Project, from, to string) error {
	for _, n := range []string{from, to} {
		if svc := p.Service(n); svc == nil || svc.IsSidekick() {
			return usageErrorf("Failed to find service: %s", n)
		}
	}
	if p.Service(to).Compose.Labels[globalLabel] == "true" {
		return usageErrorf("Upgrade is not supported for global services: %s", to)
	}
	return nil
}

func (s *session) upgradeFromTo(ctx context.Context, p *compose.Project, source *resources.Service, create bool, o *upgradeOptions, to string) error {
	req := rancherengine.DeployRequest{Opts: upgrade.Options{Services: []string{to}}, Locked: true}
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
			if err := s.pullImage(ctx, img, "all", p.Service(to).Compose.Labels); err != nil {
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
	if upgraded, err = rancherengine.WaitReporting(ctx, s.Events, s.Client.Services(), upgraded, source.Name, "upgrading to "+to); err != nil {
		return fmt.Errorf("waiting for the upgrade of %s to %s: %w", source.Name, to, err)
	}
	s.Events.Emit(source.Name, progress.Done, "Upgraded to "+to)
	if !o.Cleanup {
		return nil
	}
	return s.cleanupSource(ctx, upgraded)
}

// cleanupSource deletes the upgraded source service once its scale reached 0.
func (s *session) cleanupSource(ctx context.Context, source *resources.Service) error {
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
