package cmd

import (
	"github.com/urfave/cli/v2"
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
	}
}
