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
	criticalFirst(ordered)
	plan.Services = ordered
	gatePlan(plan)
}

// criticalFirst orders services (each after the services it depends on, by their kept DependsOn) so that
// the bottoms of the longest chains of dependants come first: their creates go out first, so their
// activation, which the whole chain waits on, starts first. A service's height is the number of services
// in the longest chain from it up through its dependants (1 when nothing depends on it); sorting by
// height, highest first, keeps each dependency before its dependants, whose heights are lower. Equal
// heights keep the given order.
func criticalFirst(services []*ServicePlan) {
	dependants := map[string][]string{}
	for _, s := range services {
		for _, dep := range s.DependsOn {
			dependants[dep] = append(dependants[dep], s.Name)
		}
	}
	height := map[string]int{}
	var heightOf func(string) int
	heightOf = func(name string) int {
		if h, ok := height[name]; ok {
			return h
		}
		h := 1
		for _, d := range dependants[name] {
			h = max(h, heightOf(d)+1)
		}
		height[name] = h
		return h
	}
	sort.SliceStable(services, func(i, j int) bool { return heightOf(services[i].Name) > heightOf(services[j].Name) })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
