package rancherengine

import (
	"context"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// FinishOptions describe a pipeline step run after `up --upgrade` from the live stack alone: confirm or
// rollback (Planner: upgrade.PlanConfirm or upgrade.PlanRollback, Verb names it in errors).
type FinishOptions struct {
	Services    []string
	DryRun      bool
	ForceUnlock bool
	Planner     func(*upgrade.Observed, []string, upgrade.Options) (*upgrade.Plan, error)
	Verb        string
}

// Finish plans the confirm or rollback from the stack as it is, under the deploy lock, and (unless a dry
// run) carries it out. The outcome is nil when nothing was planned.
func (s *Session) Finish(ctx context.Context, name string, o FinishOptions) (*DeployOutcome, error) {
	args := o.Services
	st, err := s.FindStack(ctx, name)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("%s: stack %s does not exist", o.Verb, name)
	}
	if !o.DryRun {
		var release func()
		if ctx, release, err = s.AcquireLock(ctx, st, o.ForceUnlock); err != nil {
			return nil, err
		}
		defer release()
	} else {
		s.WarnIfLocked(ctx, st)
	}
	obs, err := s.API.Observe(ctx, st, nil)
	if err != nil {
		return nil, err
	}
	plan, err := o.Planner(obs, args, upgrade.Options{Services: args})
	if err != nil {
		return nil, err
	}
	out := &DeployOutcome{Plan: plan}
	if !o.DryRun {
		s.EmitWarnings(plan)
		out.Result, err = upgrade.Execute(ctx, plan, s.API, s.Events, s.ExecuteOptions()...)
		s.EmitNotes(plan, out.Result)
	}
	return out, err
}
