package swarm

import (
	"context"
	"fmt"
	"strings"

	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// Gate is one depends_on entry (compose.Gate).
type Gate = compose.Gate

// orderPlan copies each planned service's edges (links and depends_on) and gates onto its plan, keeping
// only those on other planned services, and numbers the waves when there are edges. create starts
// nothing, so its gates only order creations (every condition becomes service_started).
func orderPlan(p *Plan, createOnly bool) {
	planned := map[string]bool{}
	for _, sp := range p.Services {
		planned[sp.Name] = true
	}
	edges := false
	for _, sp := range p.Services {
		if sp.Desired == nil {
			continue
		}
		for _, n := range sp.Desired.Needs {
			if planned[n] && n != sp.Name {
				sp.DependsOn = append(sp.DependsOn, n)
			}
		}
		for _, g := range sp.Desired.Gates {
			if !planned[g.Service] {
				continue
			}
			if createOnly {
				g.Condition = compose.ConditionStarted
			}
			sp.Gates = append(sp.Gates, g)
			if !containsName(sp.DependsOn, g.Service) {
				sp.DependsOn = append(sp.DependsOn, g.Service)
			}
		}
		edges = edges || len(sp.DependsOn) > 0
	}
	if !edges {
		return
	}
	for i, names := range p.Waves() {
		for _, n := range names {
			p.service(n).Wave = i + 1
		}
	}
}

// Waves groups the plan's services into waves (compose.Waves): each after the one before, a wave's
// services in parallel.
func (p *Plan) Waves() [][]string {
	deps := map[string][]string{}
	names := make([]string, 0, len(p.Services))
	for _, sp := range p.Services {
		names = append(names, sp.Name)
		deps[sp.Name] = sp.DependsOn
	}
	return compose.Waves(names, deps)
}

func (p *Plan) service(name string) *ServicePlan {
	for _, sp := range p.Services {
		if sp.Name == name {
			return sp
		}
	}
	return nil
}

// wavesText is the --dry-run line listing the waves, when the plan has edges.
func (p *Plan) wavesText() string {
	if !p.hasWaves() {
		return ""
	}
	var parts []string
	for i, names := range p.Waves() {
		parts = append(parts, fmt.Sprintf("%d: %s", i+1, strings.Join(names, ", ")))
	}
	return "  waves (each after the one before; a wave's services in parallel): " + strings.Join(parts, " | ") + "\n"
}

func (p *Plan) hasWaves() bool {
	for _, sp := range p.Services {
		if sp.Wave > 0 {
			return true
		}
	}
	return false
}

// GateError is why a service was not attempted: a dependency did not reach its depends_on condition.
// Nothing was sent for the service (exit 1, as on Rancher).
type GateError struct {
	Service, Dependency, Condition string
	Err                            error
}

func (e *GateError) Error() string {
	return fmt.Sprintf("not attempted: %s did not reach %s: %v", e.Dependency, e.Condition, e.Err)
}

// Unwrap returns why the dependency failed.
func (e *GateError) Unwrap() error { return e.Err }

// ExitCode is 1: the deploy failed, this service was left untouched.
func (e *GateError) ExitCode() int { return exitFailed }

// awaitDependencies waits until every service sp depends on is done, then checks its gates: the
// dependency's own steps succeeded, and it is healthy (service_healthy) or has a task that exited 0
// (service_completed_successfully). The first gate that fails is returned as a *GateError.
func (x *Executor) awaitDependencies(ctx context.Context, sp *ServicePlan, plans map[string]*ServicePlan,
	results map[string]*ServiceResult, done map[string]chan struct{}) error {
	for _, dep := range sp.DependsOn {
		if containsGate(sp.Gates, dep) {
			x.Progress.Emit(sp.Name, progress.Working, fmt.Sprintf("waiting for %s (%s)", dep, gateOf(sp.Gates, dep)))
		}
		select {
		case <-done[dep]:
		case <-ctx.Done():
			return &GateError{Service: sp.Name, Dependency: dep, Condition: gateOf(sp.Gates, dep), Err: ctx.Err()}
		}
	}
	for _, g := range sp.Gates {
		fail := func(err error) error {
			return &GateError{Service: sp.Name, Dependency: g.Service, Condition: g.Condition, Err: err}
		}
		if err := results[g.Service].err; err != nil {
			return fail(err)
		}
		var err error
		switch g.Condition {
		case compose.ConditionHealthy:
			err = x.awaitHealthy(ctx, plans[g.Service])
		case compose.ConditionCompleted:
			err = x.awaitCompleted(ctx, plans[g.Service])
		}
		if err != nil {
			return fail(err)
		}
	}
	return nil
}

// awaitHealthy waits until the dependency's tasks all run (and pass their health check, which Swarm
// requires before it calls a task running).
func (x *Executor) awaitHealthy(ctx context.Context, dep *ServicePlan) error {
	svc, err := x.Client.Service(ctx, dep.FullName)
	if err != nil {
		return fmt.Errorf("reading %s: %w", dep.FullName, err)
	}
	return x.waitConverged(ctx, dep.Name, svc.ID, x.daemonNow())
}

// awaitCompleted waits until the dependency's newest task exited 0; a failed one is an error.
func (x *Executor) awaitCompleted(ctx context.Context, dep *ServicePlan) error {
	svc, err := x.Client.Service(ctx, dep.FullName)
	if err != nil {
		return fmt.Errorf("reading %s: %w", dep.FullName, err)
	}
	for {
		tasks, err := x.Client.Tasks(ctx, svc.ID)
		if err != nil {
			return fmt.Errorf("listing the tasks of %s: %w", dep.Name, err)
		}
		if t := newestTask(tasks); t != nil {
			switch t.Status.State {
			case swarmtypes.TaskStateComplete:
				return nil
			case swarmtypes.TaskStateFailed, swarmtypes.TaskStateRejected:
				return fmt.Errorf("task %s %s: %s", shortID(t.ID), t.Status.State, exitText(*t))
			}
		}
		if err := x.sleep(ctx); err != nil {
			return x.stuck(ctx, dep.Name, svc.ID, err)
		}
	}
}

func exitText(t swarmtypes.Task) string {
	s := t.Status.Err
	if cs := t.Status.ContainerStatus; cs != nil && cs.ExitCode != 0 {
		s = fmt.Sprintf("exit %d %s", cs.ExitCode, s)
	}
	return strings.TrimSpace(s)
}

func containsGate(gates []compose.Gate, service string) bool { return gateOf(gates, service) != "" }

func gateOf(gates []compose.Gate, service string) string {
	for _, g := range gates {
		if g.Service == service {
			return g.Condition
		}
	}
	return ""
}
