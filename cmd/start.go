package cmd

import (
	"github.com/urfave/cli/v2"
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
	}
}
