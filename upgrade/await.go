package upgrade

import (
	"context"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// settlesTo maps a transitional service state to the state Rancher leaves the service in when the
// transition ends well. A service observed in one of them (left by an interrupted or timed-out run, or
// by another client) is waited for before anything else is planned for it.
var settlesTo = map[string]string{
	"activating":        stateActive,
	"restarting":        stateActive,
	"updating-active":   stateActive,
	"finishing-upgrade": stateActive,
	"rolling-back":      stateActive,
	"upgrading":         stateUpgraded,
	"registering":       stateInactive,
	"deactivating":      stateInactive,
	"updating-inactive": stateInactive,
	"canceling-upgrade": "canceled-upgrade",
}

// planAwait adds an await step when the service is mid-transition, and returns the service as the rest of
// the plan should see it: in the state the transition ends in (offering activate there when inactive).
func planAwait(p *ServicePlan, s *Service) *Service {
	settled, ok := settlesTo[s.State]
	if !ok || s.Transitioning == "no" {
		return s
	}
	p.add(Step{Kind: StepAwait, Reason: fmt.Sprintf("service is %s (an earlier run or another client started it): wait until it is %s", s.State, settled), State: settled})
	c := *s
	c.State, c.Transitioning = settled, "no"
	if settled == stateInactive {
		c.Actions = map[string]string{actionActivate: ""}
	}
	return &c
}

// await waits until the service's transition ends, and fails unless it ended in the state the plan expects.
func (x *executor) await(ctx context.Context, sp *ServicePlan, st Step) error {
	id := x.id(sp.Name)
	x.em.Emit(sp.Name, progress.Working, fmt.Sprintf("Waiting for the service, %s, to be %s", sp.State, st.State))
	if err := x.settle(ctx, sp.Name, id); err != nil {
		return err
	}
	svc := x.lastSeen(id)
	if svc == nil {
		var err error
		if svc, err = x.api.GetService(ctx, id); err != nil {
			return fmt.Errorf("reading %s: %w", sp.Name, err)
		}
	}
	if svc.State != st.State {
		return fmt.Errorf("%s went from %s to %s, not %s: run again to plan from there", sp.Name, sp.State, svc.State, st.State)
	}
	x.em.Emit(sp.Name, progress.Done, "Now "+svc.State)
	return nil
}
