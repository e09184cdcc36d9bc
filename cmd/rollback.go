package cmd

import (
	"github.com/urfave/cli/v2"
)

func init() { registerCommand(newRollbackCommand) }

// rollbackOptions are the flags of `rollback` (new).
type rollbackOptions struct {
	run         runOptions
	DryRun      bool
	Format      string
	ForceUnlock bool
}

func newRollbackCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &rollbackOptions{}
	return &cli.Command{
		Name:      "rollback",
		Usage:     "Roll back in-place upgrades of the stack (-p) without compose files: the named services, default every service with an upgrade to roll back",
		ArgsUsage: "[SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "dry-run", Usage: "print the plan and change nothing", Destination: &o.DryRun},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "result (or plan) format on stdout: text or json", Destination: &o.Format},
			&cli.BoolFlag{Name: "force-unlock", Usage: "break another run's deploy lock on the stack", Destination: &o.ForceUnlock},
		}, runFlags(&o.run, true)...),
	}
}
