package cmd

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

func init() { registerCommand(newCreateCommand) }

// createOptions are the flags of `create` (the original had none).
type createOptions struct {
	run         runOptions
	Format      string
	ForceUnlock bool
}

func newCreateCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &createOptions{}
	return &cli.Command{
		Name:      "create",
		Usage:     "Create all services but do not start",
		ArgsUsage: "[SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "result format on stdout: text or json", Destination: &o.Format},
			lockFlag(&o.ForceUnlock),
		}, runFlags(&o.run, true)...),
		Action: func(c *cli.Context) error { return runCreate(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// runCreate creates the missing services (inactive) and links them. The original ran its create pass twice
// so that circular links resolve; the engine creates every missing service before linking, so one pass
// does the same. Existing services keep their links unless they are inactive (test_create_no_update_links).
func runCreate(parent context.Context, f *Factory, g *GlobalOptions, o *createOptions, args []string) error {
	if err := o.run.validateWithFormat(o.Format); err != nil {
		return err
	}
	return runDeployCommand(parent, f, g, &o.run, o.Format, args,
		rancherengine.DeployRequest{Opts: upgrade.Options{Services: args, CreateOnly: true}, Shape: rancherengine.CreateOnly, ForceUnlock: o.ForceUnlock}, nil)
}
