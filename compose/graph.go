package compose

import "sort"

// Gate is one compose depends_on entry: the dependent waits until Service reached Condition
// (ConditionStarted, ConditionHealthy or ConditionCompleted).
type Gate struct {
	Service   string `json:"service"`
	Condition string `json:"condition"`
}

// Gates are s's depends_on entries as gates, sorted by service; a sidekick stands for its primary (the
// Rancher service it runs in). Engine-neutral: any engine orders and waits by them.
func (p *Project) Gates(s *Service) []Gate {
	byService := map[string]string{}
	for _, dep := range s.Compose.DependsOn {
		target := dep
		if t := p.Service(dep); t != nil && t.IsSidekick() {
			target = t.SidekickOf
		}
		if t := p.Service(target); t == nil || target == s.Name {
			continue
		}
		if c := s.Condition(dep); byService[target] == "" || strength(c) > strength(byService[target]) {
			byService[target] = c
		}
	}
	out := make([]Gate, 0, len(byService))
	for name, c := range byService {
		out = append(out, Gate{Service: name, Condition: c})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Service < out[j].Service })
	if len(out) == 0 {
		return nil
	}
	return out
}

// strength orders conditions, so two entries on one Rancher service keep the stricter.
func strength(c string) int {
	switch c {
	case ConditionCompleted:
		return 2
	case ConditionHealthy:
		return 1
	}
	return 0
}

// Waves groups services into waves: wave 1 waits for nothing, and every other service is one wave after
// the latest one it depends on (deps: links and depends_on together; names outside names are ignored, and
// an edge closing a cycle counts for nothing). The services of one wave are independent and can run in
// parallel. Engine-neutral: the Rancher planner and any other engine use it.
func Waves(names []string, deps map[string][]string) [][]string {
	known := map[string]bool{}
	for _, n := range names {
		known[n] = true
	}
	wave := map[string]int{}
	visiting := map[string]bool{}
	var level func(string) int
	level = func(n string) int {
		if w, ok := wave[n]; ok {
			return w
		}
		if visiting[n] {
			return 0
		}
		visiting[n] = true
		w := 1
		for _, d := range deps[n] {
			if known[d] && d != n {
				if l := level(d) + 1; l > w {
					w = l
				}
			}
		}
		visiting[n] = false
		wave[n] = w
		return w
	}
	var out [][]string
	for _, n := range names {
		w := level(n)
		for len(out) < w {
			out = append(out, nil)
		}
		out[w-1] = append(out[w-1], n)
	}
	for _, names := range out {
		sort.Strings(names)
	}
	return out
}

// Orphans are the live services of a stack that the project defines nowhere: not among its services, nor
// among those its profiles disabled. Sorted. It is engine-neutral: live is whatever the engine lists.
func (p *Project) Orphans(live []string) []string {
	defined := map[string]bool{}
	for _, s := range p.Services {
		defined[s.Name] = true
	}
	for _, n := range p.Disabled {
		defined[n] = true
	}
	var out []string
	for _, n := range live {
		if !defined[n] {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}
