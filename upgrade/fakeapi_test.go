package upgrade

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
)

// fakeAPI is an in-memory Rancher: services settle at once and follow the state machine of rancher-api.md §5.1.
type fakeAPI struct {
	mu       sync.Mutex
	services map[string]*Service // by id
	calls    []string
	bodies   map[string]any // "name action" → last body
	fail     map[string]error
	next     int
}

func newFakeAPI(existing ...*Service) *fakeAPI {
	f := &fakeAPI{services: map[string]*Service{}, bodies: map[string]any{}, fail: map[string]error{}}
	for _, s := range existing {
		c := *s
		f.services[s.ID] = &c
	}
	return f
}

func (f *fakeAPI) record(name, what string, body any) error {
	f.calls = append(f.calls, name+" "+what)
	f.bodies[name+" "+what] = body
	return f.fail[name+" "+what]
}

func (f *fakeAPI) CreateService(_ context.Context, kind string, body map[string]any) (*Service, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name := fmt.Sprint(body["name"])
	if err := f.record(name, "create", body); err != nil {
		return nil, err
	}
	f.next++
	s := &Service{ID: fmt.Sprintf("1s%d", f.next), Name: name, Kind: kind, State: stateInactive, Scale: 1}
	s.Actions = actionsFor(s.State)
	f.services[s.ID] = s
	c := *s
	return &c, nil
}

func (f *fakeAPI) GetService(_ context.Context, id string) (*Service, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.services[id]
	if !ok {
		return nil, fmt.Errorf("no service %s", id)
	}
	c := *s
	return &c, nil
}

func (f *fakeAPI) UpdateService(_ context.Context, id string, body map[string]any) (*Service, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.services[id]
	what := "update"
	if len(body) == 1 {
		what = "scale"
	}
	if err := f.record(s.Name, what, body); err != nil {
		return nil, err
	}
	if n, ok := body["scale"].(int64); ok {
		s.Scale = n
	}
	c := *s
	return &c, nil
}

var transitions = map[string]string{
	"activate": stateActive, "upgrade": stateUpgraded, "finishupgrade": stateActive, "rollback": stateActive,
	"deactivate": stateInactive,
}

func (f *fakeAPI) ServiceAction(_ context.Context, id, action string, body any) (*Service, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.services[id]
	if err := f.record(s.Name, action, body); err != nil {
		return nil, err
	}
	if _, ok := s.Actions[action]; !ok {
		return nil, fmt.Errorf("Action [%s] not available on service %s in state %s", action, s.Name, s.State)
	}
	applyLaunchConfig(s, action, body)
	if next, ok := transitions[action]; ok {
		s.State = next
		s.Actions = actionsFor(next)
	}
	c := *s
	return &c, nil
}

func (f *fakeAPI) PullImage(_ context.Context, image string, _ map[string]string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.record("pull", image, nil)
}

func (f *fakeAPI) callsOf(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		if strings.HasPrefix(c, name+" ") {
			out = append(out, strings.TrimPrefix(c, name+" "))
		}
	}
	return strings.Join(out, " ")
}

func (f *fakeAPI) indexOf(call string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, c := range f.calls {
		if c == call {
			return i
		}
	}
	return -1
}

func actionsFor(state string) map[string]string {
	out := map[string]string{}
	for _, a := range stateActions[state] {
		out[a] = a
	}
	return out
}

// fakeHealth settles at once and answers Healthy per service name: nil, an error, or "block" until ctx ends.
type fakeHealth struct {
	api     *fakeAPI
	healthy map[string]string // name → "" (healthy), "fail", "block"
	mu      sync.Mutex
	waited  []string
}

func (h *fakeHealth) name(id string) string {
	s, _ := h.api.GetService(context.Background(), id)
	if s == nil {
		return id
	}
	return s.Name
}

func (h *fakeHealth) Settle(_ context.Context, id string) (*healthcheck.Service, error) {
	s, err := h.api.GetService(context.Background(), id)
	if err != nil {
		return nil, err
	}
	return HealthView(s), nil
}

func (h *fakeHealth) Healthy(ctx context.Context, id string) (*healthcheck.Service, error) {
	name := h.name(id)
	h.mu.Lock()
	h.waited = append(h.waited, name)
	h.mu.Unlock()
	switch h.healthy[name] {
	case "fail":
		return nil, &healthcheck.FailedError{Service: name, Reason: "container demo-" + name + "-1 is unhealthy",
			Diagnosis: &healthcheck.Diagnosis{Service: name, State: "upgraded", Containers: []healthcheck.ContainerDiagnosis{{Name: "demo-" + name + "-1", State: "running", HealthState: "unhealthy", Logs: []string{"boom"}}}}}
	case "block":
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return h.Settle(ctx, id)
}

func (h *fakeHealth) Diagnose(_ context.Context, id string) *healthcheck.Diagnosis {
	return &healthcheck.Diagnosis{Service: h.name(id), State: "upgrading", TransitioningMessage: "waiting for healthy containers"}
}

func (f *fakeAPI) idOf(name string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, s := range f.services {
		if s.Name == name {
			return id
		}
	}
	return ""
}

// previous holds the launch config an upgrade replaced, for rollback (keyed by service id).
var previous sync.Map

func applyLaunchConfig(s *Service, action string, body any) {
	switch action {
	case "upgrade":
		m, _ := body.(map[string]any)
		strategy, _ := m[bodyFieldInServiceStrategy].(map[string]any)
		if lc, ok := strategy[bodyFieldLaunchConfig].(map[string]any); ok {
			previous.Store(s.ID, s.LaunchConfig)
			s.LaunchConfig = lc
		}
	case "rollback":
		if lc, ok := previous.Load(s.ID); ok {
			s.LaunchConfig = lc.(map[string]any)
		}
	}
}
