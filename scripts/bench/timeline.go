package main

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// serviceTimes is when the simulator saw a service's containers created (its activation was applied)
// and when the last of them was running (the service turned active right then).
type serviceTimes struct {
	activated, running time.Time
}

// timesOf reads every service of the stack from the simulator's container histories.
func timesOf(s *sim.Server, stack string) map[string]serviceTimes {
	out := map[string]serviceTimes{}
	for _, svc := range s.Services(stack) {
		var t serviceTimes
		for _, c := range s.Containers(svc.ID) {
			if len(c.History) == 0 {
				continue
			}
			if first := c.History[0].At; t.activated.IsZero() || first.Before(t.activated) {
				t.activated = first
			}
			for _, h := range c.History {
				if h.State == "running" {
					if h.At.After(t.running) {
						t.running = h.At
					}
					break
				}
			}
		}
		out[svc.Name] = t
	}
	return out
}

// chainReport shows, along the critical chain, when each service was activated and running, and the
// gap between a dependency running and its consumer's activation: time the client spent noticing
// (polling back-off) and sending the requests in between.
func chainReport(chain []string, g graph, times map[string]serviceTimes, start, end time.Time) string {
	var b strings.Builder
	var ready time.Time
	for i, n := range chain {
		t := times[n]
		if i > 0 {
			ready = time.Time{}
			for _, d := range g[n] {
				if r := times[d].running; r.After(ready) {
					ready = r
				}
			}
			fmt.Fprintf(&b, " → ")
		}
		gap := ""
		if !ready.IsZero() {
			gap = fmt.Sprintf(", %v after its links ran", ms(t.activated.Sub(ready)))
		} else {
			gap = fmt.Sprintf(", %v after start", ms(t.activated.Sub(start)))
		}
		fmt.Fprintf(&b, "%s [activated +%v%s; running +%v]", n, ms(t.activated.Sub(start)), gap, ms(t.running.Sub(start)))
	}
	last := time.Time{}
	for _, t := range times {
		if t.running.After(last) {
			last = t.running
		}
	}
	fmt.Fprintf(&b, "; last container running +%v, client returned +%v (%v later)", ms(last.Sub(start)), ms(end.Sub(start)), ms(end.Sub(last)))
	return b.String()
}

// lastPath is the path the wall actually followed: from the service whose containers ran last, back
// through the dependency of each that ran last, to one without dependencies (first service first).
func lastPath(g graph, times map[string]serviceTimes) []string {
	last := ""
	for n, t := range times {
		if last == "" || t.running.After(times[last].running) {
			last = n
		}
	}
	var path []string
	seen := map[string]bool{}
	for n := last; n != "" && !seen[n]; {
		seen[n] = true
		path = append([]string{n}, path...)
		next := ""
		for _, d := range g[n] {
			if next == "" || times[d].running.After(times[next].running) {
				next = d
			}
		}
		n = next
	}
	return path
}

// phases gives the time of the first and last request of some kinds, relative to start.
func phases(reqs []request, start time.Time) string {
	first, last := map[string]time.Time{}, map[string]time.Time{}
	for _, r := range reqs {
		k := kindOf(r)
		if _, ok := first[k]; !ok {
			first[k] = r.at
		}
		last[k] = r.at
	}
	var parts []string
	for _, k := range []string{"create service", "activate", "set links", "upgrade"} {
		if f, ok := first[k]; ok {
			parts = append(parts, fmt.Sprintf("%s +%v…+%v", k, ms(f.Sub(start)), ms(last[k].Sub(start))))
		}
	}
	return strings.Join(parts, ", ")
}

// kindOf classifies a request for the breakdown.
func kindOf(r request) string {
	p, q, _ := strings.Cut(r.path, "?")
	p = strings.TrimSuffix(p, "/")
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if i := strings.Index(q, "action="); i >= 0 {
		a, _, _ := strings.Cut(q[i+len("action="):], "&")
		if a == "setservicelinks" {
			return "set links"
		}
		return a
	}
	last := segs[len(segs)-1]
	switch {
	case strings.HasSuffix(p, "/scripts/transform"):
		return "transform"
	case len(segs) >= 2 && segs[len(segs)-2] == "services" && r.method == "GET":
		return "poll service"
	case last == "services" && r.method == "POST":
		return "create service"
	case last == "services":
		return "list services"
	case strings.Contains(p, "/stacks"):
		return strings.ToLower(r.method) + " stack"
	case strings.Contains(p, "/containers") || strings.Contains(p, "/instances"):
		return "containers"
	}
	return "api/schemas/settings"
}

// breakdown counts requests per kind, most frequent first.
func breakdown(reqs []request) string {
	n := map[string]int{}
	for _, r := range reqs {
		n[kindOf(r)]++
	}
	keys := sortedKeys(n)
	sort.SliceStable(keys, func(i, j int) bool { return n[keys[i]] > n[keys[j]] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, n[k]))
	}
	return strings.Join(parts, ", ")
}

// dump prints every request with its answer time since start (-v).
func dump(reqs []request, start time.Time, names map[string]string) {
	if !verbose {
		return
	}
	for _, r := range reqs {
		took := ""
		if r.took > 0 {
			took = fmt.Sprintf("(%v) ", ms(r.took))
		}
		fmt.Printf("    +%-8v %s%-6s %s%s\n", ms(r.at.Sub(start)), took, r.method, r.path, nameOf(r.path, names))
	}
}

// nameOf is " (name)" when the path reads or changes one service of names (id → name), else "".
func nameOf(path string, names map[string]string) string {
	rest, ok := strings.CutPrefix(path, "/v2-beta/services/")
	if !ok {
		return ""
	}
	id, _, _ := strings.Cut(rest, "?")
	id, _, _ = strings.Cut(id, "/")
	if n := names[id]; n != "" {
		return " (" + n + ")"
	}
	return ""
}

// overhead splits the wall time along the critical chain into the stretches the minimum accounts for and
// says, for each, what the simulator requires at least.
func overhead(m model, reqs []request, chain []string, g graph, times map[string]serviceTimes, start, end time.Time) string {
	var firstCreate time.Time
	for _, r := range reqs {
		if kindOf(r) == "create service" {
			firstCreate = r.at
			break
		}
	}
	if firstCreate.IsZero() || len(chain) == 0 {
		return "n/a"
	}
	var gaps, active time.Duration
	for _, n := range chain {
		active += times[n].running.Sub(times[n].activated)
	}
	for _, n := range chain[1:] {
		var ready time.Time
		for _, d := range g[n] {
			if r := times[d].running; r.After(ready) {
				ready = r
			}
		}
		gaps += times[n].activated.Sub(ready)
	}
	var last time.Time
	for _, t := range times {
		if t.running.After(last) {
			last = t.running
		}
	}
	first := times[chain[0]].activated
	return fmt.Sprintf("until the first create answered %v (min 3L=%v: stack lookup, stack create, create); "+
		"then until the first activation applied %v (min S+L=%v); activations along the chain %v in all "+
		"(min 3S each = %v); the %d hops between a service running and its consumer's activation %v in all "+
		"(min L each = %v); after the last container ran %v (min 0)",
		ms(firstCreate.Sub(start)), 3*m.L, ms(first.Sub(firstCreate)), m.S+m.L,
		ms(active), time.Duration(len(chain))*3*m.S, len(chain)-1, ms(gaps), time.Duration(len(chain)-1)*m.L, ms(end.Sub(last)))
}
