package cmd

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
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
	return onEachExisting(parent, f, g, &o.run, args, o.ForceUnlock, "restart", func(ctx context.Context, s *session, name string, svc *resources.Service) error {
		if svc == nil {
			return fmt.Errorf("Failed to find %s to restart", name)
		}
		return s.ChangeAndWait(ctx, name, "Restarting", "restarting", "Restarted", func() (*resources.Service, error) {
			return s.Client.Services().Action(ctx, svc, "restart", restartBody(o.BatchSize, o.Interval))
		})
	})
}
