package cmd

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

func init() { registerCommand(newRmCommand) }

// rmOptions are the flags of `rm`; both were accepted without effect by the original, and still are.
type rmOptions struct {
	run     runOptions
	Force   bool
	Volumes bool
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
		}, runFlags(&o.run, true)...),
		Action: func(c *cli.Context) error { return runRm(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// runRm deletes the selected compose services that exist; the stack and other services are untouched.
func runRm(parent context.Context, f *Factory, g *GlobalOptions, o *rmOptions, args []string) error {
	ctx, cancel := o.run.withDeadlineAfterValidate(parent)
	defer cancel()
	sc, err := openServiceCommand(ctx, f, g, &o.run, args)
	if err != nil {
		return err
	}
	_, live, err := sc.existing(ctx)
	if err != nil {
		return err
	}
	s := sc.session
	return s.eachService(ctx, sc.project.Name, sc.primaries, false, "rm", func(ctx context.Context, name string) error {
		svc := live[name]
		if svc == nil || svc.State == "removed" || svc.State == "removing" {
			return nil
		}
		s.em.Emit(name, progress.Working, "Deleting")
		gone, err := s.client.Services().Delete(ctx, svc)
		if err != nil {
			return fmt.Errorf("deleting %s: %w", name, err)
		}
		if gone != nil {
			if _, err := s.client.Services().Wait(ctx, gone); err != nil {
				return fmt.Errorf("waiting for %s: %w", name, err)
			}
		}
		s.em.Emit(name, progress.Done, "Deleted")
		return nil
	})
}
