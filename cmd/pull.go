package cmd

import (
	"github.com/urfave/cli/v2"
)

func init() { registerCommand(newPullCommand) }

// pullOptions are the flags of `pull`.
type pullOptions struct {
	run    runOptions
	Cached bool
}

func newPullCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &pullOptions{}
	return &cli.Command{
		Name:      "pull",
		Usage:     "Pulls images for services",
		ArgsUsage: "[SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "cached", Aliases: []string{"c"}, Usage: "Only update hosts that have the image cached, don't pull new", Destination: &o.Cached},
		}, runFlags(&o.run, true)...),
	}
}
