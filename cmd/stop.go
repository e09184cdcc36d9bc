package cmd

import (
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
	}
}
