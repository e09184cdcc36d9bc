package compose

import (
	"strings"
)

// checkGateCycles reports cycles that mix depends_on with links or load-balancer targets: a depends_on
// dependency is waited for before its dependent is even created, while a link needs its target created,
// so no order satisfies such a cycle (pure link cycles stay allowed; pure depends_on cycles are
// checkDependsOnCycles'). Sidekicks stand for their primary.
func checkGateCycles(p *Project, byName map[string]*Service, diags *diagnostics) {
	primary := func(name string) string {
		if s := byName[name]; s != nil && s.SidekickOf != "" {
			return s.SidekickOf
		}
		return name
	}
	type edge struct {
		to     string
		gate   bool
		linkOf string
	}
	graph := map[string][]edge{}
	for _, s := range p.Services {
		from := primary(s.Name)
		for _, d := range s.Compose.DependsOn {
			if byName[d] != nil {
				graph[from] = append(graph[from], edge{to: primary(d), gate: true})
			}
		}
		for _, l := range s.Compose.Links {
			if t := trimLinkName(l); byName[t] != nil {
				graph[from] = append(graph[from], edge{to: primary(t)})
			}
		}
		if s.Rancher != nil && s.Rancher.LBConfig != nil {
			for _, r := range s.Rancher.LBConfig.PortRules {
				if byName[r.Service] != nil {
					graph[from] = append(graph[from], edge{to: primary(r.Service)})
				}
			}
		}
	}
	reported := map[string]bool{}
	for _, s := range p.Services {
		for i, d := range s.Compose.DependsOn {
			if byName[d] == nil {
				continue
			}
			from, to := primary(s.Name), primary(d)
			path, mixed := shortestPath(to, from, func(n string) []edge { return graph[n] }, func(e edge) (string, bool) { return e.to, e.gate })
			if path == nil || !mixed {
				continue
			}
			cycle := append([]string{from}, path...)
			key := cycleKey(cycle[:len(cycle)-1])
			if reported[key] {
				continue
			}
			reported[key] = true
			pos := s.refPos(indexPath("depends_on", i))
			if q, ok := s.refs["depends_on."+d]; ok {
				pos = q
			}
			diags.errorf(pos, indexPath(serviceRef(s)+".depends_on", i),
				"dependency cycle: %s (depends_on together with links or load-balancer targets: no order can create these services)", strings.Join(cycle, " -> "))
		}
	}
}

// shortestPath finds the shortest path from start to goal (breadth first) and tells whether it uses an
// edge that is not a gate. The path lists the nodes after start, goal last; nil when there is none.
func shortestPath[E any](start, goal string, edges func(string) []E, follow func(E) (string, bool)) ([]string, bool) {
	type step struct {
		prev  string
		link  bool
		known bool
	}
	seen := map[string]step{start: {known: true}}
	queue := []string{start}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if n == goal {
			var path []string
			mixed := false
			for cur := goal; ; cur = seen[cur].prev {
				path = append([]string{cur}, path...)
				mixed = mixed || seen[cur].link
				if cur == start {
					break
				}
			}
			return path, mixed
		}
		for _, e := range edges(n) {
			to, gate := follow(e)
			if !seen[to].known {
				seen[to] = step{prev: n, link: !gate, known: true}
				queue = append(queue, to)
			}
		}
	}
	return nil, false
}

// cycleKey names a cycle independently of where it starts.
func cycleKey(nodes []string) string {
	best := 0
	for i := range nodes {
		if nodes[i] < nodes[best] {
			best = i
		}
	}
	return strings.Join(append(append([]string{}, nodes[best:]...), nodes[:best]...), ",")
}
