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

// Waves assigns each planned service its wave: 1 for a service that waits for no other planned service,
// else one more than the latest wave it waits for (links and depends_on together, cycles already broken
// by orderPlan). Services of one wave are independent and run in parallel. plan.Services must be ordered.
func Waves(plan *Plan) [][]string {
	wave := map[string]int{}
	var out [][]string
	for _, sp := range plan.Services {
		w := 1
		for _, d := range sp.DependsOn {
			if wave[d] >= w {
				w = wave[d] + 1
			}
		}
		wave[sp.Name] = w
		for len(out) < w {
			out = append(out, nil)
		}
		out[w-1] = append(out[w-1], sp.Name)
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
			if plan.Service(g.Service) != nil {
				sp.Gates = append(sp.Gates, g)
				any = true
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
