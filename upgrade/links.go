package upgrade

import (
	"fmt"
	"sort"
	"strings"
)

// resolvedLinks maps each desired link to its alias and target id. Project targets not created yet resolve to
// "" (their id is known only at run time); external targets that do not exist are reported and dropped, as
// the original does (`Failed to find service X to link to`).
func resolvedLinks(d *Desired, observed *Observed) (links []Link, ids map[string]string, missing []string) {
	ids = map[string]string{}
	for _, l := range d.Links {
		alias := l.Alias
		if alias == "" {
			alias = l.Target
		}
		id := ""
		if l.External || strings.Contains(l.Target, "/") {
			var ok bool
			if id, ok = observed.External[l.Target]; !ok {
				missing = append(missing, l.Target)
				continue
			}
		} else if s := observed.Services[l.Target]; s != nil {
			id = s.ID
		}
		l.ServiceID = id
		links = append(links, l)
		ids[alias] = id
	}
	return links, ids, missing
}

// linksDiffer compares the desired links with the live service's linkedServices. When the API did not report
// linkedServices at all, the links are posted anyway, as the original always did.
func linksDiffer(d *Desired, s *Service, observed *Observed) bool {
	if s.LinkedServices == nil {
		return true
	}
	_, want, _ := resolvedLinks(d, observed)
	if len(want) != len(s.LinkedServices) {
		return true
	}
	for alias, id := range want {
		if id == "" || stringOf(s.LinkedServices[alias]) != id {
			return true
		}
	}
	return false
}

func linkStep(p *ServicePlan, d *Desired, observed *Observed, why string) Step {
	links, _, missing := resolvedLinks(d, observed)
	for _, m := range missing {
		p.Warnings = append(p.Warnings, fmt.Sprintf("Failed to find service %s to link to", m))
	}
	names := make([]string, 0, len(links))
	for _, l := range links {
		n := l.Target
		if l.Alias != "" && l.Alias != l.Target {
			n += ":" + l.Alias
		}
		names = append(names, n)
	}
	sort.Strings(names)
	reason := why
	if len(names) > 0 {
		reason += ": " + strings.Join(names, ", ")
	} else {
		reason += ": none"
	}
	return Step{Kind: StepSetLinks, Reason: reason, Links: links}
}
