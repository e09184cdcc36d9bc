package cmd

import (
	"github.com/urfave/cli/v2"
)

func init() { registerCommand(newRmCommand) }

// rmOptions are the flags of `rm`; both were accepted without effect by the original, and still are.
type rmOptions struct {
	run     runOptions
	Force   bool
	Volumes bool
	// ForceUnlock breaks another run's live deploy lock (rm -f alone does not).
	ForceUnlock bool
}

func newRmCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &rmOptions{}
	return &cli.Command{
		Name:      "rm",
		Usage:     "Delete services",
		ArgsUsage: "[SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "force", Aliases: []string{"f"}, Usage: "Allow deletion of all services (there is no prompt either way)", Destination: &o.Force},
			&cli.BoolFlag{Name: "v", Usage: "Remove volumes associated with containers (accepted for compatibility; no effect)", Destination: &o.Volumes},
			lockFlag(&o.ForceUnlock),
		}, runFlags(&o.run, true)...),
	}
}
