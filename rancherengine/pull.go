package rancherengine

import (
	"context"
	"fmt"
	"sort"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// Pull runs one pull task per distinct image of the primaries that are plain services (and their
// sidekicks), all at once, with the service's labels so that Cattle picks the matching hosts (cached: only
// hosts that have the image). Like the original, it opens (and so creates) the stack.
func (s *Session) Pull(ctx context.Context, p *compose.Project, primaries []string, cached bool) error {
	if _, _, err := s.EnsureStackCreated(ctx, p.Name, nil); err != nil {
		return err
	}
	labels := map[string]map[string]string{}
	for _, name := range primaries {
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
	if cached {
		mode = "cached"
	}
	return s.EachService(ctx, "", images, false, "", func(ctx context.Context, image string) error {
		return s.PullImage(ctx, image, mode, labels[image])
	})
}

// PullImage runs one pull task and waits for it; a host not Done fails it.
func (s *Session) PullImage(ctx context.Context, image, mode string, labels map[string]string) error {
	s.Events.Emit(image, progress.Working, "Pulling "+image)
	task, err := s.Client.PullTasks().Create(ctx, map[string]any{"image": image, "mode": mode, "labels": labels})
	if err != nil {
		return fmt.Errorf("pulling %s: %w", image, err)
	}
	if task, err = WaitReporting(ctx, s.Events, s.Client.PullTasks(), task, image, "pulling"); err != nil {
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
