package upgrade

import (
	"context"
	"net/url"
	"strconv"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// polledService is what the stack poller decodes of each service: what a wait reads (state, health,
// scale) and what the next action needs (links and actions). The launch configs, most of a service's
// bytes, are skipped without being built: they change only through this client's own requests, whose
// answers are remembered whole.
type polledService struct {
	resources.Resource
	Name                  string `json:"name"`
	StackId               string `json:"stackId"`
	State                 string `json:"state"`
	Transitioning         string `json:"transitioning"`
	TransitioningMessage  string `json:"transitioningMessage"`
	TransitioningProgress int64  `json:"transitioningProgress"`
	HealthState           string `json:"healthState"`
	Scale                 int64  `json:"scale"`
	CurrentScale          int64  `json:"currentScale"`
}

// over returns a copy of full with the polled fields of p.
func (p *polledService) over(full *resources.Service) resources.Service {
	s := *full
	s.Resource = p.Resource
	s.Name, s.StackId, s.State = p.Name, p.StackId, p.State
	s.Transitioning, s.TransitioningMessage, s.TransitioningProgress = p.Transitioning, p.TransitioningMessage, p.TransitioningProgress
	s.HealthState, s.Scale, s.CurrentScale = p.HealthState, p.Scale, p.CurrentScale
	return s
}

// pollMoving lists the stack's services in a transition (not in settledStates), listPage to a page, for the
// poller: each one this client has seen whole, updated with its polled fields. One not seen yet is left out
// (its reader reads it by id, whole); listed counts them all.
func (a *RancherAPI) pollMoving(ctx context.Context, stackID string) (moving []resources.Service, listed int, err error) {
	q := rancher.Filters{"stackId": stackID}.NotRemoved().Query()
	for _, st := range settledStates {
		q.Add("state_ne", st)
	}
	return a.pollQuery(ctx, q)
}

// pollIn lists the stack's services in one state, for the poller's landings (landing.go), as pollMoving does.
func (a *RancherAPI) pollIn(ctx context.Context, stackID, state string) ([]resources.Service, error) {
	list, _, err := a.pollQuery(ctx, rancher.Filters{"stackId": stackID, "state": state}.NotRemoved().Query())
	return list, err
}

func (a *RancherAPI) pollQuery(ctx context.Context, q url.Values) (out []resources.Service, listed int, err error) {
	q.Set("limit", strconv.Itoa(listPage))
	polled, err := rancher.NewHandle[polledService](a.Client, "service").ListQuery(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	out = make([]resources.Service, 0, len(polled))
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := range polled {
		if full := a.seen[polled[i].Id]; full != nil {
			out = append(out, polled[i].over(full))
		}
	}
	return out, len(polled), nil
}

// rememberedIn counts the services of the stack last seen in state: what a list of that state holds besides
// the services about to join it, as far as this client knows.
func (a *RancherAPI) rememberedIn(stackID, state string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, s := range a.seen {
		if s.StackId == stackID && s.State == state {
			n++
		}
	}
	return n
}
