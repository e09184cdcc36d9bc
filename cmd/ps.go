package cmd

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

func init() { registerCommand(newPsCommand) }

// psOptions are the flags of `ps` (new: the original had no way to see what runs).
type psOptions struct {
	run    runOptions
	Format string
}

func newPsCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &psOptions{}
	return &cli.Command{
		Name:      "ps",
		Usage:     "List the stack's services: state, health, scale, image and containers (works without compose files when -p is given)",
		ArgsUsage: "[SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text or json", Destination: &o.Format},
		}, runFlags(&o.run, true)...),
		Action: func(c *cli.Context) error { return runPs(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// stackName is -p (or COMPOSE_PROJECT_NAME) sanitised, without reading any file; otherwise the project's name.
func stackName(ctx context.Context, f *Factory, g *GlobalOptions) (string, error) {
	if g.ProjectName != "" {
		return compose.SanitizeProjectName(g.ProjectName), nil
	}
	p, err := loadProject(ctx, f, g)
	if err != nil {
		return "", err
	}
	return p.Name, nil
}

func runPs(parent context.Context, f *Factory, g *GlobalOptions, o *psOptions, args []string) error {
	return onStack(parent, f, g, &o.run, o.Format, func(ctx context.Context, s *session, name string) error {
		view, err := s.Status(ctx, name, args)
		if err != nil {
			return err
		}
		if o.Format == "json" {
			return printJSON(f.IO.Out, view)
		}
		_, err = fmt.Fprint(f.IO.Out, view.String())
		return err
	})
}

// onStack is the start of the commands that work from the live stack alone (ps, rollback, upgrade
// --confirm): validate the flags and --format, then, under the deadline, name the stack (no compose file is
// read when -p is given), connect, and run fn.
func onStack(parent context.Context, f *Factory, g *GlobalOptions, o *runOptions, format string,
	fn func(ctx context.Context, s *session, name string) error) error {
	if err := o.validateWithFormat(format); err != nil {
		return err
	}
	ctx, cancel := o.withDeadline(parent)
	defer cancel()
	name, err := stackName(ctx, f, g)
	if err != nil {
		return err
	}
	s, err := connect(ctx, f, g, o)
	if err != nil {
		return err
	}
	return fn(ctx, s, name)
}
