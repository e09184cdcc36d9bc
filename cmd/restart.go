package cmd

import (
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
	}
}
