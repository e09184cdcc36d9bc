package compose

import (
	"strings"
)

// maxNameLength is the longest name the Rancher API accepts.
const maxNameLength = 63

// dnsNameProblem explains why the API would reject name (its DNS_NAME_PATTERN
// ^[a-zA-Z0-9](?!.*--)[a-zA-Z0-9-]*$, at most 63 characters, no trailing '-'), or returns "".
func dnsNameProblem(name string) string {
	switch {
	case name == "":
		return "it is empty"
	case len(name) > maxNameLength:
		return "it is longer than 63 characters"
	case !isAlnum(name[0]):
		return "it must start with a letter or digit"
	case strings.Contains(name, "--"):
		return "it must not contain \"--\""
	case strings.HasSuffix(name, "-"):
		return "it must not end with '-'"
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '-' {
			return "only letters, digits and '-' are allowed (Rancher rejects '" + string(c) + "')"
		}
	}
	return ""
}

func isAlnum(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// checkProjectName reports a stack name the API would reject.
func (l *loader) checkProjectName(name string) {
	if why := dnsNameProblem(name); why != "" {
		l.diags.errorf(Pos{}, "", "stack name %q would be rejected by Rancher: %s (set it with -p)", name, why)
	}
}

// validateProject runs the checks across services: names, references, sidekicks, cycles.
func validateProject(p *Project, diags *diagnostics) {
	byName := map[string]*Service{}
	lower := map[string]string{}
	for _, s := range p.Services {
		byName[s.Name] = s
		path := serviceRef(s)
		if why := dnsNameProblem(s.Name); why != "" {
			diags.errorf(s.Pos, path, "service name %q would be rejected by Rancher: %s", s.Name, why)
		}
		if other, dup := lower[strings.ToLower(s.Name)]; dup {
			diags.errorf(s.Pos, path, "service names %q and %q differ only in case; Rancher treats them as the same name", other, s.Name)
		}
		lower[strings.ToLower(s.Name)] = s.Name
	}
	assignSidekicks(p, byName, diags)
	for _, s := range p.Services {
		checkReferences(s, byName, diags)
		checkPortRuleServices(s, byName, diags)
		checkSidekickLabel(s, diags)
		checkImage(s, diags)
		checkLabelKeys(s, diags)
	}
	checkDependsOnCycles(p, byName, diags)
	checkGateCycles(p, byName, diags)
}

func serviceRef(s *Service) string {
	if s.path != "" {
		return s.path
	}
	return joinPath("services", s.Name)
}

// assignSidekicks sets SidekickOf and checks the io.rancher.sidekicks labels.
func assignSidekicks(p *Project, byName map[string]*Service, diags *diagnostics) {
	for _, s := range p.Services {
		for _, k := range s.Sidekicks {
			target, ok := byName[k]
			switch {
			case !ok:
				diags.errorf(s.refPos("sidekicks"), serviceRef(s)+".labels."+sidekicksLabel, "sidekick %q is not a service of this project", k)
			case k == s.Name:
				diags.errorf(s.refPos("sidekicks"), serviceRef(s)+".labels."+sidekicksLabel, "service %q names itself as its sidekick", k)
			case target.SidekickOf != "":
				diags.errorf(s.refPos("sidekicks"), serviceRef(s)+".labels."+sidekicksLabel, "service %q is already a sidekick of %q", k, target.SidekickOf)
			default:
				target.SidekickOf = s.Name
			}
		}
	}
	for _, s := range p.Services {
		if s.SidekickOf != "" && len(s.Sidekicks) > 0 {
			diags.errorf(s.refPos("sidekicks"), serviceRef(s)+".labels."+sidekicksLabel, "service %q is a sidekick of %q and cannot have sidekicks of its own", s.Name, s.SidekickOf)
		}
	}
}

// checkReferences reports links, depends_on, volumes_from and network_mode targets that do not exist.
func checkReferences(s *Service, byName map[string]*Service, diags *diagnostics) {
	c := &s.Compose
	for i, link := range c.Links {
		if t := trimLinkName(link); byName[t] == nil {
			diags.errorf(s.refPos(indexPath("links", i)), indexPath(serviceRef(s)+".links", i), "service %q has a link to service %q which is undefined (use external_links for other stacks)", s.Name, t)
		}
	}
	for i, dep := range c.DependsOn {
		if byName[dep] == nil {
			p := s.refPos(indexPath("depends_on", i))
			if q, ok := s.refs["depends_on."+dep]; ok {
				p = q
			}
			diags.errorf(p, indexPath(serviceRef(s)+".depends_on", i), "service %q depends on service %q which is undefined", s.Name, dep)
		}
	}
	for i, vf := range c.VolumesFrom {
		if t, isContainer := volumesFromTarget(vf); !isContainer && byName[t] == nil {
			diags.errorf(s.refPos(indexPath("volumes_from", i)), indexPath(serviceRef(s)+".volumes_from", i), "service %q takes volumes from service %q which is undefined", s.Name, t)
		}
	}
	if kind, t, ok := strings.Cut(c.NetworkMode, ":"); ok && (kind == "service" || kind == "container") && byName[t] == nil {
		if kind == "service" {
			diags.errorf(s.refPos("network_mode"), serviceRef(s)+".network_mode", "service %q uses the network of service %q which is undefined", s.Name, t)
		} else {
			diags.warnf(s.refPos("network_mode"), serviceRef(s)+".network_mode", "network_mode container:%s: Rancher needs %q to be a sidekick of the same service", t, t)
		}
	}
}

// volumesFromTarget parses "name[:ro|rw]", "service:name[:mode]" or "container:name[:mode]".
func volumesFromTarget(vf string) (string, bool) {
	parts := strings.Split(vf, ":")
	switch {
	case len(parts) >= 2 && parts[0] == "container":
		return parts[1], true
	case len(parts) >= 2 && parts[0] == "service":
		return parts[1], false
	}
	return parts[0], false
}

// checkDependsOnCycles reports depends_on cycles, which no start order can satisfy. Link cycles are
// allowed (the original creates services twice for them).
func checkDependsOnCycles(p *Project, byName map[string]*Service, diags *diagnostics) {
	const (
		unvisited = iota
		visiting
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(s *Service)
	visit = func(s *Service) {
		state[s.Name] = visiting
		stack = append(stack, s.Name)
		for _, dep := range s.Compose.DependsOn {
			t := byName[dep]
			if t == nil {
				continue
			}
			switch state[dep] {
			case visiting:
				cycle := append(cycleFrom(stack, dep), dep)
				diags.errorf(s.refPos("depends_on"), serviceRef(s)+".depends_on", "dependency cycle: %s", strings.Join(cycle, " -> "))
			case unvisited:
				visit(t)
			}
		}
		stack = stack[:len(stack)-1]
		state[s.Name] = done
	}
	for _, s := range p.Services {
		if state[s.Name] == unvisited {
			visit(s)
		}
	}
}

func cycleFrom(stack []string, start string) []string {
	for i, n := range stack {
		if n == start {
			return append([]string{}, stack[i:]...)
		}
	}
	return stack
}
