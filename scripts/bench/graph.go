package main

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// graph is a project's dependency graph: each service and the project services it links to or depends on.
type graph map[string][]string

// readGraph reads the link graph of a compose file on its own (links and depends_on; external_links are
// other stacks and do not order this deploy), so the minimum does not trust the tool under test.
func readGraph(file string) (graph, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Services map[string]struct {
			Links     []string  `yaml:"links"`
			DependsOn yaml.Node `yaml:"depends_on"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	g := graph{}
	for name, s := range doc.Services {
		deps := []string{}
		for _, l := range s.Links {
			target, _, _ := strings.Cut(l, ":")
			deps = append(deps, target)
		}
		deps = append(deps, dependsOn(&s.DependsOn)...)
		g[name] = deps
	}
	for name, deps := range g {
		var kept []string
		for _, d := range deps {
			if _, ok := g[d]; ok && d != name && !contains(kept, d) {
				kept = append(kept, d)
			}
		}
		sort.Strings(kept)
		g[name] = kept
	}
	return g, nil
}

// dependsOn reads depends_on in its list or map form.
func dependsOn(n *yaml.Node) []string {
	var out []string
	switch n.Kind {
	case yaml.SequenceNode:
		for _, c := range n.Content {
			out = append(out, c.Value)
		}
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			out = append(out, n.Content[i].Value)
		}
	}
	return out
}

// criticalChain returns the longest chain of services (dependencies first) in the graph; an edge that
// closes a cycle is ignored, as the deploy engine breaks cycles too. Among chains of equal length, the one
// ending at the service that later(a, b) prefers wins (nil: the first name in order).
func (g graph) criticalChain(later func(a, b string) bool) []string {
	memo := map[string][]string{}
	visiting := map[string]bool{}
	var longest func(string) []string
	longest = func(n string) []string {
		if c, ok := memo[n]; ok {
			return c
		}
		visiting[n] = true
		var best []string
		for _, d := range g[n] {
			if visiting[d] {
				continue
			}
			if c := longest(d); len(c) > len(best) {
				best = c
			}
		}
		visiting[n] = false
		chain := append(append([]string{}, best...), n)
		memo[n] = chain
		return chain
	}
	var best []string
	for _, n := range g.names() {
		c := longest(n)
		if len(c) > len(best) || (len(c) == len(best) && later != nil && later(n, best[len(best)-1])) {
			best = c
		}
	}
	return best
}

func (g graph) names() []string {
	out := make([]string, 0, len(g))
	for n := range g {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// longestPath is the heaviest chain of the graph when each service costs weight(name) and waits for the
// services it links to (cycles are cut where they close).
func (g graph) longestPath(weight func(name string) time.Duration) time.Duration {
	memo := map[string]time.Duration{}
	onPath := map[string]bool{}
	var cost func(n string) time.Duration
	cost = func(n string) time.Duration {
		if d, ok := memo[n]; ok {
			return d
		}
		onPath[n] = true
		var deps time.Duration
		for _, t := range g[n] {
			if !onPath[t] {
				deps = max(deps, cost(t))
			}
		}
		onPath[n] = false
		memo[n] = deps + weight(n)
		return memo[n]
	}
	var best time.Duration
	for n := range g {
		best = max(best, cost(n))
	}
	return best
}
