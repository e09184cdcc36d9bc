package swarm

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/network"
	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// Executor carries out a Plan. It decides nothing the plan did not say, except what only the run can tell:
// whether new tasks became healthy, and so (--atomic) whether to confirm or roll back.
type Executor struct {
	Client   *Client
	Progress progress.Emitter
	// Poll is the interval between reads while waiting (default 500ms).
	Poll time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Execute runs the plan: the stack network first, then every service in parallel, then (--atomic) the
// confirmation or rollback of all upgraded services together, then the networks to remove.
func (x *Executor) Execute(ctx context.Context, p *Plan) (*Result, error) {
	start := x.now()
	res := &Result{Stack: p.Stack, Engine: "swarm"}
	if len(p.MissingNetworks) > 0 {
		return res, &MappingError{Problems: []string{fmt.Sprintf("external_links need networks that do not exist: %v (deploy those stacks first)", p.MissingNetworks)}}
	}
	if p.CreateNetwork {
		if err := x.createNetwork(ctx, p); err != nil {
			return res, err
		}
		res.Changed = true
	}
	res.Orphans = p.Orphans
	if len(p.Orphans) > 0 && !removesOrphans(p) {
		x.Progress.Emit(p.Stack, progress.Warning, fmt.Sprintf("services in none of the files: %s (--remove-orphans removes them)", strings.Join(p.Orphans, ", ")))
	}
	res.Services = x.runServices(ctx, p)
	for _, sr := range res.Services {
		if sr.Action == string(StepRemove) && sr.err == nil && containsName(p.Orphans, sr.Name) {
			res.RemovedOrphans = append(res.RemovedOrphans, sr.Name)
		}
	}
	var err error
	if p.Atomic {
		err = x.settleAtomic(ctx, p, res)
	} else {
		err = collectErrors(res)
	}
	if rmErr := x.removeNetworks(ctx, p); rmErr != nil && err == nil {
		err = rmErr
	}
	for _, sr := range res.Services {
		res.Changed = res.Changed || sr.Changed
		res.RolledBack = res.RolledBack || sr.RolledBack
	}
	res.DurationMs = x.now().Sub(start).Milliseconds()
	return res, err
}

// runServices runs every service's steps, each as soon as the services it depends on (links and
// depends_on: the plan's waves) are done and its gates are met; independent services run in parallel.
func (x *Executor) runServices(ctx context.Context, p *Plan) []*ServiceResult {
	out := make([]*ServiceResult, len(p.Services))
	plans, results, done := map[string]*ServicePlan{}, map[string]*ServiceResult{}, map[string]chan struct{}{}
	for i, sp := range p.Services {
		out[i] = &ServiceResult{Name: sp.Name, Action: string(sp.Action()), Done: []StepKind{}}
		if sp.Observed != nil {
			out[i].OldImage = imageOf(sp.Observed.Spec)
		}
		plans[sp.Name], results[sp.Name], done[sp.Name] = sp, out[i], make(chan struct{})
	}
	var wg sync.WaitGroup
	for i, sp := range p.Services {
		wg.Add(1)
		go func(sp *ServicePlan, sr *ServiceResult) {
			defer wg.Done()
			defer close(done[sp.Name])
			if err := x.awaitDependencies(ctx, sp, plans, results, done); err != nil {
				sr.err, sr.NotAttempted, sr.Error = err, true, err.Error()
				x.Progress.Emit(sp.Name, progress.Error, sr.Error)
				return
			}
			began := x.now()
			sr.err = x.runSteps(ctx, p, sp, sr)
			if sr.err != nil {
				sr.Error = sr.err.Error()
				var h *HealthError
				if errors.As(sr.err, &h) {
					sr.Health = h.LastHealth
				}
				x.Progress.Emit(sp.Name, progress.Error, sr.Error)
			}
			sr.DurationMs = x.now().Sub(began).Milliseconds()
		}(sp, out[i])
	}
	wg.Wait()
	return out
}

func (x *Executor) runSteps(ctx context.Context, p *Plan, sp *ServicePlan, sr *ServiceResult) error {
	for _, st := range sp.Steps {
		if st == StepConfirm && p.Atomic {
			continue // confirmed together with the others once all are healthy
		}
		if err := x.step(ctx, p, sp, sr, st); err != nil {
			return err
		}
		sr.Done = append(sr.Done, st)
	}
	return nil
}

func (x *Executor) step(ctx context.Context, p *Plan, sp *ServicePlan, sr *ServiceResult, st StepKind) error {
	switch st {
	case StepCreate:
		return x.create(ctx, sp, sr)
	case StepUpgrade:
		return x.upgrade(ctx, p, sp, sr)
	case StepConfirm:
		return x.confirm(ctx, sp, sr)
	case StepRollback:
		return x.rollback(ctx, sp, sr)
	case StepScale:
		return x.scale(ctx, sp, sr)
	case StepRemove:
		return x.remove(ctx, sp, sr)
	case StepStop, StepStart:
		return x.stopStart(ctx, sp, sr, st == StepStop)
	case StepRestart:
		if sp.Batch > 0 {
			return x.restartInBatches(ctx, sp, sr)
		}
		return x.restart(ctx, sp, sr)
	case StepOutOfSync:
		x.Progress.Emit(sp.Name, progress.Warning, "Out of sync with the files; run up --upgrade to apply")
		return nil
	case StepUnchanged:
		if sp.Note != "" {
			x.Progress.Emit(sp.Name, progress.Info, sp.Note)
		}
		return nil
	}
	return fmt.Errorf("unknown step %q", st)
}

func (x *Executor) createNetwork(ctx context.Context, p *Plan) error {
	x.Progress.Emit(p.Stack, progress.Working, "Creating network "+p.Network)
	_, err := x.Client.CreateNetwork(ctx, network.CreateRequest{Name: p.Network, Driver: "overlay", Attachable: true,
		Labels: map[string]string{LabelNamespace: p.Stack}})
	if err != nil {
		return fmt.Errorf("creating network %s: %w", p.Network, err)
	}
	x.Progress.Emit(p.Stack, progress.Done, "Created network "+p.Network)
	return nil
}

func (x *Executor) create(ctx context.Context, sp *ServicePlan, sr *ServiceResult) error {
	d := sp.Desired
	spec := withRecords(d.Spec, d.Hash, StateConfirmed, d.Spec, d.Hash)
	if sp.Stopped {
		zero := uint64(0)
		spec.Labels[LabelStoppedReplicas] = fmt.Sprint(sp.Replicas)
		spec.Mode = swarmtypes.ServiceMode{Replicated: &swarmtypes.ReplicatedService{Replicas: &zero}}
	}
	x.Progress.Emit(sp.Name, progress.Working, "Creating "+sp.FullName)
	ref := x.daemonNow()
	id, err := x.Client.CreateService(ctx, spec)
	if err != nil {
		return fmt.Errorf("creating %s: %w", sp.FullName, err)
	}
	sr.Changed, sr.NewImage = true, imageOf(spec)
	if err := x.waitConverged(ctx, sp.Name, id, ref); err != nil {
		return err
	}
	sr.State = StateConfirmed
	x.Progress.Emit(sp.Name, progress.Done, "Created")
	return nil
}

func (x *Executor) upgrade(ctx context.Context, p *Plan, sp *ServicePlan, sr *ServiceResult) error {
	cur, err := x.Client.Service(ctx, sp.Observed.ID)
	if err != nil {
		return fmt.Errorf("reading %s: %w", sp.FullName, err)
	}
	d, rec := sp.Desired, sp.Record
	confirmed, confirmedHash := stripRecords(cur.Spec), "unrecorded"
	if rec.Confirmed != nil {
		confirmed, confirmedHash = *rec.Confirmed, rec.ConfirmedHash
	}
	next := d.Spec
	if !p.ApplyScale && cur.Spec.Mode.Replicated != nil && next.Mode.Replicated != nil {
		next.Mode = cur.Spec.Mode
	}
	next.TaskTemplate.ForceUpdate = cur.Spec.TaskTemplate.ForceUpdate
	if rec.Hash == d.Hash {
		next.TaskTemplate.ForceUpdate++ // --force-upgrade: new tasks from the same spec
	}
	spec := withRecords(next, d.Hash, StatePending, confirmed, confirmedHash)
	x.Progress.Emit(sp.Name, progress.Working, fmt.Sprintf("Upgrading %s to %s", sp.FullName, imageOf(spec)))
	sr.NewImage = imageOf(spec)
	sent, err := x.update(ctx, sp, cur, spec)
	if sent {
		sr.Changed, sr.upgraded, sr.State = true, true, StatePending
	}
	if err != nil {
		return err
	}
	x.Progress.Emit(sp.Name, progress.Done, "Upgraded; confirm with `upgrade --confirm` or roll back with `rollback`")
	return nil
}

func (x *Executor) confirm(ctx context.Context, sp *ServicePlan, sr *ServiceResult) error {
	cur, err := x.Client.Service(ctx, sp.FullName)
	if err != nil {
		return fmt.Errorf("reading %s: %w", sp.FullName, err)
	}
	rec, _, err := ReadRecord(cur.Spec)
	if err != nil {
		return fmt.Errorf("%s: %w", sp.FullName, err)
	}
	x.Progress.Emit(sp.Name, progress.Working, "Confirming the upgrade")
	spec := withRecords(cur.Spec, rec.Hash, StateConfirmed, cur.Spec, rec.Hash)
	if _, err := x.Client.UpdateService(ctx, cur.ID, cur.Version.Index, spec); err != nil {
		return fmt.Errorf("confirming %s: %w", sp.FullName, err)
	}
	sr.Changed, sr.State = true, StateConfirmed
	x.Progress.Emit(sp.Name, progress.Done, "Upgrade confirmed")
	return nil
}

func (x *Executor) rollback(ctx context.Context, sp *ServicePlan, sr *ServiceResult) error {
	cur, err := x.Client.Service(ctx, sp.FullName)
	if err != nil {
		return fmt.Errorf("reading %s: %w", sp.FullName, err)
	}
	rec, _, err := ReadRecord(cur.Spec)
	if err != nil || rec.Confirmed == nil {
		return fmt.Errorf("%s: no confirmed version recorded to roll back to (%v)", sp.FullName, err)
	}
	conf := *rec.Confirmed
	conf.Mode = cur.Spec.Mode
	conf.TaskTemplate.ForceUpdate = cur.Spec.TaskTemplate.ForceUpdate
	spec := withRecords(conf, rec.ConfirmedHash, StateConfirmed, conf, rec.ConfirmedHash)
	x.Progress.Emit(sp.Name, progress.Working, fmt.Sprintf("Rolling back %s to %s", sp.FullName, imageOf(spec)))
	if _, err := x.update(ctx, sp, cur, spec); err != nil {
		return fmt.Errorf("rolling back: %w", err)
	}
	sr.Changed, sr.RolledBack, sr.NewImage, sr.State = true, true, imageOf(spec), StateConfirmed
	x.Progress.Emit(sp.Name, progress.Done, "Rolled back")
	return nil
}

func (x *Executor) scale(ctx context.Context, sp *ServicePlan, sr *ServiceResult) error {
	cur, err := x.Client.Service(ctx, sp.FullName)
	if err != nil {
		return fmt.Errorf("reading %s: %w", sp.FullName, err)
	}
	if cur.Spec.Mode.Replicated == nil || sp.Replicas < 0 {
		return fmt.Errorf("%s is a global service: it cannot be scaled", sp.FullName)
	}
	n := uint64(sp.Replicas)
	spec := cur.Spec
	spec.Mode = swarmtypes.ServiceMode{Replicated: &swarmtypes.ReplicatedService{Replicas: &n}}
	x.Progress.Emit(sp.Name, progress.Working, fmt.Sprintf("Setting scale %s=%d", sp.Name, n))
	ref := x.daemonNow()
	if _, err := x.Client.UpdateService(ctx, cur.ID, cur.Version.Index, spec); err != nil {
		return fmt.Errorf("scaling %s: %w", sp.FullName, err)
	}
	sr.Changed = true
	if err := x.waitConverged(ctx, sp.Name, cur.ID, ref); err != nil {
		return err
	}
	x.Progress.Emit(sp.Name, progress.Done, fmt.Sprintf("Scaled to %d", n))
	return nil
}

func (x *Executor) remove(ctx context.Context, sp *ServicePlan, sr *ServiceResult) error {
	x.Progress.Emit(sp.Name, progress.Working, "Removing "+sp.FullName)
	if err := x.Client.RemoveService(ctx, sp.Observed.ID); err != nil {
		return fmt.Errorf("removing %s: %w", sp.FullName, err)
	}
	sr.Changed = true
	x.Progress.Emit(sp.Name, progress.Done, "Removed")
	return nil
}

// update sends a new spec and, when it changes what tasks run, waits for Swarm's rolling update to finish
// and the tasks to be running (healthy, when they have a health check). sent says whether Swarm accepted
// the new spec.
func (x *Executor) update(ctx context.Context, sp *ServicePlan, cur swarmtypes.Service, spec swarmtypes.ServiceSpec) (sent bool, err error) {
	ref := x.daemonNow()
	warnings, err := x.Client.UpdateService(ctx, cur.ID, cur.Version.Index, spec)
	if err != nil {
		return false, fmt.Errorf("updating %s: %w", sp.FullName, err)
	}
	for _, w := range warnings {
		x.Progress.Emit(sp.Name, progress.Warning, w)
	}
	if taskSpecEqual(cur.Spec.TaskTemplate, spec.TaskTemplate) {
		return true, nil
	}
	if err := x.waitUpdate(ctx, sp.Name, cur.ID, ref); err != nil {
		return true, err
	}
	return true, x.waitConverged(ctx, sp.Name, cur.ID, ref)
}

// settleAtomic confirms every upgraded service when all succeeded, or rolls every one back.
func (x *Executor) settleAtomic(ctx context.Context, p *Plan, res *Result) error {
	cause := collectErrors(res)
	if cause == nil {
		for i, sp := range p.Services {
			sr := res.Services[i]
			if sr.upgraded {
				if err := x.confirm(ctx, sp, sr); err != nil {
					return err
				}
				sr.Done = append(sr.Done, StepConfirm)
			}
		}
		return nil
	}
	ae := &AtomicError{Cause: cause, RollbackFailed: map[string]error{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, sp := range p.Services {
		sr := res.Services[i]
		if !sr.upgraded {
			continue
		}
		wg.Add(1)
		go func(sp *ServicePlan, sr *ServiceResult) {
			defer wg.Done()
			err := x.rollback(ctx, sp, sr)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				ae.RollbackFailed[sp.Name] = err
				return
			}
			sr.Done = append(sr.Done, StepRollback)
			ae.RolledBack = append(ae.RolledBack, sp.Name)
		}(sp, sr)
	}
	wg.Wait()
	return ae
}

func (x *Executor) removeNetworks(ctx context.Context, p *Plan) error {
	for _, n := range p.RemoveNetworks {
		x.Progress.Emit(p.Stack, progress.Working, "Removing network "+n.Name)
		if err := x.retryRemoveNetwork(ctx, n); err != nil {
			return fmt.Errorf("removing network %s: %w", n.Name, err)
		}
		x.Progress.Emit(p.Stack, progress.Done, "Removed network "+n.Name)
	}
	for _, name := range p.RemoveConfigs {
		if err := x.Client.RemoveConfig(ctx, name); err != nil {
			return fmt.Errorf("removing config %s: %w", name, err)
		}
		x.Progress.Emit(p.Stack, progress.Done, "Removed config "+name)
	}
	return nil
}

// retryRemoveNetwork removes a network by name until it is gone: while the removed services' tasks still
// hold it a 20.10 daemon answers 500 ("not found", "has active endpoints") and keeps listing it.
func (x *Executor) retryRemoveNetwork(ctx context.Context, n Network) error {
	for {
		err := x.Client.RemoveNetwork(ctx, n.Name)
		var apiErr *APIError
		if err != nil && !errors.As(err, &apiErr) {
			return err
		}
		if exists, gerr := x.Client.NetworkExists(ctx, n.Name); gerr == nil && !exists {
			return nil
		}
		if werr := x.sleep(ctx); werr != nil {
			return fmt.Errorf("%w (last error: %v)", werr, err)
		}
	}
}

func removesOrphans(p *Plan) bool {
	for _, sp := range p.Services {
		if sp.Has(StepRemove) && containsName(p.Orphans, sp.Name) {
			return true
		}
	}
	return false
}

func containsName(list []string, name string) bool {
	for _, n := range list {
		if n == name {
			return true
		}
	}
	return false
}

func collectErrors(res *Result) error {
	failed := map[string]error{}
	for _, sr := range res.Services {
		if sr.err != nil {
			failed[sr.Name] = sr.err
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return &DeployError{Failed: failed}
}

func (x *Executor) now() time.Time {
	if x.Now != nil {
		return x.Now()
	}
	return time.Now()
}

// daemonNow is the daemon's clock now, less a second for the Date header's resolution: UpdateStatus and
// task times at or after it belong to what we are about to do.
func (x *Executor) daemonNow() time.Time {
	return x.now().Add(x.Client.ClockOffset).Add(-time.Second)
}

func (x *Executor) sleep(ctx context.Context) error {
	d := x.Poll
	if d <= 0 {
		d = 500 * time.Millisecond
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
