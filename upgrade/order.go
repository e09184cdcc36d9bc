package upgrade

import "sort"

// orderPlan sorts the services so each comes after the planned services it depends on, and records in
// DependsOn only the edges that are kept: an edge closing a cycle is dropped (the original marks links
// optional, so cycles are allowed; missing services are all created before any waits).
func orderPlan(plan *Plan) {
	byName := map[string]*ServicePlan{}
	for _, s := range plan.Services {
		byName[s.Name] = s
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	const (
		unvisited = iota
		visiting
		done
	)
	mark := map[string]int{}
	var ordered []*ServicePlan
	var visit func(string)
	visit = func(name string) {
		mark[name] = visiting
		s := byName[name]
		s.DependsOn = nil
		for _, dep := range sortedStrings(s.desired.DependsOn) {
			if byName[dep] == nil || dep == name || mark[dep] == visiting || contains(s.DependsOn, dep) {
				continue
			}
			if mark[dep] == unvisited {
				visit(dep)
			}
			s.DependsOn = append(s.DependsOn, dep)
		}
		mark[name] = done
		ordered = append(ordered, s)
	}
	for _, n := range names {
		if mark[n] == unvisited {
			visit(n)
		}
	}
	plan.Services = ordered
	gatePlan(plan)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
