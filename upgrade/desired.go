package upgrade

import (
	"sort"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
)

// DesiredFrom turns one primary compose service of p and its build (launchconfig.Builder.Build) into the
// desired state Reconcile plans from: its shape (ShapeOf), the three digests, and the bodies to send.
func DesiredFrom(p *compose.Project, s *compose.Service, b *launchconfig.Built) (*Desired, error) {
	d := ShapeOf(p, s)
	d.image = "" // a built service's image is its launch config's
	d.Digests = Digests{Service: b.Hash.Service, Primary: b.Hash.LaunchConfig, Sidekicks: b.Hash.SecondaryLaunchConfigs}
	if err := d.setBodies(b); err != nil {
		return nil, err
	}
	return d, nil
}

// ShapeOf is what the compose files alone say of one primary service: kind, links and dependencies
// (links, and LB port-rule targets of this stack, original-behavior.md §3.12), whether links are managed
// (§3.5), the scale, the upgrade strategy, and the images to pull with the service's labels. It lacks what
// needs the server's transform: the digests and the bodies (DesiredFrom). It is enough to plan a stack
// that has no service yet, except for gates on a service's completion (see Plannable).
func ShapeOf(p *compose.Project, s *compose.Service) *Desired {
	kind := launchconfig.KindOf(s)
	d := &Desired{
		Name:         s.Name,
		Kind:         kind.SchemaType(),
		Scale:        s.Scale(),
		ManagesLinks: managesLinks(s, kind),
		PullLabels:   s.Compose.Labels,
	}
	d.Links = linksOf(s)
	d.Gates = p.Gates(s)
	d.DependsOn = dependencies(p, s)
	if us := s.UpgradeStrategy(); us != nil {
		d.Strategy = Strategy{StartFirst: us.StartFirst, BatchSize: us.BatchSize, IntervalMillis: us.IntervalMillis}
	}
	if kind == launchconfig.KindService {
		d.Images = PullImages(p, s)
	}
	d.image = s.Compose.Image
	return d
}

// Plannable tells whether a plan made from ShapeOf alone is the plan the built services would get, for a
// stack that has no service yet: s builds without reading the API (no load balancer, which resolves its
// targets and image there), has an image the transform passes on as it is (not an external service), and
// waits on no service's completion (whose warning depends on the target's built launch config).
func Plannable(p *compose.Project, s *compose.Service) bool {
	switch launchconfig.KindOf(s) {
	case launchconfig.KindLoadBalancer, launchconfig.KindLegacyLoadBalancer, launchconfig.KindExternal:
		return false
	}
	if s.Compose.Image == "" {
		return false
	}
	for _, g := range p.Gates(s) {
		if g.Condition == compose.ConditionCompleted {
			return false
		}
	}
	return true
}

// setBodies sets the create body, the service body, the launch config and the sidekicks. The launch
// configs are converted once and shared by the bodies (nothing changes a body's nested values), where
// converting each body whole held every launch config three times over for the whole run.
func (d *Desired) setBodies(b *launchconfig.Built) error {
	var err error
	var secondaries []any
	if b.Service.LaunchConfig != nil {
		if d.LaunchConfig, err = ToMap(b.Service.LaunchConfig); err != nil {
			return err
		}
	}
	for i := range b.Service.SecondaryLaunchConfigs {
		sk, err := ToMap(&b.Service.SecondaryLaunchConfigs[i])
		if err != nil {
			return err
		}
		if d.Sidekicks == nil {
			d.Sidekicks = map[string]map[string]any{}
		}
		d.Sidekicks[b.Service.SecondaryLaunchConfigs[i].Name] = sk
		secondaries = append(secondaries, sk)
	}
	withConfigs := func(m map[string]any) map[string]any {
		if d.LaunchConfig != nil {
			m["launchConfig"] = d.LaunchConfig
		}
		if len(secondaries) > 0 {
			m["secondaryLaunchConfigs"] = secondaries
		}
		return m
	}
	bare := *b.Service // the service without its launch configs (a shallow copy: b is left as it is)
	bare.LaunchConfig, bare.SecondaryLaunchConfigs = nil, nil
	if d.ServiceBody, err = ToMap(&bare); err != nil {
		return err
	}
	d.ServiceBody = withConfigs(d.ServiceBody)
	if b.Kind != launchconfig.KindService { // launchconfig.Built.CreateBody: the whole CompositeService
		d.CreateBody = copyMap(d.ServiceBody)
		return nil
	}
	if d.CreateBody, err = ToMap(&bare.Service); err != nil { // a plain service: the embedded Service alone
		return err
	}
	d.CreateBody = withConfigs(d.CreateBody)
	return nil
}

// managesLinks is false where the original never set links (§3.5): selector links, external services and
// new-style load balancers.
func managesLinks(s *compose.Service, k launchconfig.Kind) bool {
	if s.Compose.Labels["io.rancher.service.selector.link"] != "" {
		return false
	}
	return k != launchconfig.KindExternal && k != launchconfig.KindLoadBalancer
}

// linksOf parses links and external_links ("name[:alias]", spaces trimmed: `web: alias` works).
func linksOf(s *compose.Service) []Link {
	var out []Link
	add := func(entries []string, external bool) {
		for _, e := range entries {
			target, alias, _ := strings.Cut(e, ":")
			target, alias = strings.TrimSpace(target), strings.TrimSpace(alias)
			if target == "" {
				continue
			}
			out = append(out, Link{Target: target, Alias: alias, External: external || strings.Contains(target, "/")})
		}
	}
	add(s.Compose.Links, false)
	add(s.Compose.ExternalLinks, true)
	return out
}

// dependencies are the project services s waits for (§3.12): its link targets and its load balancer's
// port-rule targets, without '/' (other stacks are never waited for), and its depends_on gates.
func dependencies(p *compose.Project, s *compose.Service) []string {
	seen := map[string]bool{}
	var out []string
	add := func(name string) {
		if name == "" || name == s.Name || strings.Contains(name, "/") || seen[name] {
			return
		}
		if t := p.Service(name); t == nil || t.IsSidekick() {
			return
		}
		seen[name] = true
		out = append(out, name)
	}
	for _, l := range s.Compose.Links {
		target, _, _ := strings.Cut(l, ":")
		add(strings.TrimSpace(target))
	}
	if s.Rancher != nil && s.Rancher.LBConfig != nil {
		for _, r := range s.Rancher.LBConfig.PortRules {
			add(r.Service)
		}
	}
	for _, g := range p.Gates(s) {
		add(g.Service)
	}
	sort.Strings(out)
	return out
}

// PullImages are the images of a plain service and its sidekicks, in order, each once (what `pull`,
// `up --pull` and `upgrade --pull` pull).
func PullImages(p *compose.Project, s *compose.Service) []string {
	var out []string
	seen := map[string]bool{}
	for _, name := range append([]string{s.Name}, s.Sidekicks...) {
		if svc := p.Service(name); svc != nil && svc.Compose.Image != "" && !seen[svc.Compose.Image] {
			seen[svc.Compose.Image] = true
			out = append(out, svc.Compose.Image)
		}
	}
	return out
}
