package cmd

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
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
	return onEachExisting(parent, f, g, &o.run, args, o.ForceUnlock, "stop", func(ctx context.Context, s *session, name string, svc *resources.Service) error {
		if svc == nil || svc.State == "inactive" {
			return nil
		}
		return s.ChangeAndWait(ctx, name, "Stopping", "deactivating", "Stopped", func() (*resources.Service, error) {
			return s.Client.Services().Action(ctx, svc, "deactivate", nil)
		})
	})
}
