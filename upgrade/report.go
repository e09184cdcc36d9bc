package upgrade

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// result reads the final state and health of each service and assembles the Result in plan order.
func (x *executor) result(ctx context.Context, results map[string]*ServiceResult, start time.Time) *Result {
	cctx, cancel := x.cleanupContext(ctx)
	defer cancel()
	res := &Result{Version: SchemaVersion, Stack: x.plan.Stack, DurationMs: x.now().Sub(start).Milliseconds()}
	final := x.finalStates(cctx)
	for _, sp := range x.plan.Services {
		r := results[sp.Name]
		r.id = x.id(sp.Name)
		if id := r.id; id != "" {
			live, err := x.lastSeen(id), error(nil)
			if live == nil || r.err != nil {
				live, err = final(id)
			}
			if err == nil {
				r.State, r.Health, r.Image = live.State, live.HealthState, live.Image()
			}
		}
		if r.err != nil {
			r.Error = r.err.Error()
			attachDiagnosis(r)
			if r.Next == "" {
				r.Next = nextCommand(x.plan.Stack, sp.Name, r.State)
			}
		}
		res.Changed = res.Changed || r.Changed
		res.RolledBack = res.RolledBack || r.RolledBack
		res.Services = append(res.Services, r)
	}
	return res
}

// StackLister is implemented by an API that lists a stack's services in one request (RancherAPI): the
// final states are then read with one list instead of one read per service.
type StackLister interface {
	ListServices(ctx context.Context, stackID string) ([]*Service, error)
}

// finalStates returns how to read a service's final state when the copy the run ended with will not do
// (it failed, or the API keeps none): from one list of the stack, made at the first such read, when the
// API offers it and the plan has more than one service; else (and for a service the list lacks) by id.
func (x *executor) finalStates(ctx context.Context) func(id string) (*Service, error) {
	get := func(id string) (*Service, error) { return x.api.GetService(ctx, id) }
	sl, ok := x.api.(StackLister)
	if !ok || x.plan.StackID == "" || len(x.plan.Services) < 2 {
		return get
	}
	var byID map[string]*Service
	return func(id string) (*Service, error) {
		if byID == nil {
			byID = map[string]*Service{}
			if list, err := sl.ListServices(ctx, x.plan.StackID); err == nil {
				for _, s := range list {
					byID[s.ID] = s
				}
			}
		}
		if s := byID[id]; s != nil {
			return s, nil
		}
		return get(id)
	}
}

func attachDiagnosis(r *ServiceResult) {
	if r.Diagnosis != nil {
		return
	}
	var failed *healthcheck.FailedError
	var timeout *healthcheck.TimeoutError
	switch {
	case errors.As(r.err, &failed):
		r.Diagnosis = failed.Diagnosis
	case errors.As(r.err, &timeout):
		r.Diagnosis = timeout.Diagnosis
	}
}

// report emits the closing events: one diagnosis per failed service (before the failure is returned), then
// a summary line for the stack.
func (x *executor) report(res *Result, err error) {
	for _, r := range res.Services {
		if r.Diagnosis != nil {
			x.em.Emit(r.Name, progress.Error, "diagnosis: "+r.Diagnosis.String())
		}
		if r.Next != "" {
			x.em.Emit(r.Name, progress.Info, "next: "+r.Next)
		}
	}
	if err != nil {
		x.em.Emit(x.stackResource(), progress.Error, err.Error())
		return
	}
	changed := 0
	for _, r := range res.Services {
		if r.Changed {
			changed++
		}
	}
	x.em.Emit(x.stackResource(), progress.Done, fmt.Sprintf("%s changed, %d unchanged", plural(changed, "service"), len(res.Services)-changed))
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
