package upgrade

import (
	"fmt"
	"sort"
	"strings"
)

// PlanConfirm plans `upgrade --confirm [SERVICE...]` from the live stack alone, without compose files:
// finishupgrade on each named service (default: every service in `upgraded`). A named service that is not
// upgraded is left alone with a note, as -c does; a name the stack does not have is an error.
func PlanConfirm(observed *Observed, names []string, opts Options) (*Plan, error) {
	return planLater(observed, names, opts, func(s *Service) bool { return s.State == stateUpgraded },
		func(p *ServicePlan, s *Service) {
			if s.State != stateUpgraded {
				p.Notes = append(p.Notes, fmt.Sprintf("not upgraded (%s): nothing to confirm", s.State))
				return
			}
			p.add(Step{Kind: StepConfirm, Reason: "upgrade --confirm"})
		})
}

// PlanRollback plans `rollback [SERVICE...]` from the live stack alone: rollback on each named service
// (default: every service the API offers a rollback for: upgrading, upgraded, canceled-upgrade).
func PlanRollback(observed *Observed, names []string, opts Options) (*Plan, error) {
	return planLater(observed, names, opts, func(s *Service) bool { return s.HasAction(actionRollback) },
		func(p *ServicePlan, s *Service) { planRollback(p, s, opts) })
}

func planLater(observed *Observed, names []string, opts Options, byDefault func(*Service) bool, plan func(*ServicePlan, *Service)) (*Plan, error) {
	if observed == nil {
		observed = &Observed{}
	}
	var missing []string
	for _, n := range names {
		if observed.Services[n] == nil {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("no service %s in stack %s", strings.Join(missing, ", "), observed.Stack)
	}
	if len(names) == 0 {
		for n, s := range observed.Services {
			if byDefault(s) {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	p := &Plan{Version: SchemaVersion, Stack: observed.Stack, StackID: observed.StackID}
	for _, n := range names {
		s := observed.Services[n]
		sp := &ServicePlan{Name: n, Kind: s.Kind, ID: s.ID, State: s.State, OldImage: s.Image(), NewImage: s.Image(), Steps: []Step{}}
		plan(sp, s)
		sp.Action = summarize(sp)
		p.Services = append(p.Services, sp)
	}
	return p, nil
}
