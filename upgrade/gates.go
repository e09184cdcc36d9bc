package upgrade

import (
	"context"
	"fmt"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// Gate is one compose depends_on entry (compose.Gate).
type Gate = compose.Gate

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

// Waves groups a plan's services into waves (see WavesOf), from the dependencies orderPlan kept.
func Waves(plan *Plan) [][]string {
	deps := map[string][]string{}
	names := make([]string, 0, len(plan.Services))
	for _, sp := range plan.Services {
		names = append(names, sp.Name)
		deps[sp.Name] = sp.DependsOn
	}
	return compose.Waves(names, deps)
}

// gatePlan copies each service's gates on planned services into its plan and, when the plan has any,
// numbers the waves (shown by --dry-run).
func gatePlan(plan *Plan) {
	gated := false
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
			gated = true
			if g.Condition == compose.ConditionCompleted && dep.desired != nil && !startOnce(dep.desired.LaunchConfig) {
				sp.Warnings = append(sp.Warnings, fmt.Sprintf("depends_on %s: %s, but %s is not a start-once job (label %s=true) and Rancher restarts it: it counts as completed once its containers run",
					g.Service, g.Condition, g.Service, startOnceLabel))
			}
		}
	}
	if !gated {
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
