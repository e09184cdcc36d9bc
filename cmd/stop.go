package cmd

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

func init() { registerCommand(newStopCommand) }

// stopOptions are the flags of `stop` (alias `down`).
type stopOptions struct {
	run runOptions
	// ShutdownTimeout is the original's --timeout/-t: accepted and unused, as it was.
	ShutdownTimeout int
}

func newStopCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &stopOptions{}
	return &cli.Command{
		Name:      "stop",
		Aliases:   []string{"down"},
		Usage:     "Stop services",
		ArgsUsage: "[SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: "timeout", Aliases: []string{"t"}, Value: 10, Usage: "Specify a shutdown timeout in seconds. (accepted for compatibility; Rancher does not use it)", Destination: &o.ShutdownTimeout},
		}, runFlags(&o.run, false)...),
		Action: func(c *cli.Context) error { return runStop(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// runStop deactivates every selected service that exists and is not inactive, concurrently.
func runStop(parent context.Context, f *Factory, g *GlobalOptions, o *stopOptions, args []string) error {
	ctx, cancel := o.run.withDeadlineAfterValidate(parent)
	defer cancel()
	sc, err := openServiceCommand(ctx, f, g, &o.run, args)
	if err != nil {
		return err
	}
	_, live, err := sc.existing(ctx)
	if err != nil {
		return err
	}
	s := sc.session
	return s.eachService(ctx, sc.project.Name, sc.primaries, false, "stop", func(ctx context.Context, name string) error {
		svc := live[name]
		if svc == nil || svc.State == "inactive" {
			return nil
		}
		s.em.Emit(name, progress.Working, "Stopping")
		svc, err := s.client.Services().Action(ctx, svc, "deactivate", nil)
		if err != nil {
			return fmt.Errorf("deactivating %s: %w", name, err)
		}
		if _, err := s.client.Services().Wait(ctx, svc); err != nil {
			return fmt.Errorf("waiting for %s: %w", name, err)
		}
		s.em.Emit(name, progress.Done, "Stopped")
		return nil
	})
}
