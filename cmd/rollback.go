package cmd

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
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
		Action: func(c *cli.Context) error {
			return runLater(c.Context, f, g, laterOptions{run: &o.run, dryRun: o.DryRun, format: o.Format,
				forceUnlock: o.ForceUnlock, planner: upgrade.PlanRollback, verb: "rollback"}, c.Args().Slice())
		},
	}
}

// laterOptions describe a pipeline step run after `up --upgrade`, from the live stack alone.
type laterOptions struct {
	run         *runOptions
	dryRun      bool
	format      string
	forceUnlock bool
	planner     func(*upgrade.Observed, []string, upgrade.Options) (*upgrade.Plan, error)
	verb        string
}

// runLater confirms or rolls back from the live stack: no compose file is read when -p is given.
func runLater(parent context.Context, f *Factory, g *GlobalOptions, o laterOptions, args []string) error {
	return onStack(parent, f, g, o.run, o.format, func(ctx context.Context, s *session, name string) error {
		out, err := s.Finish(ctx, name, rancherengine.FinishOptions{Services: args, DryRun: o.dryRun, ForceUnlock: o.forceUnlock,
			Planner: o.planner, Verb: o.verb})
		if perr := printOutcome(f, o.format, o.dryRun, out); perr != nil && err == nil {
			err = perr
		}
		return err
	})
}
