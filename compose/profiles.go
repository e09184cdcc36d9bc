package compose

import (
	"fmt"
	"sort"
	"strings"
)

// The depends_on conditions of the compose specification.
const (
	ConditionStarted   = "service_started"
	ConditionHealthy   = "service_healthy"
	ConditionCompleted = "service_completed_successfully"
)

// Condition is the depends_on condition s has on dep: service_started for the list form.
func (s *Service) Condition(dep string) string {
	if c := s.Compose.DependsOnConditions[dep]; c != "" {
		return c
	}
	return ConditionStarted
}

// Needs lists the project services s cannot run without, each once, sorted: depends_on, links,
// volumes_from and network_mode targets, load-balancer port-rule targets, and its sidekicks. Targets in
// other stacks ("stack/service") are left out.
func (s *Service) Needs() []string { return s.needs(true) }

// needs is Needs, without the optional depends_on entries (required: false) unless withOptional.
func (s *Service) needs(withOptional bool) []string {
	optional := map[string]bool{}
	if !withOptional {
		for _, d := range s.Compose.DependsOnOptional {
			optional[d] = true
		}
	}
	seen := map[string]bool{}
	add := func(name string) {
		name = strings.TrimSpace(name)
		if name != "" && name != s.Name && !strings.Contains(name, "/") {
			seen[name] = true
		}
	}
	c := &s.Compose
	for _, d := range c.DependsOn {
		if !optional[d] {
			add(d)
		}
	}
	for _, l := range c.Links {
		add(trimLinkName(l))
	}
	for _, vf := range c.VolumesFrom {
		if t, isContainer := volumesFromTarget(vf); !isContainer {
			add(t)
		}
	}
	if kind, t, ok := strings.Cut(c.NetworkMode, ":"); ok && kind == "service" {
		add(t)
	}
	if s.Rancher != nil && s.Rancher.LBConfig != nil {
		for _, r := range s.Rancher.LBConfig.PortRules {
			add(r.Service)
		}
	}
	for _, k := range s.Sidekicks {
		add(k)
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ProfilesFrom splits --profile values (or COMPOSE_PROFILES) on commas into one list of names.
func ProfilesFrom(values []string) []string {
	var out []string
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				out = append(out, name)
			}
		}
	}
	return out
}

// ApplyProfiles keeps the services the compose specification enables and moves the others' names to
// Disabled: a service without profiles is always enabled, one with profiles when one of them is active
// ("*" activates every profile), and a service named in named is enabled with everything it needs
// (Needs, transitively). Sidekicks follow their primary. An enabled service that needs a disabled one is
// an error (exit 2) naming the file and line of the service and the profiles that would enable it.
func (p *Project) ApplyProfiles(active, named []string) error {
	on := map[string]bool{}
	for _, s := range p.Services {
		if s.SidekickOf == "" && profileActive(s.Compose.Profiles, active) {
			on[s.Name] = true
		}
	}
	var enable func(string)
	enable = func(name string) {
		s := p.Service(name)
		if s == nil || on[name] {
			return
		}
		if s.SidekickOf != "" {
			enable(s.SidekickOf)
			return
		}
		on[name] = true
		for _, n := range s.Needs() {
			enable(n)
		}
	}
	for _, n := range named {
		enable(n)
	}
	for _, s := range p.Services {
		if s.SidekickOf != "" && on[s.SidekickOf] {
			on[s.Name] = true
		}
	}
	if err := p.checkEnabledNeeds(on); err != nil {
		return err
	}
	kept := p.Services[:0:0]
	p.Disabled = nil
	for _, s := range p.Services {
		if on[s.Name] {
			kept = append(kept, s)
		} else {
			p.Disabled = append(p.Disabled, s.Name)
		}
	}
	p.Services = kept
	return nil
}

// checkEnabledNeeds reports every enabled service that needs a disabled one.
func (p *Project) checkEnabledNeeds(on map[string]bool) error {
	var problems []Diagnostic
	for _, s := range p.Services {
		if !on[s.Name] {
			continue
		}
		for _, n := range s.needs(false) {
			t := p.Service(n)
			if t == nil || on[n] {
				continue
			}
			problems = append(problems, Diagnostic{Severity: SeverityError, Pos: s.Pos, Path: serviceRef(s),
				Message: fmt.Sprintf("service %q needs service %q, which is not enabled: activate one of its profiles (%s) with --profile or COMPOSE_PROFILES, or name it on the command line",
					s.Name, n, strings.Join(profilesOf(p, t), ", "))})
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return &ConfigError{Problems: problems}
}

// profilesOf are the profiles of t, or of its primary when t is a sidekick.
func profilesOf(p *Project, t *Service) []string {
	if t.SidekickOf != "" {
		if primary := p.Service(t.SidekickOf); primary != nil {
			return primary.Compose.Profiles
		}
	}
	return t.Compose.Profiles
}

func profileActive(profiles, active []string) bool {
	if len(profiles) == 0 {
		return true
	}
	for _, a := range active {
		if a == "*" {
			return true
		}
		for _, p := range profiles {
			if p == a {
				return true
			}
		}
	}
	return false
}

// WithDependsOn returns names followed by every service they reach through depends_on (transitively),
// sidekicks replaced by their primary, each once: what `up NAME` starts, as docker compose does.
func (p *Project) WithDependsOn(names []string) []string {
	seen := map[string]bool{}
	var out []string
	var add func(string)
	add = func(name string) {
		s := p.Service(name)
		if s == nil {
			return
		}
		if s.SidekickOf != "" {
			name, s = s.SidekickOf, p.Service(s.SidekickOf)
		}
		if s == nil || seen[name] {
			return
		}
		seen[name] = true
		out = append(out, name)
		for _, d := range s.Compose.DependsOn {
			add(d)
		}
	}
	for _, n := range names {
		add(n)
	}
	return out
}
