package cmd

import (
	"context"

	"github.com/urfave/cli/v2"
)

func init() { registerCommand(newRestartCommand) }

// restartOptions are the flags of `restart`.
type restartOptions struct {
	run         runOptions
	BatchSize   int
	Interval    int
	ForceUnlock bool
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
			lockFlag(&o.ForceUnlock),
		}, runFlags(&o.run, true)...),
		Action: func(c *cli.Context) error { return runRestart(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// runRestart restarts the selected services' containers in rolling batches.
func runRestart(parent context.Context, f *Factory, g *GlobalOptions, o *restartOptions, args []string) error {
	if o.BatchSize < 1 || o.Interval < 0 {
		return usageErrorf("--batch-size must be at least 1 and --interval not negative")
	}
	return onEachExisting(parent, f, g, &o.run, args, func(ctx context.Context, s *session, stack string, services []string) error {
		return s.Restart(ctx, stack, services, o.ForceUnlock, o.BatchSize, o.Interval)
	})
}
