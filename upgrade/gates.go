package upgrade

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// Gate is one compose depends_on entry: the dependent waits until Service reached Condition
// (compose.ConditionStarted, ConditionHealthy or ConditionCompleted).
type Gate struct {
	Service   string `json:"service"`
	Condition string `json:"condition"`
}

// GatesOf are s's depends_on entries as gates, sorted by service; a sidekick stands for its primary (the
// Rancher service it runs in). Engine-neutral: any engine orders and waits by them.
func GatesOf(p *compose.Project, s *compose.Service) []Gate {
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

const startOnceLabel = "io.rancher.container.start_once"

// startOnce tells whether a launch config is a start-once job.
func startOnce(lc map[string]any) bool {
	labels, _ := lc["labels"].(map[string]any)
	if labels == nil {
		if l, ok := lc["labels"].(map[string]string); ok {
			return l[startOnceLabel] == "true"
		}
		return false
	}
	return fmt.Sprint(labels[startOnceLabel]) == "true"
}

// strength orders conditions, so two entries on one Rancher service keep the stricter.
func strength(c string) int {
	switch c {
	case compose.ConditionCompleted:
		return 2
	case compose.ConditionHealthy:
		return 1
	}
	return 0
}

// Waves groups a plan's services into waves (see WavesOf), from the dependencies orderPlan kept.
func Waves(plan *Plan) [][]string {
	deps := map[string][]string{}
	names := make([]string, 0, len(plan.Services))
	for _, sp := range plan.Services {
		names = append(names, sp.Name)
		deps[sp.Name] = sp.DependsOn
	}
	return WavesOf(names, deps)
}

// WavesOf groups services into waves: wave 1 waits for nothing, and every other service is one wave after
// the latest one it depends on (deps: links and depends_on together; names outside names are ignored, and
// an edge closing a cycle counts for nothing). The services of one wave are independent and can run in
// parallel. Engine-neutral: the Rancher planner and any other engine use it.
func WavesOf(names []string, deps map[string][]string) [][]string {
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

// gatePlan copies each service's gates on planned services into its plan and, when the plan has any,
// numbers the waves (shown by --dry-run).
func gatePlan(plan *Plan) {
	any := false
	for _, sp := range plan.Services {
		sp.Gates = nil
		if sp.desired == nil {
			continue
		}
		for _, g := range sp.desired.Gates {
			dep := plan.Service(g.Service)
			if dep == nil {
				continue
			}
			sp.Gates = append(sp.Gates, g)
			any = true
			if g.Condition == compose.ConditionCompleted && dep.desired != nil && !startOnce(dep.desired.LaunchConfig) {
				sp.Warnings = append(sp.Warnings, fmt.Sprintf("depends_on %s: %s, but %s is not a start-once job (label %s=true) and Rancher restarts it: it counts as completed once its containers run",
					g.Service, g.Condition, g.Service, startOnceLabel))
			}
		}
	}
	if !any {
		return
	}
	for i, names := range Waves(plan) {
		for _, n := range names {
			plan.Service(n).Wave = i + 1
		}
	}
}

// wavesText is the --dry-run line listing the waves, when the plan has gates.
func wavesText(plan *Plan) string {
	hasWaves := false
	for _, sp := range plan.Services {
		hasWaves = hasWaves || sp.Wave > 0
	}
	if !hasWaves {
		return ""
	}
	var parts []string
	for i, names := range Waves(plan) {
		parts = append(parts, fmt.Sprintf("%d: %s", i+1, strings.Join(names, ", ")))
	}
	return "Waves (each after the one before; a wave's services in parallel): " + strings.Join(parts, " | ") + "\n"
}

// GateError is why a service was not attempted: a dependency did not reach its depends_on condition.
type GateError struct {
	Service, Dependency, Condition string
	Err                            error
}

func (e *GateError) Error() string {
	return fmt.Sprintf("not attempted: %s did not reach %s: %v", e.Dependency, e.Condition, e.Err)
}

func (e *GateError) Unwrap() error { return e.Err }

// awaitGates waits until every gate of sp is met: its dependency's own steps are over and succeeded, and for
// service_healthy and service_completed_successfully its new containers are healthy (a start-once
// container: exited 0). The first gate that fails is returned as a *GateError.
func (x *executor) awaitGates(ctx context.Context, sp *ServicePlan, results map[string]*ServiceResult, done map[string]chan struct{}) error {
	for _, g := range sp.Gates {
		ch := done[g.Service]
		if ch == nil {
			continue
		}
		x.em.Emit(sp.Name, progress.Working, fmt.Sprintf("waiting for %s (%s)", g.Service, g.Condition))
		select {
		case <-ch:
		case <-ctx.Done():
			return &GateError{Service: sp.Name, Dependency: g.Service, Condition: g.Condition, Err: ctx.Err()}
		}
		if err := results[g.Service].err; err != nil {
			return &GateError{Service: sp.Name, Dependency: g.Service, Condition: g.Condition, Err: err}
		}
		if g.Condition == compose.ConditionStarted {
			continue
		}
		id := x.id(g.Service)
		if id == "" {
			return &GateError{Service: sp.Name, Dependency: g.Service, Condition: g.Condition, Err: fmt.Errorf("%s does not exist", g.Service)}
		}
		if _, err := x.health.Healthy(ctx, id); err != nil {
			return &GateError{Service: sp.Name, Dependency: g.Service, Condition: g.Condition, Err: err}
		}
	}
	return nil
}

// createOnlyGates turns every gate into service_started for `create`, which starts nothing: a dependency
// is created first, but no health or completion is waited for.
func createOnlyGates(plan *Plan) {
	for _, sp := range plan.Services {
		for i := range sp.Gates {
			sp.Gates[i].Condition = compose.ConditionStarted
		}
	}
}
