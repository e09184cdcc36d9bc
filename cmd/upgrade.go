package cmd

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

func init() { registerCommand(newUpgradeCommand) }

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
	if err := rancherengine.Preflight(p, []string{to}); err != nil {
		return err
	}
	s, err := connect(ctx, f, g, &o.run)
	if err != nil {
		return err
	}
	return s.UpgradeFromTo(ctx, p, from, to, rancherengine.FromToOptions{Scale: o.Scale, BatchSize: o.BatchSize, Interval: o.Interval,
		UpdateLinks: o.UpdateLinks, Wait: o.Wait, Pull: o.Pull, Cleanup: o.Cleanup, ForceUnlock: o.ForceUnlock})
}

// checkUpgradeServices checks, before any API call, that both services are in the compose files and that
// the target is not global (a global service cannot be the target of a rolling upgrade).
func checkUpgradeServices(p *compose.Project, from, to string) error {
	for _, n := range []string{from, to} {
		if svc := p.Service(n); svc == nil || svc.IsSidekick() {
			return usageErrorf("Failed to find service: %s", n)
		}
	}
	if p.Service(to).Compose.Labels[rancherengine.GlobalLabel] == "true" {
		return usageErrorf("Upgrade is not supported for global services: %s", to)
	}
	return nil
}
