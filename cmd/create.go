package cmd

import (
	"github.com/urfave/cli/v2"
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
	}
}
