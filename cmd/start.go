package cmd

import (
	"context"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

func init() { registerCommand(newStartCommand) }

// startOptions are the flags of `start`.
type startOptions struct {
	run         runOptions
	Detach      bool
	Format      string
	ForceUnlock bool
}

func newStartCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &startOptions{}
	return &cli.Command{
		Name:      "start",
		Usage:     "Start services",
		ArgsUsage: "[SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "d", Value: true, Usage: "Do not block and log", Destination: &o.Detach},
			&cli.StringFlag{Name: "format", Value: "text", Usage: "result format on stdout: text or json", Destination: &o.Format},
			lockFlag(&o.ForceUnlock),
		}, runFlags(&o.run, true)...),
		Action: func(c *cli.Context) error { return runStart(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// runStart links and activates the existing services, as the original's start did: no create, no upgrade;
// missing services are skipped.
func runStart(parent context.Context, f *Factory, g *GlobalOptions, o *startOptions, args []string) error {
	if err := o.run.validateWithFormat(o.Format); err != nil {
		return err
	}
	return runDeployCommand(parent, f, g, &o.run, o.Format, args,
		rancherengine.DeployRequest{Opts: upgrade.Options{Services: args}, Shape: rancherengine.StartOnly, NoVolumes: true, ForceUnlock: o.ForceUnlock}, nil)
}
