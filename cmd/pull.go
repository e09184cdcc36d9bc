package cmd

import (
	"context"
	"fmt"
	"sort"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
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
	s, p := sc.session, sc.project
	if _, _, err := s.EnsureStackCreated(ctx, p.Name); err != nil {
		return err
	}
	labels := map[string]map[string]string{}
	for _, name := range sc.primaries {
		svc := p.Service(name)
		if launchconfig.KindOf(svc) != launchconfig.KindService {
			continue
		}
		for _, img := range upgrade.PullImages(p, svc) {
			if _, seen := labels[img]; !seen {
				labels[img] = svc.Compose.Labels
			}
		}
	}
	images := make([]string, 0, len(labels))
	for img := range labels {
		images = append(images, img)
	}
	sort.Strings(images)
	mode := "all"
	if o.Cached {
		mode = "cached"
	}
	return s.EachService(ctx, "", images, false, "", func(ctx context.Context, image string) error {
		return s.pullImage(ctx, image, mode, labels[image])
	})
}

// pullImage runs one pull task and waits for it; a host not Done fails it.
func (s *session) pullImage(ctx context.Context, image, mode string, labels map[string]string) error {
	s.Events.Emit(image, progress.Working, "Pulling "+image)
	task, err := s.Client.PullTasks().Create(ctx, map[string]any{"image": image, "mode": mode, "labels": labels})
	if err != nil {
		return fmt.Errorf("pulling %s: %w", image, err)
	}
	if task, err = rancherengine.WaitReporting(ctx, s.Events, s.Client.PullTasks(), task, image, "pulling"); err != nil {
		return fmt.Errorf("pulling %s: %w", image, err)
	}
	for host, status := range task.Status {
		if fmt.Sprint(status) != "Done" {
			return fmt.Errorf("pulling %s: Pull failed on one of the hosts: %s: %v", image, host, status)
		}
	}
	s.Events.Emit(image, progress.Done, "Finished pulling "+image)
	return nil
}
