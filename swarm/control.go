package swarm

import (
	"context"
	"fmt"
	"strconv"

	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// LabelStoppedReplicas records the replica count of a stopped service (stop scales to 0; start restores it).
const LabelStoppedReplicas = "io.rancher-compose.stopped-replicas"

// Steps of the lifecycle commands.
const (
	StepStop    StepKind = "stop"    // scale to 0, remembering the count
	StepStart   StepKind = "start"   // restore the count stop remembered
	StepRestart StepKind = "restart" // new tasks from the same spec, rolling as an upgrade does
)

// PlanStop plans stopping services: Swarm has no stopped service, so stop scales to 0 and remembers the count.
func PlanStop(stack string, obs Observed, names []string) (*Plan, error) {
	return planEach(stack, obs, names, func(sp *ServicePlan) {
		switch {
		case sp.Observed.Spec.Mode.Replicated == nil:
			sp.Steps, sp.Note = []StepKind{StepUnchanged}, "global service: Swarm cannot stop it without removing it"
		case sp.Replicas == 0:
			sp.Steps, sp.Note = []StepKind{StepUnchanged}, "already stopped"
		default:
			sp.Steps = []StepKind{StepStop}
		}
	})
}

// PlanStart plans starting services stop left at 0 replicas.
func PlanStart(stack string, obs Observed, names []string) (*Plan, error) {
	return planEach(stack, obs, names, func(sp *ServicePlan) {
		if _, ok := sp.Observed.Spec.Labels[LabelStoppedReplicas]; ok {
			sp.Steps = []StepKind{StepStart}
			return
		}
		sp.Steps, sp.Note = []StepKind{StepUnchanged}, "not stopped"
	})
}

// PlanRestart plans restarting every task of the services (a forced rolling update).
func PlanRestart(stack string, obs Observed, names []string) (*Plan, error) {
	return planEach(stack, obs, names, func(sp *ServicePlan) { sp.Steps = []StepKind{StepRestart} })
}

func (x *Executor) stopStart(ctx context.Context, sp *ServicePlan, sr *ServiceResult, stop bool) error {
	cur, err := x.Client.Service(ctx, sp.FullName)
	if err != nil {
		return fmt.Errorf("reading %s: %w", sp.FullName, err)
	}
	spec := cur.Spec
	labels := map[string]string{}
	for k, v := range spec.Labels {
		labels[k] = v
	}
	var n uint64
	if stop {
		labels[LabelStoppedReplicas] = strconv.FormatInt(currentReplicas(cur), 10)
		x.Progress.Emit(sp.Name, progress.Working, "Stopping (scale 0)")
	} else {
		n, err = strconv.ParseUint(labels[LabelStoppedReplicas], 10, 64)
		if err != nil {
			return fmt.Errorf("%s: label %s: %w", sp.FullName, LabelStoppedReplicas, err)
		}
		delete(labels, LabelStoppedReplicas)
		x.Progress.Emit(sp.Name, progress.Working, fmt.Sprintf("Starting (scale %d)", n))
	}
	spec.Labels = labels
	spec.Mode = swarmtypes.ServiceMode{Replicated: &swarmtypes.ReplicatedService{Replicas: &n}}
	ref := x.daemonNow()
	if _, err := x.Client.UpdateService(ctx, cur.ID, cur.Version.Index, spec); err != nil {
		return fmt.Errorf("updating %s: %w", sp.FullName, err)
	}
	sr.Changed = true
	if err := x.waitConverged(ctx, sp.Name, cur.ID, ref); err != nil {
		return err
	}
	x.Progress.Emit(sp.Name, progress.Done, map[bool]string{true: "Stopped", false: "Started"}[stop])
	return nil
}

func (x *Executor) restart(ctx context.Context, sp *ServicePlan, sr *ServiceResult) error {
	cur, err := x.Client.Service(ctx, sp.FullName)
	if err != nil {
		return fmt.Errorf("reading %s: %w", sp.FullName, err)
	}
	spec := cur.Spec
	spec.TaskTemplate.ForceUpdate++
	x.Progress.Emit(sp.Name, progress.Working, "Restarting")
	sent, err := x.update(ctx, sp, cur, spec)
	sr.Changed = sent
	if err != nil {
		return err
	}
	x.Progress.Emit(sp.Name, progress.Done, "Restarted")
	return nil
}
