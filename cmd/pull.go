package cmd

import (
	"context"

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
		Action: func(c *cli.Context) error { return runPull(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// runPull runs one pull task per distinct image of the selected plain services (and their sidekicks), all at
// once, with the service's labels so that Cattle picks the matching hosts. Like the original, it opens (and
// so creates) the stack.
func runPull(parent context.Context, f *Factory, g *GlobalOptions, o *pullOptions, args []string) error {
	if err := o.run.validate(); err != nil {
		return err
	}
	ctx, cancel := o.run.withDeadline(parent)
	defer cancel()
	sc, err := openServiceCommand(ctx, f, g, &o.run, args)
	if err != nil {
		return err
	}
	return sc.session.Pull(ctx, sc.project, sc.primaries, o.Cached)
}
