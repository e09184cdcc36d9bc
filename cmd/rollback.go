package cmd

import (
	"context"
	"fmt"

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
		return s.later(ctx, name, o, args)
	})
}

// later plans the confirm or rollback from the stack as it is, under the deploy lock, and carries it out.
func (s *session) later(ctx context.Context, name string, o laterOptions, args []string) error {
	st, err := s.FindStack(ctx, name)
	if err != nil {
		return err
	}
	if st == nil {
		return fmt.Errorf("%s: stack %s does not exist", o.verb, name)
	}
	if !o.dryRun {
		var release func()
		if ctx, release, err = s.AcquireLock(ctx, st, o.forceUnlock); err != nil {
			return err
		}
		defer release()
	} else {
		s.WarnIfLocked(ctx, st)
	}
	obs, err := s.API.Observe(ctx, st, nil)
	if err != nil {
		return err
	}
	plan, err := o.planner(obs, args, upgrade.Options{Services: args})
	if err != nil {
		return err
	}
	out := &rancherengine.DeployOutcome{Plan: plan}
	if !o.dryRun {
		s.EmitWarnings(plan)
		out.Result, err = upgrade.Execute(ctx, plan, s.API, s.Events, s.ExecuteOptions()...)
		s.EmitNotes(plan, out.Result)
	}
	if perr := printOutcome(s.f, o.format, o.dryRun, out); perr != nil && err == nil {
		err = perr
	}
	return err
}
