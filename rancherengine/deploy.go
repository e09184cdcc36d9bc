package rancherengine

import (
	"context"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// DeployRequest is what create, up and start ask of the engine.
type DeployRequest struct {
	Opts   upgrade.Options
	DryRun bool
	// ForceUnlock breaks another run's live deploy lock (every run that changes the stack takes it);
	// Locked says the caller holds it already (upgrade FROM TO).
	ForceUnlock, Locked bool
	// Shape, when set, trims each service's plan to what the command does (create, start).
	Shape func(sp *upgrade.ServicePlan)
	// NoVolumes skips the volume templates (start, which creates nothing).
	NoVolumes bool
	// Adjust, when set, changes each built service before it is planned (upgrade FROM TO creates TO at scale 0).
	Adjust func(d *upgrade.Desired)
	// Orphans looks for the stack's services in none of the files (up); RemoveOrphans removes them.
	Orphans, RemoveOrphans bool
}

// DeployOutcome is what a deploy did: its plan and result (both nil in stages never reached).
type DeployOutcome struct {
	Plan   *upgrade.Plan
	Result *upgrade.Result
}

// Deploy runs the engine over a loaded project: find or create the stack, build the services, observe,
// reconcile and execute. Services that reference others by id (load-balancer targets) that do not exist
// yet are built and deployed in a second stage, once those exist. A run that changes something does it
// under the stack's deploy lock: the plan is made read-only first, and a plan that changes nothing is
// carried out without the lock (a no-op up takes no lock); otherwise the lock is taken and the stack read
// and planned again under it. A stack this run creates is born locked: the create request carries the lock;
// its services are planned from the compose files and created as each is built (deployNewborn).
func (s *Session) Deploy(ctx context.Context, p *compose.Project, primaries []string, req DeployRequest) (*DeployOutcome, error) {
	req.Opts.Secrets = p.SecretValues()
	shapes := shapesOf(p, primaries)
	order := upgrade.CreationOrder(shapes)
	tr := newTransformCache(s.Client, s.TransformCache)
	tr.prepare(ctx, p, order)
	defer tr.trim()
	st, created, newborn, err := s.findOrCreateStack(ctx, p.Name, req)
	if err != nil {
		return nil, err
	}
	if req.DryRun && st != nil {
		s.WarnIfLocked(ctx, st)
	}
	// a stack this run created is born locked (lock.Newborn): nothing to write, settle or read back
	locked := newborn != nil
	if locked {
		var release func()
		ctx, release = s.holdNewborn(ctx, st, newborn)
		defer release()
		if req.Adjust == nil && plannable(p, primaries) {
			return s.deployNewborn(ctx, p, st, shapes, order, req, tr)
		}
	}
	view, err := s.readForDeploy(ctx, p, st, created, primaries, req, tr)
	if err != nil {
		return nil, err
	}
	tr.saveLater()
	orphans := s.findOrphans(p, view.existing, req)
	removing := req.RemoveOrphans && len(orphans) > 0
	if !req.DryRun && !req.Locked && !created && len(view.built.deferred) == 0 && !removing {
		plan, err := s.planStage(ctx, st, view.existing, view.first(), req)
		if err != nil {
			return nil, err
		}
		if changesNothing(plan) {
			out := &DeployOutcome{}
			if err := s.ensureVolumesUnless(ctx, p, st, req); err != nil {
				return nil, err
			}
			err := s.executeStage(ctx, plan, req, out)
			if oerr := s.settleOrphans(ctx, view.existing, orphans, req, out); err == nil {
				err = oerr
			}
			return out, err
		}
	}
	if !req.DryRun && !req.Locked && !locked {
		confirm, release, err := s.beginLock(ctx, st, req.ForceUnlock)
		if err != nil {
			return nil, err
		}
		defer release()
		s.API.ForgetServices()
		if view, err = s.readForDeploy(ctx, p, st, created, primaries, req, tr); err != nil {
			return nil, err
		}
		orphans = stillThere(orphans, view.existing)
		if ctx, err = confirm(); err != nil {
			return nil, err
		}
	}
	if err := s.ensureVolumesUnless(ctx, p, st, req); err != nil {
		return nil, err
	}
	out := &DeployOutcome{}
	existing := view.existing
	// Past the plan only the orphans of the services read are needed: the rest of the read (a big stack's
	// services, launch configs and all) is not kept alive through the whole execution.
	view.existing = servicesNamed(existing, orphans)
	err = s.stage(ctx, st, existing, view.first(), req, out)
	if err == nil && len(view.built.deferred) > 0 && !req.DryRun {
		err = s.secondStage(ctx, p, st, view.resolver, tr, view.built, req, out)
	}
	if err != nil {
		req.RemoveOrphans = false
	}
	if oerr := s.settleOrphans(ctx, view.existing, orphans, req, out); err == nil {
		err = oerr
	}
	return out, err
}

// findOrCreateStack finds the stack (a dry run: nil when missing) or creates it. A run that takes the
// deploy lock (neither a dry run nor Locked) creates it with the lock in its outputs, and gets that lock
// back as newborn, unless the created stack does not show it; created without newborn is a stack whose lock
// is still to be taken, or created by a run whose caller holds the lock.
func (s *Session) findOrCreateStack(ctx context.Context, name string, req DeployRequest) (st *resources.Stack, created bool, newborn *lock.Newborn, err error) {
	if req.DryRun {
		st, err = s.FindStack(ctx, name)
		return st, false, nil, err
	}
	var outputs map[string]string
	if !req.Locked {
		newborn = s.newbornLock(ctx, name)
		if outputs, err = newborn.Outputs(); err != nil {
			return nil, false, nil, err
		}
	}
	if st, created, err = s.EnsureStackCreated(ctx, name, outputs); err != nil || !created {
		return st, created, nil, err
	}
	if newborn != nil && upgrade.StackOutputs(st)[lock.OutputKey] != outputs[lock.OutputKey] {
		// an API that dropped the create's outputs: the lock is taken as on an existing stack
		newborn = nil
	}
	return st, created, newborn, nil
}

// servicesNamed is the part of services with the given names.
func servicesNamed(services map[string]*resources.Service, names []string) map[string]*resources.Service {
	out := make(map[string]*resources.Service, len(names))
	for _, n := range names {
		if svc := services[n]; svc != nil {
			out[n] = svc
		}
	}
	return out
}

// stillThere keeps the names that are in existing.
func stillThere(names []string, existing map[string]*resources.Service) []string {
	var out []string
	for _, n := range names {
		if existing[n] != nil {
			out = append(out, n)
		}
	}
	return out
}

// deployView is the stack's services as read, and the project's services built against them.
type deployView struct {
	existing map[string]*resources.Service
	resolver *resolver
	built    *buildResult
}

// first is the first stage's services: all, without their links to the deferred ones.
func (v *deployView) first() []*upgrade.Desired {
	return withoutLinksTo(v.built.desired, v.built.deferred)
}

// readForDeploy lists the stack's services (none when it was just created) and builds the project's.
func (s *Session) readForDeploy(ctx context.Context, p *compose.Project, st *resources.Stack, created bool, primaries []string,
	req DeployRequest, tr launchconfig.Transformer) (*deployView, error) {
	stackID := ""
	if st != nil {
		stackID = st.Id
	}
	existing := map[string]*resources.Service{}
	if !created {
		var err error
		if existing, err = s.StackServices(ctx, st); err != nil {
			return nil, err
		}
	}
	r := newResolver(s, p, existing)
	built, err := buildServices(ctx, s, p, stackID, r, tr, primaries, req.DryRun)
	if err != nil {
		return nil, err
	}
	if req.Adjust != nil {
		for _, d := range built.desired {
			req.Adjust(d)
		}
	}
	return &deployView{existing: existing, resolver: r, built: built}, nil
}

// ensureVolumesUnless creates the project's missing volume templates, unless the run is a dry run or
// creates nothing (start).
func (s *Session) ensureVolumesUnless(ctx context.Context, p *compose.Project, st *resources.Stack, req DeployRequest) error {
	if st == nil || req.DryRun || req.NoVolumes {
		return nil
	}
	return s.ensureVolumes(ctx, p, st)
}

// changesNothing tells whether carrying out plan changes nothing: waits (for health, or for a transition
// under way to end), failures, and links re-posted as they are (the API did not report them; the original re-posted them on every up) only.
func changesNothing(plan *upgrade.Plan) bool {
	for _, sp := range plan.Services {
		for _, st := range sp.Steps {
			switch {
			case st.Kind == upgrade.StepWaitHealthy, st.Kind == upgrade.StepFail, st.Kind == upgrade.StepAwait:
			case st.Kind == upgrade.StepSetLinks && st.Refresh:
			default:
				return false
			}
		}
	}
	return true
}

// secondStage builds the deferred services now that their targets exist, and deploys them together with the
// services that link to them (whose links could not be set in the first stage).
func (s *Session) secondStage(ctx context.Context, p *compose.Project, st *resources.Stack, r *resolver, tr launchconfig.Transformer, first *buildResult, req DeployRequest, out *DeployOutcome) error {
	existing, err := s.StackServices(ctx, st)
	if err != nil {
		return err
	}
	r.learn(existing)
	again, err := buildServices(ctx, s, p, st.Id, r, tr, first.deferred, false)
	if err != nil {
		return err
	}
	if len(again.deferred) > 0 {
		return fmt.Errorf("services %v reference services that could not be created", again.deferred)
	}
	desired := append(linkingTo(first.desired, first.deferred), again.desired...)
	return s.stage(ctx, st, existing, desired, relinkOnly(req, first.deferred), out)
}

// stage observes (from existing, the stack's services just listed), reconciles and (unless dry-run)
// executes one set of services, accumulating the outcome.
func (s *Session) stage(ctx context.Context, st *resources.Stack, existing map[string]*resources.Service, desired []*upgrade.Desired, req DeployRequest, out *DeployOutcome) error {
	plan, err := s.planStage(ctx, st, existing, desired, req)
	if err != nil {
		return err
	}
	return s.executeStage(ctx, plan, req, out)
}

// planStage observes and reconciles one set of services, shaped to the command; it changes nothing.
func (s *Session) planStage(ctx context.Context, st *resources.Stack, existing map[string]*resources.Service, desired []*upgrade.Desired, req DeployRequest) (*upgrade.Plan, error) {
	obs, err := s.API.ObserveListed(ctx, st, existing, desired)
	if err != nil {
		return nil, err
	}
	if st == nil {
		obs.Stack = ""
	}
	plan := upgrade.Reconcile(desired, obs, req.Opts)
	if req.Shape != nil {
		for _, sp := range plan.Services {
			req.Shape(sp)
		}
	}
	return plan, nil
}

// executeStage carries out one stage's plan (unless dry-run), accumulating the outcome.
func (s *Session) executeStage(ctx context.Context, plan *upgrade.Plan, req DeployRequest, out *DeployOutcome, opts ...upgrade.Option) error {
	out.Plan = mergePlans(out.Plan, plan)
	if req.DryRun {
		return nil
	}
	s.EmitWarnings(plan)
	res, err := upgrade.Execute(ctx, plan, s.API, s.Events, append(s.ExecuteOptions(), opts...)...)
	s.EmitNotes(plan, res)
	out.Result = mergeResults(out.Result, res)
	return err
}

// relinkOnly narrows the second stage to the deferred services: the services of the first stage that come
// along (because they link to a deferred one) only get their links set; their first-stage plan was carried
// out already, and planning it again (a --force-upgrade) would upgrade them twice.
func relinkOnly(req DeployRequest, deferred []string) DeployRequest {
	isDeferred := map[string]bool{}
	for _, n := range deferred {
		isDeferred[n] = true
	}
	shape := req.Shape
	req.Shape = func(sp *upgrade.ServicePlan) {
		if shape != nil {
			shape(sp)
		}
		if isDeferred[sp.Name] {
			return
		}
		sp.Steps = KeepSteps(sp.Steps, func(st upgrade.Step) bool { return st.Kind == upgrade.StepSetLinks })
		sp.Warnings, sp.Action = nil, "set-links"
	}
	return req
}

// withoutLinksTo copies the desired services, dropping their links to the deferred ones.
func withoutLinksTo(desired []*upgrade.Desired, deferred []string) []*upgrade.Desired {
	if len(deferred) == 0 {
		return desired
	}
	skip := map[string]bool{}
	for _, n := range deferred {
		skip[n] = true
	}
	out := make([]*upgrade.Desired, 0, len(desired))
	for _, d := range desired {
		c := *d
		c.Links = nil
		for _, l := range d.Links {
			if l.External || !skip[l.Target] {
				c.Links = append(c.Links, l)
			}
		}
		out = append(out, &c)
	}
	return out
}

// linkingTo returns the desired services that link to one of names.
func linkingTo(desired []*upgrade.Desired, names []string) []*upgrade.Desired {
	want := map[string]bool{}
	for _, n := range names {
		want[n] = true
	}
	var out []*upgrade.Desired
	for _, d := range desired {
		for _, l := range d.Links {
			if !l.External && want[l.Target] {
				out = append(out, d)
				break
			}
		}
	}
	return out
}

func mergePlans(a, b *upgrade.Plan) *upgrade.Plan {
	if a == nil {
		return b
	}
	a.Services = append(a.Services, b.Services...)
	return a
}

func mergeResults(a, b *upgrade.Result) *upgrade.Result {
	if a == nil || b == nil {
		if a == nil {
			return b
		}
		return a
	}
	byName := map[string]int{}
	for i, r := range a.Services {
		byName[r.Name] = i
	}
	for _, r := range b.Services {
		if i, ok := byName[r.Name]; ok {
			prev := a.Services[i]
			r.Changed = r.Changed || prev.Changed
			r.DurationMs += prev.DurationMs
			r.Done = append(prev.Done, r.Done...)
			r.Started = append(prev.Started, r.Started...)
			if r.Action == "set-links" {
				// the second stage only set its links: what the run did to it is the first stage's
				r.Action, r.OldImage, r.NewImage = prev.Action, prev.OldImage, prev.NewImage
			}
			a.Services[i] = r
			continue
		}
		a.Services = append(a.Services, r)
	}
	a.Changed = a.Changed || b.Changed
	a.RolledBack = a.RolledBack || b.RolledBack
	a.DurationMs += b.DurationMs
	return a
}

// EmitWarnings reports, before the work, the plan's warnings (the original's out-of-sync warning, links
// not found).
func (s *Session) EmitWarnings(plan *upgrade.Plan) {
	for _, sp := range plan.Services {
		for _, w := range sp.Warnings {
			s.Events.Emit(sp.Name, progress.Warning, w)
		}
	}
}

// EmitNotes reports, after the work, the plan's notes (what is left to do next: confirm or roll back) for
// the services that succeeded; a failed or rolled-back one has its own diagnosis and next step.
func (s *Session) EmitNotes(plan *upgrade.Plan, res *upgrade.Result) {
	for _, sp := range plan.Services {
		if r := resultOf(res, sp.Name); r != nil && (r.Error != "" || r.RolledBack) {
			continue
		}
		for _, n := range sp.Notes {
			s.Events.Emit(sp.Name, progress.Info, n)
		}
	}
}

func resultOf(res *upgrade.Result, name string) *upgrade.ServiceResult {
	if res == nil {
		return nil
	}
	return res.Service(name)
}

// KeepSteps filters a plan's steps.
func KeepSteps(steps []upgrade.Step, keep func(upgrade.Step) bool) []upgrade.Step {
	out := []upgrade.Step{}
	for _, st := range steps {
		if keep(st) {
			out = append(out, st)
		}
	}
	return out
}
