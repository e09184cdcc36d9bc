package cmd

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

func init() { registerCommand(newRestartCommand) }

// restartOptions are the flags of `restart`.
type restartOptions struct {
	run       runOptions
	BatchSize int
	Interval  int
}

func newRestartCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &restartOptions{}
	return &cli.Command{
		Name:      "restart",
		Usage:     "Restart services",
		ArgsUsage: "[SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.IntFlag{Name: "batch-size", Value: 1, Usage: "Number of containers to restart at once", Destination: &o.BatchSize},
			&cli.IntFlag{Name: "interval", Value: 0, Usage: "Restart interval in milliseconds", Destination: &o.Interval},
		}, runFlags(&o.run, true)...),
		Action: func(c *cli.Context) error { return runRestart(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// restartBody is the rolling restart the original posted; a zero interval is omitted.
func restartBody(batch, interval int) map[string]any {
	strategy := map[string]any{"batchSize": batch}
	if interval > 0 {
		strategy["intervalMillis"] = interval
	}
	return map[string]any{"rollingRestartStrategy": strategy}
}

// runRestart restarts the selected services' containers in rolling batches.
func runRestart(parent context.Context, f *Factory, g *GlobalOptions, o *restartOptions, args []string) error {
	if o.BatchSize < 1 || o.Interval < 0 {
		return usageErrorf("--batch-size must be at least 1 and --interval not negative")
	}
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
	return s.eachService(ctx, sc.project.Name, sc.primaries, false, "restart", func(ctx context.Context, name string) error {
		svc := live[name]
		if svc == nil {
			return fmt.Errorf("Failed to find %s to restart", name)
		}
		s.em.Emit(name, progress.Working, "Restarting")
		svc, err := s.client.Services().Action(ctx, svc, "restart", restartBody(o.BatchSize, o.Interval))
		if err != nil {
			return fmt.Errorf("restarting %s: %w", name, err)
		}
		if _, err := s.client.Services().Wait(ctx, svc); err != nil {
			return fmt.Errorf("waiting for %s: %w", name, err)
		}
		s.em.Emit(name, progress.Done, "Restarted")
		return nil
	})
}
