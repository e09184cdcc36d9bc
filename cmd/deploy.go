package cmd

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// deployRequest is what create, up and start ask of the engine.
type deployRequest struct {
	opts   upgrade.Options
	dryRun bool
	// lock takes the per-stack deploy lock for the run (upgrades, confirms, rollbacks).
	lock        bool
	forceUnlock bool
	// shape, when set, trims each service's plan to what the command does (create, start).
	shape func(sp *upgrade.ServicePlan)
	// noVolumes skips the volume templates (start, which creates nothing).
	noVolumes bool
	// adjust, when set, changes each built service before it is planned (upgrade FROM TO creates TO at scale 0).
	adjust func(d *upgrade.Desired)
	// orphans looks for the stack's services in none of the files (up); removeOrphans removes them.
	orphans, removeOrphans bool
}

// deployOutcome is what a deploy did: its plan and result (both nil in stages never reached).
type deployOutcome struct {
	plan   *upgrade.Plan
	result *upgrade.Result
}

// deploy runs the engine over a loaded project: find or create the stack, lock it if asked, build the
// services, observe, reconcile and execute. Services that reference others by id (load-balancer targets)
// that do not exist yet are built and deployed in a second stage, once those exist.
func deploy(ctx context.Context, s *session, p *compose.Project, primaries []string, req deployRequest) (*deployOutcome, error) {
	req.opts.Secrets = p.SecretValues()
	tr := newTransformCache(s.client)
	tr.prepare(ctx, p, primaries)
	var st *resources.Stack
	var created bool
	var err error
	if req.dryRun {
		st, err = s.findStack(ctx, p.Name)
	} else {
		st, created, err = s.ensureStackCreated(ctx, p.Name)
	}
	if err != nil {
		return nil, err
	}
	if req.lock && req.dryRun && st != nil {
		s.warnIfLocked(ctx, st)
	}
	confirmLock := func() error { return nil }
	if req.lock && !req.dryRun {
		confirm, release, err := s.beginLock(ctx, st, req.forceUnlock)
		if err != nil {
			return nil, err
		}
		defer release()
		confirmLock = confirm
	}
	stackID := ""
	if st != nil {
		stackID = st.Id
	}
	existing := map[string]*resources.Service{}
	if !created {
		if existing, err = s.stackServices(ctx, st); err != nil {
			return nil, err
		}
	}
	orphans := s.findOrphans(p, existing, req)
	r := newResolver(s, p, existing)
	built, err := buildServices(ctx, s, p, stackID, r, tr, primaries, req.dryRun)
	if err != nil {
		return nil, err
	}
	if req.adjust != nil {
		for _, d := range built.desired {
			req.adjust(d)
		}
	}
	if err := confirmLock(); err != nil {
		return nil, err
	}
	if st != nil && !req.dryRun && !req.noVolumes {
		if err := s.ensureVolumes(ctx, p, st); err != nil {
			return nil, err
		}
	}
	out := &deployOutcome{}
	first := withoutLinksTo(built.desired, built.deferred)
	err = s.stage(ctx, st, existing, first, req, out)
	if err == nil && len(built.deferred) > 0 && !req.dryRun {
		err = s.secondStage(ctx, p, st, r, tr, built, req, out)
	}
	if err != nil {
		req.removeOrphans = false
	}
	if oerr := s.settleOrphans(ctx, existing, orphans, req, out); err == nil {
		err = oerr
	}
	return out, err
}

// secondStage builds the deferred services now that their targets exist, and deploys them together with the
// services that link to them (whose links could not be set in the first stage).
func (s *session) secondStage(ctx context.Context, p *compose.Project, st *resources.Stack, r *resolver, tr launchconfig.Transformer, first *buildResult, req deployRequest, out *deployOutcome) error {
	existing, err := s.stackServices(ctx, st)
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
func (s *session) stage(ctx context.Context, st *resources.Stack, existing map[string]*resources.Service, desired []*upgrade.Desired, req deployRequest, out *deployOutcome) error {
	obs, err := s.api.ObserveListed(ctx, st, existing, desired)
	if err != nil {
		return err
	}
	if st == nil {
		obs.Stack = ""
	}
	plan := upgrade.Reconcile(desired, obs, req.opts)
	if req.shape != nil {
		for _, sp := range plan.Services {
			req.shape(sp)
		}
	}
	out.plan = mergePlans(out.plan, plan)
	if req.dryRun {
		return nil
	}
	s.emitWarnings(plan)
	res, err := upgrade.Execute(ctx, plan, s.api, s.em, s.executeOptions()...)
	s.emitNotes(plan, res)
	out.result = mergeResults(out.result, res)
	return err
}

// relinkOnly narrows the second stage to the deferred services: the services of the first stage that come
// along (because they link to a deferred one) only get their links set; their first-stage plan was carried
// out already, and planning it again (a --force-upgrade) would upgrade them twice.
func relinkOnly(req deployRequest, deferred []string) deployRequest {
	isDeferred := map[string]bool{}
	for _, n := range deferred {
		isDeferred[n] = true
	}
	shape := req.shape
	req.shape = func(sp *upgrade.ServicePlan) {
		if shape != nil {
			shape(sp)
		}
		if isDeferred[sp.Name] {
			return
		}
		sp.Steps = keepSteps(sp.Steps, func(st upgrade.Step) bool { return st.Kind == upgrade.StepSetLinks })
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

// beginLock writes the stack's deploy lock; confirm reads it back once the settle has passed (the caller
// reads and builds meanwhile, and changes nothing before confirm succeeds); release removes it, even after
// an interrupt, and quietly leaves a lock another run took before confirm.
func (s *session) beginLock(ctx context.Context, st *resources.Stack, force bool) (confirm func() error, release func(), err error) {
	p, err := lock.Begin(ctx, s.api, st.Id, s.lockOptions(ctx, st, force))
	if err != nil {
		return nil, nil, fmt.Errorf("locking stack %s: %w", st.Name, err)
	}
	s.warnIfBroken(st, p.Lock())
	confirmed := false
	confirm = func() error {
		if _, err := p.Confirm(ctx); err != nil {
			return fmt.Errorf("locking stack %s: %w", st.Name, err)
		}
		confirmed = true
		return nil
	}
	return confirm, s.lockReleaser(ctx, st, p.Lock(), func() bool { return confirmed }), nil
}

// acquireLock takes the stack's deploy lock; the returned func releases it, even after an interrupt.
func (s *session) acquireLock(ctx context.Context, st *resources.Stack, force bool) (func(), error) {
	l, err := lock.Acquire(ctx, s.api, st.Id, s.lockOptions(ctx, st, force))
	if err != nil {
		return nil, fmt.Errorf("locking stack %s: %w", st.Name, err)
	}
	s.warnIfBroken(st, l)
	return s.lockReleaser(ctx, st, l, func() bool { return true }), nil
}

// lockOptions name this run as the lock's owner, for the time the run may take and five minutes more (an
// hour without a deadline), and tell the engine the stack as just read.
func (s *session) lockOptions(ctx context.Context, st *resources.Stack, force bool) lock.Options {
	ttl := time.Hour
	if dl, ok := ctx.Deadline(); ok {
		ttl = time.Until(dl) + 5*time.Minute
	}
	s.api.KnowStack(st)
	return lock.Options{Owner: s.lockOwner(), TTL: ttl, Force: force, Now: s.f.Now, Outputs: upgrade.StackOutputs(st)}
}

// warnIfBroken reports a lock of another run that --force-unlock broke.
func (s *session) warnIfBroken(st *resources.Stack, l *lock.Lock) {
	if b := l.Broken; b != nil {
		s.em.Emit("stack "+st.Name, progress.Warning, fmt.Sprintf("broke the deploy lock held by %s (--force-unlock)", b.Owner))
	}
}

// lockReleaser returns the func that removes the lock, with a fresh context so that it runs after an
// interrupt too; a failure is reported when warn says so.
func (s *session) lockReleaser(ctx context.Context, st *resources.Stack, l *lock.Lock, warn func() bool) func() {
	return func() {
		rctx, cancel := cleanupContext(ctx)
		defer cancel()
		if err := l.Release(rctx); err != nil && warn() {
			s.em.Emit("stack "+st.Name, progress.Warning, "releasing the deploy lock: "+err.Error())
		}
	}
}

// warnIfLocked tells a dry run that the real run would be refused by another run's lock.
func (s *session) warnIfLocked(ctx context.Context, st *resources.Stack) {
	if h, err := lock.Peek(ctx, s.api, st.Id); err == nil && h != nil {
		s.em.Emit("stack "+st.Name, progress.Warning, fmt.Sprintf("the deploy lock is held by %s until %s: a real run would be refused",
			h.Owner, h.Expires.UTC().Format(time.RFC3339)))
	}
}

// lockOwner names this run for whoever the lock refuses: user@host (pid), and the CI build when known.
func (s *session) lockOwner() string {
	user, _ := s.f.LookupEnv("USER")
	if user == "" {
		user = "unknown"
	}
	host, _ := os.Hostname()
	owner := fmt.Sprintf("%s@%s (pid %d)", user, host, os.Getpid())
	if build, ok := s.f.LookupEnv("BUILD_URL"); ok && build != "" {
		owner += " " + build
	}
	return owner
}

// emitWarnings reports, before the work, the plan's warnings (the original's out-of-sync warning, links
// not found).
func (s *session) emitWarnings(plan *upgrade.Plan) {
	for _, sp := range plan.Services {
		for _, w := range sp.Warnings {
			s.em.Emit(sp.Name, progress.Warning, w)
		}
	}
}

// emitNotes reports, after the work, the plan's notes (what is left to do next: confirm or roll back) for
// the services that succeeded; a failed or rolled-back one has its own diagnosis and next step.
func (s *session) emitNotes(plan *upgrade.Plan, res *upgrade.Result) {
	for _, sp := range plan.Services {
		if r := resultOf(res, sp.Name); r != nil && (r.Error != "" || r.RolledBack) {
			continue
		}
		for _, n := range sp.Notes {
			s.em.Emit(sp.Name, progress.Info, n)
		}
	}
}

func resultOf(res *upgrade.Result, name string) *upgrade.ServiceResult {
	if res == nil {
		return nil
	}
	return res.Service(name)
}
