package upgrade

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
)

// createsInFlight bounds the creates sent at once: a quarter of the client's connections to the API
// (rancher.MaxConnsPerHost) stays free during a burst of hundreds of creates, for the activations of the
// services created first (the bottoms of the longest chains, which the plan orders first) and the
// poller's reads, which would otherwise wait behind every create queued for a connection.
const createsInFlight = rancher.MaxConnsPerHost * 3 / 4

// step carries out one planned step. The only decisions taken here are the run-time checks the original
// made too: the upgradable state, and whether activate is needed and offered.
func (x *executor) step(ctx context.Context, sp *ServicePlan, r *ServiceResult, st Step) error {
	if err := x.afterBuild(ctx, st); err != nil {
		return err
	}
	switch st.Kind {
	case StepCreate:
		return x.create(ctx, sp, r, st)
	case StepFail:
		return errors.New(st.Error)
	case StepPull:
		return x.pull(ctx, sp, st)
	case StepSetLinks:
		return x.setLinks(ctx, sp, r, st)
	case StepActivate:
		return x.activate(ctx, sp, r)
	case StepWaitHealthy:
		return x.waitHealthy(ctx, sp)
	case StepAwait:
		return x.await(ctx, sp, st)
	}
	id := x.id(sp.Name)
	switch st.Kind {
	case StepRollback:
		return x.action(ctx, r, id, actionRollback, nil, "Rolling back", "Rolled back")
	case StepFinishPrevious:
		return x.action(ctx, r, id, actionFinishUpgrade, nil, "Finishing the previous upgrade", "Previous upgrade finished")
	case StepConfirm:
		return x.action(ctx, r, id, actionFinishUpgrade, nil, "Confirming the upgrade", "Upgrade confirmed")
	case StepUpdate:
		return x.update(ctx, r, id, st, "Updating "+sp.Name)
	case StepScale:
		return x.update(ctx, r, id, st, fmt.Sprintf("Setting scale %s=%d", sp.Name, st.Scale))
	case StepUpgrade:
		return x.upgrade(ctx, sp, r, id, st)
	}
	return fmt.Errorf("unknown step %q", st.Kind)
}

func (x *executor) create(ctx context.Context, sp *ServicePlan, r *ServiceResult, st Step) error {
	x.em.Emit(sp.Name, progress.Working, "Creating")
	body, err := x.createBody(ctx, sp, st)
	if err != nil {
		return fmt.Errorf("creating %s: %w", sp.Name, err)
	}
	if err := x.creates.acquire(ctx, x.rank[sp.Name]); err != nil {
		return fmt.Errorf("creating %s: %w", sp.Name, err)
	}
	svc, err := x.api.CreateService(ctx, sp.Kind, body)
	x.creates.release()
	if err != nil {
		return fmt.Errorf("creating %s: %w", sp.Name, err)
	}
	r.accept()
	x.setID(sp.Name, svc.ID)
	if _, ok := x.expectedSettle(svc.ID); ok && createPhaseLen(sp.Steps) == 2 {
		r.createSettling = true // settled by the links' answer (setLinks)
		return nil
	}
	if err := x.settle(ctx, sp.Name, svc.ID); err != nil {
		return err
	}
	x.em.Emit(sp.Name, progress.Done, "Created")
	return nil
}

// SettleExpecter is implemented by an API that learns when this client's changes end (RancherAPI). A
// service just created whose links are set next then has them set when its create is expected to have
// ended, and the answer, which shows the service, stands for the read that would have told it had; its
// create step then ends on the create's answer (so the services linking to it may set their links). A
// create of a kind none of which has been seen to end is waited for as usual: the first few are the
// poller's scouts (upgradepace.go).
type SettleExpecter interface {
	ExpectedSettle(id string) (time.Time, bool)
}

func (x *executor) expectedSettle(id string) (time.Time, bool) {
	if se, ok := x.api.(SettleExpecter); ok {
		return se.ExpectedSettle(id)
	}
	return time.Time{}, false
}

// awaitCreateEnd waits, before the links of a service whose create has not been seen to end (create) are
// set, until the create is expected to have ended, or (no longer expected, as when its kind's ends turned
// too far apart) until it has.
func (x *executor) awaitCreateEnd(ctx context.Context, name, id string) error {
	at, ok := x.expectedSettle(id)
	if !ok {
		return x.settle(ctx, name, id)
	}
	if err := healthcheck.SystemClock.Sleep(ctx, time.Until(at)); err != nil {
		return fmt.Errorf("waiting for %s: %w", name, err)
	}
	return nil
}

// createSettledBy ends the create of a service whose links' answer (linked) shows it: settled, or still in
// its transition (or failed), when it is waited for as create would have. Should that fail, setLinks
// reports the create as started, not done.
func (x *executor) createSettledBy(ctx context.Context, name string, r *ServiceResult, linked *Service) error {
	if linked.Transitioning == "yes" || linked.Transitioning == "error" {
		if err := x.settle(ctx, name, x.id(name)); err != nil {
			return err
		}
	}
	r.createSettling = false
	x.em.Emit(name, progress.Done, "Created")
	return nil
}

// createUnsettled moves the create from the done steps to the started ones: its transition was not seen
// to end.
func (x *executor) createUnsettled(r *ServiceResult) {
	r.createSettling = false
	r.Done = slices.DeleteFunc(r.Done, func(k StepKind) bool { return k == StepCreate })
	r.Started = append(r.Started, StepCreate)
}

func (x *executor) action(ctx context.Context, r *ServiceResult, id, action string, body any, working, done string) error {
	name := r.Name
	x.em.Emit(name, progress.Working, working)
	if _, err := x.api.ServiceAction(ctx, id, action, body); err != nil {
		return fmt.Errorf("%s %s: %w", action, name, err)
	}
	r.accept()
	if err := x.settle(ctx, name, id); err != nil {
		return err
	}
	x.em.Emit(name, progress.Done, done)
	return nil
}

func (x *executor) update(ctx context.Context, r *ServiceResult, id string, st Step, working string) error {
	name := r.Name
	if st.Kind == StepUpdate {
		if err := x.checkUpgradable(ctx, name, id); err != nil {
			return err
		}
	}
	x.em.Emit(name, progress.Working, working)
	if _, err := x.api.UpdateService(ctx, id, st.Body); err != nil {
		return fmt.Errorf("updating %s: %w", name, err)
	}
	r.accept()
	if err := x.settle(ctx, name, id); err != nil {
		return err
	}
	x.em.Emit(name, progress.Done, "Updated")
	return nil
}

func (x *executor) upgrade(ctx context.Context, sp *ServicePlan, r *ServiceResult, id string, st Step) error {
	if err := x.checkUpgradable(ctx, sp.Name, id); err != nil {
		return err
	}
	x.em.Emit(sp.Name, progress.Working, "Upgrading "+sp.Name)
	if _, err := x.api.ServiceAction(ctx, id, actionUpgrade, st.Body); err != nil {
		return fmt.Errorf("upgrading %s: %w", sp.Name, err)
	}
	r.upgraded = true
	r.accept()
	if err := x.settle(ctx, sp.Name, id); err != nil {
		return err
	}
	x.em.Emit(sp.Name, progress.Done, "Upgraded")
	return nil
}

// checkUpgradable re-reads the service, as NormalFactory.Upgrade does, and refuses any state but active/inactive.
func (x *executor) checkUpgradable(ctx context.Context, name, id string) error {
	svc, err := x.api.GetService(ctx, id)
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	if !upgradableState(svc.State) {
		return errors.New(wrongStateError(name, svc.State))
	}
	return nil
}

func (x *executor) pull(ctx context.Context, sp *ServicePlan, st Step) error {
	ctx, end := x.watch(ctx, sp.Name, "for the image pull")
	defer end()
	var wg sync.WaitGroup
	errs := make([]error, len(st.Images))
	for i, image := range st.Images {
		wg.Add(1)
		go func() {
			defer wg.Done()
			x.em.Emit(sp.Name, progress.Working, "Pulling "+image)
			if err := x.api.PullImage(ctx, image, sp.desired.PullLabels); err != nil {
				errs[i] = fmt.Errorf("pulling %s: %w", image, err)
				return
			}
			x.em.Emit(sp.Name, progress.Done, "Finished pulling "+image)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// setLinks posts the whole link set. A project target that could not be created is skipped with a warning,
// as the original skipped targets it could not find.
func (x *executor) setLinks(ctx context.Context, sp *ServicePlan, r *ServiceResult, st Step) (err error) {
	defer func() {
		if err != nil && r.createSettling {
			x.createUnsettled(r)
		}
	}()
	links := make([]map[string]any, 0, len(st.Links))
	for _, l := range st.Links {
		id := l.ServiceID
		if !l.External && !strings.Contains(l.Target, "/") {
			if err := x.waitCreated(ctx, l.Target); err != nil {
				return fmt.Errorf("setting links of %s: %w", sp.Name, err)
			}
			// a planned target's id is known once it is created; one outside the plan (not selected)
			// keeps the id it was observed with
			if planned := x.id(l.Target); planned != "" {
				id = planned
			}
		}
		if id == "" {
			x.em.Emit(sp.Name, progress.Warning, fmt.Sprintf("Failed to find service %s to link to", l.Target))
			continue
		}
		link := map[string]any{"serviceId": id}
		if l.Alias != "" {
			link["name"] = l.Alias
		}
		links = append(links, link)
	}
	body := map[string]any{linkFieldServiceLinks: links}
	if r.createSettling {
		if err := x.awaitCreateEnd(ctx, sp.Name, x.id(sp.Name)); err != nil {
			return err
		}
	}
	linked, err := x.api.ServiceAction(ctx, x.id(sp.Name), actionSetServiceLinks, body)
	if err != nil {
		return fmt.Errorf("setting links of %s: %w", sp.Name, err)
	}
	if r.createSettling {
		return x.createSettledBy(ctx, sp.Name, r, linked)
	}
	return nil
}

// activate starts a service that is not active, when the API offers activate in its current state. The
// state is the last one read after the previous step settled (an API that keeps it, see LastSeen), or read.
func (x *executor) activate(ctx context.Context, sp *ServicePlan, r *ServiceResult) error {
	id := x.id(sp.Name)
	svc := x.lastSeen(id)
	if svc == nil {
		var err error
		if svc, err = x.api.GetService(ctx, id); err != nil {
			return fmt.Errorf("reading %s: %w", sp.Name, err)
		}
	}
	if svc.State == stateActive || !svc.HasAction(actionActivate) {
		return nil
	}
	return x.action(ctx, r, id, actionActivate, nil, "Starting", "Started")
}

// LastSeen is implemented by an API that keeps the last copy of each service it read or changed
// (RancherAPI); the executor then need not read a service again right after waiting for it.
type LastSeen interface {
	LastSeen(id string) *Service
}

// lastSeen returns the last copy of the service when the API keeps one and it is settled, else nil.
func (x *executor) lastSeen(id string) *Service {
	ls, ok := x.api.(LastSeen)
	if !ok {
		return nil
	}
	if s := ls.LastSeen(id); s != nil && s.Transitioning != "yes" {
		return s
	}
	return nil
}

func (x *executor) waitHealthy(ctx context.Context, sp *ServicePlan) error {
	x.em.Emit(sp.Name, progress.Working, "Waiting until healthy")
	ctx, end := x.watch(ctx, sp.Name, "until healthy")
	defer end()
	if _, err := x.health.Healthy(ctx, x.id(sp.Name)); err != nil {
		return fmt.Errorf("waiting for %s to be healthy: %w", sp.Name, err)
	}
	x.em.Emit(sp.Name, progress.Done, "Healthy")
	return nil
}

func (x *executor) settle(ctx context.Context, name, id string) error {
	ctx, end := x.watch(ctx, name, "for the transition to end")
	defer end()
	if _, err := x.health.Settle(ctx, id); err != nil {
		return fmt.Errorf("waiting for %s: %w", name, err)
	}
	return nil
}

// rollbackAll rolls back every service whose upgrade was accepted, with a fresh context so that a timeout
// or an interrupt still gets its rollback.
func (x *executor) rollbackAll(ctx context.Context, results map[string]*ServiceResult, cause error) error {
	cctx, cancel := x.cleanupContext(ctx)
	defer cancel()
	ae := &AtomicError{Cause: cause, RollbackFailed: map[string]error{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, sp := range x.plan.Services {
		r := results[sp.Name]
		if !r.upgraded {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := x.action(cctx, r, x.id(sp.Name), actionRollback, nil, "Rolling back (--atomic)", "Rolled back")
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				ae.RollbackFailed[sp.Name] = err
				return
			}
			r.RolledBack = true
			r.Next = ""
			ae.RolledBack = append(ae.RolledBack, sp.Name)
		}()
	}
	wg.Wait()
	if len(ae.RolledBack) == 0 && len(ae.RollbackFailed) == 0 {
		return cause
	}
	sortStrings(ae.RolledBack)
	forgetNextSteps(cause, ae.RolledBack)
	return ae
}

// forgetNextSteps drops, from the stuck services a timeout or an interrupt listed, the next step of those
// since rolled back: what was advised before the rollback (confirm, roll back) no longer applies.
func forgetNextSteps(cause error, rolledBack []string) {
	var list []Stuck
	var te *TimeoutError
	var ie *InterruptedError
	switch {
	case errors.As(cause, &te):
		list = te.Stuck
	case errors.As(cause, &ie):
		list = ie.Left
	}
	for i := range list {
		if slices.Contains(rolledBack, list[i].Name) {
			list[i].Next = ""
		}
	}
}

func sortStrings(s []string) {
	copy(s, sortedStrings(s))
}
