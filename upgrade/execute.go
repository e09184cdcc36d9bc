package upgrade

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

var timeNow = time.Now

// Option tunes Execute.
type Option func(*executor)

// WithHealth sets how services are waited on (default: a healthcheck.Waiter over the API, which must then
// also implement healthcheck.Reader's Containers, see NewRancherAPI).
func WithHealth(h Health) Option { return func(x *executor) { x.health = h } }

// WithClock sets the clock used for durations (default: the system clock).
func WithClock(now func() time.Time) Option { return func(x *executor) { x.now = now } }

// WithCleanupTimeout bounds the work done after the run's context ended: rollbacks under --atomic and the
// final state reads (default 2 minutes).
func WithCleanupTimeout(d time.Duration) Option { return func(x *executor) { x.cleanupTimeout = d } }

// WithCleanupContext replaces WithCleanupTimeout: cleanup derives its contexts from the run's with this
// function (the command's, which ends them a fixed grace after the run's deadline or interrupt).
func WithCleanupContext(f func(context.Context) (context.Context, context.CancelFunc)) Option {
	return func(x *executor) { x.cleanupCtx = f }
}

type executor struct {
	api            API
	health         Health
	em             progress.Emitter
	now            func() time.Time
	cleanupTimeout time.Duration
	cleanupCtx     func(context.Context) (context.Context, context.CancelFunc)
	plan           *Plan
	beatEvery      time.Duration
	beatTicks      <-chan time.Time
	waits          waits

	// creates bounds the service creates in flight (createsInFlight), so that a burst of them leaves
	// connections of the client's pool to the activations and polls of the services already created; they
	// go out in plan order (rank), the bottoms of the longest chains first
	creates *orderedSlots
	rank    map[string]int
	// bodies, when set, delivers the create bodies the plan lacks (WithBodies)
	bodies Bodies

	mu      sync.Mutex
	ids     map[string]string        // service name → id, as known so far
	deps    *lastDeps                // the services a dependant waits on alone (hurry.go)
	created map[string]chan struct{} // closed once the service's create step ended (or it has none)
}

// Execute carries out plan through api, reporting progress to em. Every service is attempted even when
// others fail; the returned error is nil only when all succeeded. It is a *DeployError for per-service
// failures, an *AtomicError after an --atomic rollback, a *TimeoutError when ctx's deadline passed and an
// *InterruptedError when ctx was cancelled. The Result is complete in every case.
func Execute(ctx context.Context, plan *Plan, api API, em progress.Emitter, opts ...Option) (*Result, error) {
	x := &executor{api: api, em: em, now: timeNow, cleanupTimeout: 2 * time.Minute, plan: plan, ids: map[string]string{},
		created: map[string]chan struct{}{}, creates: newOrderedSlots(createsInFlight), rank: map[string]int{}}
	for i, sp := range plan.Services {
		x.rank[sp.Name] = i
	}
	for _, o := range opts {
		o(x)
	}
	if x.health == nil {
		x.health = defaultHealth(api)
	}
	x.slotsWhileBuilding(ctx)
	return x.run(ctx)
}

func (x *executor) run(ctx context.Context) (*Result, error) {
	start := x.now()
	results := map[string]*ServiceResult{}
	for _, sp := range x.plan.Services {
		results[sp.Name] = &ServiceResult{Name: sp.Name, Action: sp.Action, OldImage: sp.OldImage, NewImage: sp.NewImage, Done: []StepKind{}, id: sp.ID}
		if sp.ID != "" {
			x.ids[sp.Name] = sp.ID
		}
		x.created[sp.Name] = make(chan struct{})
		if !sp.Has(StepCreate) {
			close(x.created[sp.Name])
		}
	}
	x.em.Emit(x.stackResource(), progress.Working, "deploying "+plural(len(x.plan.Services), "service"))
	for _, sp := range x.plan.Services {
		for _, w := range sp.Warnings {
			x.em.Emit(sp.Name, progress.Warning, w)
		}
	}
	stopBeat := x.heartbeat()
	x.deploy(ctx, results)
	err := x.finish(ctx, results)
	stopBeat()
	res := x.result(ctx, results, start)
	x.report(res, err)
	return res, err
}

// deploy runs every service concurrently: its create phase at once (create, and the links, which wait only
// for their targets to be created), then, once the services it depends on are done, its other steps. No
// service waits for unrelated creates: a root is activated as soon as it is itself created.
func (x *executor) deploy(ctx context.Context, results map[string]*ServiceResult) {
	done := map[string]chan struct{}{}
	for _, sp := range x.plan.Services {
		done[sp.Name] = make(chan struct{})
	}
	x.deps = newLastDeps(x.plan.Services)
	for _, sp := range x.plan.Services {
		x.hurry(sp.Name)
	}
	var wg sync.WaitGroup
	for _, sp := range x.plan.Services {
		wg.Add(1)
		go func(sp *ServicePlan) {
			defer wg.Done()
			defer func() { x.hurry(x.deps.done(sp.Name)...) }()
			defer close(done[sp.Name])
			defer x.markCreated(sp.Name)
			r := results[sp.Name]
			if err := x.awaitGates(ctx, sp, results, done); err != nil && r.err == nil {
				var gate *GateError
				r.err, r.NotAttempted = err, errors.As(err, &gate)
				x.em.Emit(sp.Name, progress.Error, err.Error())
			}
			if r.err == nil {
				x.runSteps(ctx, sp, r, createPhase(sp))
			}
			x.markCreated(sp.Name)
			for _, dep := range sp.DependsOn {
				<-done[dep]
			}
			if r.err == nil {
				x.runSteps(ctx, sp, r, afterCreate(sp.Steps, false))
			}
		}(sp)
	}
	wg.Wait()
}

// phase runs the given steps of every service concurrently (the AfterAll steps of an --atomic run).
func (x *executor) phase(ctx context.Context, results map[string]*ServiceResult, steps func(*ServicePlan) []Step) {
	var wg sync.WaitGroup
	for _, sp := range x.plan.Services {
		if r := results[sp.Name]; r.err == nil {
			wg.Add(1)
			go func() {
				defer wg.Done()
				x.runSteps(ctx, sp, r, steps(sp))
			}()
		}
	}
	wg.Wait()
}

func (x *executor) runSteps(ctx context.Context, sp *ServicePlan, r *ServiceResult, steps []Step) {
	started := x.now()
	defer func() { r.DurationMs += x.now().Sub(started).Milliseconds() }()
	for _, st := range steps {
		if err := ctx.Err(); err != nil {
			r.err = err
			if !r.began {
				r.err = fmt.Errorf("not started: %w", err)
			}
			return
		}
		r.accepted, r.began = false, true
		err := x.step(ctx, sp, r, st)
		if st.Kind == StepCreate {
			x.markCreated(sp.Name)
		}
		if err != nil {
			r.err = err
			if r.accepted {
				r.Started = append(r.Started, st.Kind)
			}
			x.em.Emit(sp.Name, progress.Error, err.Error())
			return
		}
		r.Done = append(r.Done, st.Kind)
		if st.Kind != StepWaitHealthy && st.Kind != StepFail && st.Kind != StepSetLinks && st.Kind != StepAwait {
			r.Changed = true
		}
	}
}

// createPhase returns the create step and the set-links step right after it: links need only their
// targets' ids, so they are set as soon as the targets exist, off the path of the ordered activations.
// afterCreate returns the other steps, without (or only) the AfterAll ones.
func createPhase(sp *ServicePlan) []Step {
	return sp.Steps[:createPhaseLen(sp.Steps)]
}

func createPhaseLen(steps []Step) int {
	if len(steps) == 0 || steps[0].Kind != StepCreate {
		return 0
	}
	if len(steps) > 1 && steps[1].Kind == StepSetLinks && !steps[1].AfterAll {
		return 2
	}
	return 1
}

func afterCreate(steps []Step, afterAll bool) []Step {
	var out []Step
	for _, s := range steps[createPhaseLen(steps):] {
		if s.Kind != StepCreate && s.AfterAll == afterAll {
			out = append(out, s)
		}
	}
	return out
}

// markCreated records that the service's create step is over (successful or not); safe to call twice.
func (x *executor) markCreated(name string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	ch := x.created[name]
	if ch == nil {
		return
	}
	select {
	case <-ch:
	default:
		close(ch)
	}
}

// waitCreated waits until the create step of the named project service (if it is planned) is over.
func (x *executor) waitCreated(ctx context.Context, name string) error {
	x.mu.Lock()
	ch := x.created[name]
	x.mu.Unlock()
	if ch == nil {
		return nil
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// finish handles the end of the run: the atomic barrier, then how the run ended.
func (x *executor) finish(ctx context.Context, results map[string]*ServiceResult) error {
	failed := failures(results)
	if x.plan.Atomic {
		if len(failed) > 0 || ctx.Err() != nil {
			return x.rollbackAll(ctx, results, x.endError(ctx, results, failed))
		}
		x.phase(ctx, results, func(sp *ServicePlan) []Step { return afterCreate(sp.Steps, true) })
		failed = failures(results)
	}
	return x.endError(ctx, results, failed)
}

func (x *executor) endError(ctx context.Context, results map[string]*ServiceResult, failed map[string]error) error {
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return &TimeoutError{Stuck: x.unfinished(ctx, results)}
	case ctx.Err() != nil:
		return &InterruptedError{Left: x.unfinished(ctx, results)}
	case len(failed) > 0:
		return &DeployError{Failed: failed}
	}
	return nil
}

func failures(results map[string]*ServiceResult) map[string]error {
	failed := map[string]error{}
	for name, r := range results {
		if r.err != nil {
			failed[name] = r.err
		}
	}
	return failed
}

// unfinished reads the state of every service that did not complete its plan, with a fresh short context.
func (x *executor) unfinished(ctx context.Context, results map[string]*ServiceResult) []Stuck {
	cctx, cancel := x.cleanupContext(ctx)
	defer cancel()
	dctx, dcancel := healthcheck.DiagnoseContext(ctx)
	defer dcancel()
	dctx, dcancel2 := withDeadlineOf(dctx, cctx)
	defer dcancel2()
	var stuck []*ServicePlan
	for _, sp := range x.plan.Services {
		if r := results[sp.Name]; r.err != nil || len(r.Done) < ownSteps(sp) {
			stuck = append(stuck, sp)
		}
	}
	out := make([]Stuck, len(stuck))
	var wg sync.WaitGroup
	for i, sp := range stuck {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = x.stuck(ctx, dctx, sp, results[sp.Name])
		}()
	}
	wg.Wait()
	return out
}

// stuck reads where an unfinished service was left and, after a timeout, diagnoses it if it had begun its
// steps (one still waiting for the services it depends on says nothing about the failure), within dctx (the
// diagnosis budget), unless its failed wait brought a diagnosis already.
func (x *executor) stuck(ctx, dctx context.Context, sp *ServicePlan, r *ServiceResult) Stuck {
	s := Stuck{Name: sp.Name, State: sp.State}
	if id := x.id(sp.Name); id != "" {
		if live, err := x.api.GetService(dctx, id); err == nil {
			s.State, s.Message = live.State, live.TransitioningMessage
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && r.began {
			attachDiagnosis(r)
			if r.Diagnosis == nil {
				r.Diagnosis = x.health.Diagnose(dctx, id)
			}
		}
	}
	if !r.began && len(sp.DependsOn) > 0 {
		s.Message = "not started: waits for " + strings.Join(sp.DependsOn, ", ")
	}
	s.Next = nextCommand(x.plan.Stack, sp.Name, s.State)
	r.Next = s.Next
	return s
}

// ownSteps counts the steps a service carries out on its own, before an --atomic barrier: a service that
// did them all and was only waiting for the others to be healthy is not what held the run up.
func ownSteps(sp *ServicePlan) int {
	n := 0
	for _, st := range sp.Steps {
		if !st.AfterAll {
			n++
		}
	}
	return n
}

// withDeadlineOf bounds ctx by other's deadline too, when other has one.
func withDeadlineOf(ctx, other context.Context) (context.Context, context.CancelFunc) {
	if dl, ok := other.Deadline(); ok {
		return context.WithDeadline(ctx, dl)
	}
	return context.WithCancel(ctx)
}

func (x *executor) cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if x.cleanupCtx != nil {
		return x.cleanupCtx(ctx)
	}
	return context.WithTimeout(context.WithoutCancel(ctx), x.cleanupTimeout)
}

func (x *executor) id(name string) string {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.ids[name]
}

func (x *executor) setID(name, id string) {
	x.mu.Lock()
	x.ids[name] = id
	x.mu.Unlock()
	x.hurry(name)
}

func (x *executor) stackResource() string {
	if x.plan.Stack == "" {
		return "stack"
	}
	return "stack " + x.plan.Stack
}

func defaultHealth(api API) Health {
	if r, ok := api.(healthcheck.Reader); ok {
		w := &healthcheck.Waiter{Reader: r}
		if l, ok := api.(healthcheck.LogReader); ok {
			w.Logs = l
		}
		return w
	}
	return &settleOnly{api: api}
}

// settleOnly is the fallback Health when the API cannot list containers: it settles, and treats a settled
// service as healthy.
type settleOnly struct{ api API }

func (s *settleOnly) Settle(ctx context.Context, id string) (*healthcheck.Service, error) {
	w := &healthcheck.Waiter{Reader: serviceReader{s.api}}
	return w.Settle(ctx, id)
}

func (s *settleOnly) Healthy(ctx context.Context, id string) (*healthcheck.Service, error) {
	return s.Settle(ctx, id)
}

func (s *settleOnly) Diagnose(ctx context.Context, id string) *healthcheck.Diagnosis {
	return (&healthcheck.Waiter{Reader: serviceReader{s.api}}).Diagnose(ctx, id)
}

// serviceReader reads services through the API and reports no containers.
type serviceReader struct{ api API }

func (r serviceReader) Service(ctx context.Context, id string) (*healthcheck.Service, error) {
	s, err := r.api.GetService(ctx, id)
	if err != nil {
		return nil, err
	}
	return HealthView(s), nil
}

func (r serviceReader) Containers(context.Context, string) ([]healthcheck.Container, error) {
	return nil, nil
}

// HealthView converts a service to the view the health checks read.
func HealthView(s *Service) *healthcheck.Service {
	return &healthcheck.Service{
		ID: s.ID, Name: s.Name, Kind: s.Kind, State: s.State, Transitioning: s.Transitioning,
		TransitioningMessage: s.TransitioningMessage, HealthState: s.HealthState, Scale: s.Scale,
		LaunchConfig: s.LaunchConfig, SecondaryLaunchConfigs: s.SecondaryLaunchConfigs,
	}
}
