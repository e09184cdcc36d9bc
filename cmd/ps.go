package cmd

import (
	"context"

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
