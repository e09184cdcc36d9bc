package upgrade

import (
	"fmt"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
)

// DesiredFrom turns one primary compose service and its build (launchconfig.Builder.Build) into the
// desired state Reconcile plans from: kind, links and dependencies (links, and LB port-rule targets of this
// stack, original-behavior.md §3.12), whether links are managed (§3.5), the three digests, the scale, the
// upgrade strategy, the images to pull, and the bodies to send.
func DesiredFrom(s *compose.Service, b *launchconfig.Built) (*Desired, error) {
	d := &Desired{
		Name:    s.Name,
		Kind:    b.Kind.SchemaType(),
		Scale:   s.Scale(),
		Digests: Digests{Service: b.Hash.Service, Primary: b.Hash.LaunchConfig, Sidekicks: b.Hash.SecondaryLaunchConfigs},
		ManagesLinks: b.Service.SelectorLink == "" && b.Kind != launchconfig.KindExternal &&
			b.Kind != launchconfig.KindLoadBalancer,
	}
	d.Links = append(parseLinks(s.Compose.Links, false), parseLinks(s.Compose.ExternalLinks, true)...)
	d.DependsOn = dependencies(s, d.Links)
	if rc := s.Rancher; rc != nil && rc.UpgradeStrategy != nil {
		d.Strategy = Strategy{StartFirst: rc.UpgradeStrategy.StartFirst, BatchSize: rc.UpgradeStrategy.BatchSize, IntervalMillis: rc.UpgradeStrategy.IntervalMillis}
	}
	var err error
	if d.CreateBody, err = ToMap(b.CreateBody()); err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	if d.ServiceBody, err = ToMap(b.Service); err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	if d.LaunchConfig, err = ToMap(b.Service.LaunchConfig); err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	d.Sidekicks = map[string]map[string]any{}
	for _, slc := range b.Service.SecondaryLaunchConfigs {
		m, err := ToMap(slc)
		if err != nil {
			return nil, fmt.Errorf("sidekick %s: %w", slc.Name, err)
		}
		d.Sidekicks[slc.Name] = m
	}
	if b.Kind == launchconfig.KindService {
		d.Images, d.PullLabels = pullImages(d)
	}
	return d, nil
}

// parseLinks reads `name[:alias]` entries, trimming spaces around each part (`web: alias` works).
func parseLinks(entries []string, external bool) []Link {
	var out []Link
	for _, e := range entries {
		target, alias, _ := strings.Cut(e, ":")
		l := Link{Target: strings.TrimSpace(target), Alias: strings.TrimSpace(alias), External: external}
		if l.Target != "" {
			out = append(out, l)
		}
	}
	return out
}

func dependencies(s *compose.Service, links []Link) []string {
	seen := map[string]bool{}
	var out []string
	add := func(name string) {
		if name != "" && !strings.Contains(name, "/") && !seen[name] && name != s.Name {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, l := range links {
		if !l.External {
			add(l.Target)
		}
	}
	if rc := s.Rancher; rc != nil && rc.LBConfig != nil {
		for _, r := range rc.LBConfig.PortRules {
			add(r.Service)
		}
	}
	return out
}

// pullImages lists the distinct images of the primary and its sidekicks, and the primary's labels, which
// go into each pull task so Cattle picks matching hosts (§3.6, §3.8).
func pullImages(d *Desired) ([]string, map[string]string) {
	seen := map[string]bool{}
	var images []string
	add := func(lc map[string]any) {
		if img := imageOf(lc); img != "" && !seen[img] {
			seen[img] = true
			images = append(images, img)
		}
	}
	add(d.LaunchConfig)
	for _, name := range sortedKeys(d.Sidekicks) {
		add(d.Sidekicks[name])
	}
	labels := map[string]string{}
	if l, ok := d.LaunchConfig["labels"].(map[string]any); ok {
		for k, v := range l {
			if k != HashKey {
				labels[k] = stringOf(v)
			}
		}
	}
	return images, labels
}
