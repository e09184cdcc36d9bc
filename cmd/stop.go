package cmd

import (
	"context"

	"github.com/urfave/cli/v2"
)

func init() { registerCommand(newStopCommand) }

// stopOptions are the flags of `stop` (alias `down`).
type stopOptions struct {
	run         runOptions
	ForceUnlock bool
}

func newStopCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &stopOptions{}
	return &cli.Command{
		Name:      "stop",
		Aliases:   []string{"down"},
		Usage:     "Stop services",
		ArgsUsage: "[SERVICE...]",
		Flags:     append([]cli.Flag{lockFlag(&o.ForceUnlock)}, runFlags(&o.run, true)...),
		Action:    func(c *cli.Context) error { return runStop(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// runStop deactivates every selected service that exists and is not inactive, concurrently.
func runStop(parent context.Context, f *Factory, g *GlobalOptions, o *stopOptions, args []string) error {
	return onEachExisting(parent, f, g, &o.run, args, func(ctx context.Context, s *session, stack string, services []string) error {
		return s.Stop(ctx, stack, services, o.ForceUnlock)
	})
}
