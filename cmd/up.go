package cmd

import (
	"github.com/urfave/cli/v2"
)

func init() { registerCommand(newUpCommand) }

// upOptions are the flags of `up`: the original's, then the new ones of the upgrade lifecycle.
type upOptions struct {
	run          runOptions
	Pull         bool
	Detach       bool
	Upgrade      bool
	ForceUpgrade bool
	Confirm      bool
	Rollback     bool
	BatchSize    int
	Interval     int

	DryRun      bool
	Atomic      bool
	WaitHealthy bool
	ApplyScale  bool
	ForceUnlock bool
	Format      string
	ShowSecrets bool
	// RemoveOrphans removes the stack's services that are in none of the files.
	RemoveOrphans bool
}

func newUpCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &upOptions{}
	flags := []cli.Flag{
		&cli.BoolFlag{Name: "pull", Aliases: []string{"p"}, Usage: "Before doing the upgrade do an image pull on all hosts that have the image already", Destination: &o.Pull},
		&cli.BoolFlag{Name: "d", Usage: "Do not block and log", Destination: &o.Detach},
		&cli.BoolFlag{Name: "upgrade", Aliases: []string{"u", "recreate"}, Usage: "Upgrade if service has changed", Destination: &o.Upgrade},
		&cli.BoolFlag{Name: "force-upgrade", Aliases: []string{"force-recreate"}, Usage: "Upgrade regardless if service has changed", Destination: &o.ForceUpgrade},
		&cli.BoolFlag{Name: "confirm-upgrade", Aliases: []string{"c"}, Usage: "Confirm that the upgrade was success and delete old containers", Destination: &o.Confirm},
		&cli.BoolFlag{Name: "rollback", Aliases: []string{"r"}, Usage: "Rollback to the previous deployed version", Destination: &o.Rollback},
		&cli.IntFlag{Name: "batch-size", Value: 2, Usage: "Number of containers to upgrade at once (upgrade_strategy.batch_size when not given)", Destination: &o.BatchSize},
		&cli.IntFlag{Name: "interval", Value: 1000, Usage: "Update interval in milliseconds (upgrade_strategy.interval_millis when not given)", Destination: &o.Interval},
		&cli.BoolFlag{Name: "dry-run", Usage: "print the plan (per service: create, update, upgrade, confirm, rollback, scale or unchanged, with field diffs) and change nothing", Destination: &o.DryRun},
		&cli.BoolFlag{Name: "atomic", Usage: "implies --upgrade and --wait-healthy: upgrade every changed service, confirm all only when all are healthy, otherwise roll them all back (exit 6)", Destination: &o.Atomic},
		&cli.BoolFlag{Name: "wait-healthy", Usage: "count an upgrade done only when the new containers are healthy (or running, or exited 0 for start-once)", Destination: &o.WaitHealthy},
		&cli.BoolFlag{Name: "apply-scale", Usage: "apply scale changes from rancher-compose.yml to existing services", Destination: &o.ApplyScale},
		&cli.BoolFlag{Name: "force-unlock", Usage: "break another run's deploy lock on the stack (only when that run is known to be dead)", Destination: &o.ForceUnlock},
		&cli.StringFlag{Name: "format", Value: "text", Usage: "result (and --dry-run plan) format on stdout: text or json", Destination: &o.Format},
		&cli.BoolFlag{Name: "remove-orphans", Usage: "remove the stack's services that are in none of the compose files (named in a warning otherwise)", Destination: &o.RemoveOrphans},
		&cli.BoolFlag{Name: "show-secrets", Usage: "show environment values and secret variables' values in --dry-run diffs (hidden by default)", Destination: &o.ShowSecrets},
	}
	return &cli.Command{
		Name:      "up",
		Usage:     "Bring all services up",
		ArgsUsage: "[SERVICE...]",
		Flags:     append(flags, runFlags(&o.run, true)...),
	}
}

func (o *upOptions) validate() error {
	if err := o.run.validateWithFormat(o.Format); err != nil {
		return err
	}
	switch {
	case o.BatchSize < 1:
		return usageErrorf("--batch-size must be at least 1, got %d", o.BatchSize)
	case o.Interval < 0:
		return usageErrorf("--interval must not be negative, got %d", o.Interval)
	case o.Rollback && (o.Upgrade || o.ForceUpgrade || o.Confirm || o.Atomic):
		return usageErrorf("--rollback cannot be combined with --upgrade, --force-upgrade, --confirm-upgrade or --atomic")
	}
	return nil
}
