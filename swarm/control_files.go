package swarm

import (
	"context"
	"fmt"
	"time"

	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// PlanStartProject plans start with the files at hand, as Rancher's start does: services stop left at 0
// replicas are started, services of the files the stack lacks are created (running), the others are left
// alone. names limits it (empty = every service of the files and of the stack).
func PlanStartProject(d *DesiredStack, obs Observed, names []string) (*Plan, error) {
	var existing []string
	for _, n := range names {
		if _, ok := obs.Services[n]; ok {
			existing = append(existing, n)
		} else if d.Service(n) == nil {
			return nil, &NotFoundError{Stack: d.Stack, Service: n}
		}
	}
	p := &Plan{Stack: d.Stack}
	if len(names) == 0 || len(existing) > 0 {
		var err error
		if p, err = PlanStart(d.Stack, obs, existing); err != nil {
			return nil, err
		}
	}
	p.Network, p.CreateNetwork = d.Network, false
	want := selection(names)
	for _, ds := range d.Services {
		if _, ok := obs.Services[ds.Name]; ok || !want(ds.Name) {
			continue
		}
		p.Services = append(p.Services, &ServicePlan{Name: ds.Name, FullName: ds.Spec.Name, Desired: ds,
			Replicas: ds.Replicas(), Steps: []StepKind{StepCreate}, Note: "missing: created"})
		p.CreateNetwork = !hasNetwork(obs.Networks, d.Network)
	}
	for _, n := range d.ExternalNetworks {
		if p.CreateNetwork && !hasNetwork(obs.Networks, n) {
			p.MissingNetworks = append(p.MissingNetworks, n)
		}
	}
	orderPlan(p, false)
	return p, nil
}

// PlanRestartInBatches plans restarting every task of the services batch tasks at a time with interval
// between batches (restart --batch-size / --interval); the services' own update settings come back after.
func PlanRestartInBatches(stack string, obs Observed, names []string, batch int64, interval time.Duration) (*Plan, error) {
	p, err := PlanRestart(stack, obs, names)
	if err != nil {
		return nil, err
	}
	if batch < 1 {
		return nil, fmt.Errorf("--batch-size must be at least 1, got %d", batch)
	}
	for _, sp := range p.Services {
		sp.Batch, sp.Interval = uint64(batch), interval
		sp.Note = fmt.Sprintf("%d task(s) at a time, %s apart", batch, interval)
	}
	return p, nil
}

// restartInBatches is a forced rolling update with the batch and interval of restart's flags, then a
// label-only update (no task restarts) that puts the service's own update settings back.
func (x *Executor) restartInBatches(ctx context.Context, sp *ServicePlan, sr *ServiceResult) error {
	cur, err := x.Client.Service(ctx, sp.FullName)
	if err != nil {
		return fmt.Errorf("reading %s: %w", sp.FullName, err)
	}
	own := cur.Spec.UpdateConfig
	spec := cur.Spec
	uc := swarmtypes.UpdateConfig{FailureAction: swarmtypes.UpdateFailureActionPause, Order: swarmtypes.UpdateOrderStopFirst}
	if own != nil {
		uc = *own
	}
	uc.Parallelism, uc.Delay = sp.Batch, sp.Interval
	spec.UpdateConfig = &uc
	spec.TaskTemplate.ForceUpdate++
	x.Progress.Emit(sp.Name, progress.Working, fmt.Sprintf("Restarting %d task(s) at a time, %s apart", sp.Batch, sp.Interval))
	sent, err := x.update(ctx, sp, cur, spec)
	sr.Changed = sent
	if sent {
		if rerr := x.restoreUpdateConfig(ctx, sp, own); rerr != nil && err == nil {
			err = rerr
		}
	}
	if err != nil {
		return err
	}
	x.Progress.Emit(sp.Name, progress.Done, "Restarted")
	return nil
}

func (x *Executor) restoreUpdateConfig(ctx context.Context, sp *ServicePlan, own *swarmtypes.UpdateConfig) error {
	ctx = context.WithoutCancel(ctx) // the service must not keep restart's settings after an interruption
	cur, err := x.Client.Service(ctx, sp.FullName)
	if err != nil {
		return fmt.Errorf("reading %s: %w", sp.FullName, err)
	}
	spec := cur.Spec
	spec.UpdateConfig = own
	if _, err := x.Client.UpdateService(ctx, cur.ID, cur.Version.Index, spec); err != nil {
		return fmt.Errorf("restoring the update settings of %s: %w", sp.FullName, err)
	}
	return nil
}
