package upgrade

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// RancherAPI adapts the rancher.Client to API, healthcheck.Reader and lock.Store. It keeps the last copy
// of each service it saw, so an action or a PUT needs no extra read (actions are checked against that
// copy's actions map, which every poll refreshes).
type RancherAPI struct {
	Client *rancher.Client
	// LogLines, when set, reads the last lines of a container's log for diagnostics.
	LogLines func(ctx context.Context, containerID string, lines int) ([]string, error)

	mu     sync.Mutex
	seen   map[string]*resources.Service
	stacks map[string]*resources.Stack // the last copy of each stack whose outputs were read
	feed   *feed
}

// NewRancherAPI wraps a client; container logs for diagnostics come through LogTail.
func NewRancherAPI(c *rancher.Client) *RancherAPI {
	return &RancherAPI{Client: c, LogLines: LogTail(c, 2*time.Second), seen: map[string]*resources.Service{}}
}

func (a *RancherAPI) remember(s *resources.Service) (*Service, error) {
	a.keep(s)
	return ServiceFrom(s)
}

// keep remembers the last copy of a service read or changed (LastSeen, object).
func (a *RancherAPI) keep(s *resources.Service) {
	kept := *s // a copy: s may be one item of a whole list, which a pointer into it would keep alive
	// Nothing reads a remembered service's upgrade strategy, and while a service is upgraded it holds two
	// whole launch configs: kept for every service of a big stack, they were the largest part of the heap.
	kept.Upgrade = nil
	a.mu.Lock()
	a.seen[s.Id] = &kept
	a.mu.Unlock()
}

// changedTo remembers the answer of a change and returns it without its launch configs (see API).
func (a *RancherAPI) changedTo(s *resources.Service) *Service {
	a.changed(s)
	a.keep(s)
	return serviceHead(s)
}

// ForgetServices drops the services remembered so far. A deploy that planned read-only and now reads the
// stack again under its lock calls it first, so that the first read (a whole stack's services, launch
// configs and all) is not kept alive beside the second; a service not remembered is read by id if needed.
func (a *RancherAPI) ForgetServices() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.seen = map[string]*resources.Service{}
}

func (a *RancherAPI) object(ctx context.Context, id string) (*resources.Service, error) {
	a.mu.Lock()
	s := a.seen[id]
	a.mu.Unlock()
	if s != nil {
		return s, nil
	}
	s, err := a.Client.Services().Get(ctx, id)
	if err != nil {
		return nil, err
	}
	_, _ = a.remember(s)
	return s, nil
}

// LastSeen implements LastSeen: the last copy of the service this adapter read or got back from a change.
func (a *RancherAPI) LastSeen(id string) *Service {
	a.mu.Lock()
	obj := a.seen[id]
	a.mu.Unlock()
	if obj == nil {
		return nil
	}
	s, err := ServiceFrom(obj)
	if err != nil {
		return nil
	}
	return s
}

// ListServices implements StackLister: the stack's non-removed services in one list.
func (a *RancherAPI) ListServices(ctx context.Context, stackID string) ([]*Service, error) {
	list, err := a.listStack(ctx, stackID)
	if err != nil {
		return nil, err
	}
	out := make([]*Service, 0, len(list))
	for i := range list {
		s, err := a.remember(&list[i])
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// CreateService implements API.
func (a *RancherAPI) CreateService(ctx context.Context, kind string, body map[string]any) (*Service, error) {
	s, err := a.Client.ServiceKind(kind).Create(ctx, body)
	if err != nil {
		return nil, err
	}
	return a.changedTo(s), nil
}

// GetService implements API.
func (a *RancherAPI) GetService(ctx context.Context, id string) (*Service, error) {
	s, err := a.Client.Services().Get(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.remember(s)
}

// UpdateService implements API.
func (a *RancherAPI) UpdateService(ctx context.Context, id string, body map[string]any) (*Service, error) {
	obj, err := a.object(ctx, id)
	if err != nil {
		return nil, err
	}
	s, err := a.Client.Services().Update(ctx, obj, body)
	if err != nil {
		return nil, err
	}
	return a.changedTo(s), nil
}

// ServiceAction implements API. setservicelinks answers with the service; the others too.
func (a *RancherAPI) ServiceAction(ctx context.Context, id, action string, body any) (*Service, error) {
	obj, err := a.object(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, ok := obj.Actions[action]; !ok {
		if obj, err = a.Client.Services().Get(ctx, id); err != nil {
			return nil, err
		}
	}
	s, err := a.Client.Services().Action(ctx, obj, action, body)
	if err != nil {
		return nil, err
	}
	return a.changedTo(s), nil
}

// PullImage implements API: one pull task in mode all, waited for; any host not Done is a failure.
func (a *RancherAPI) PullImage(ctx context.Context, image string, labels map[string]string) error {
	task, err := a.Client.PullTasks().Create(ctx, map[string]any{"image": image, "mode": "all", "labels": labels})
	if err != nil {
		return err
	}
	if task, err = a.Client.PullTasks().Wait(ctx, task); err != nil {
		return err
	}
	for host, status := range task.Status {
		if fmt.Sprint(status) != "Done" {
			return fmt.Errorf("Pull failed on one of the hosts: %s: %v", host, status)
		}
	}
	return nil
}

// Service implements healthcheck.Reader. A service whose stack is known is read through the stack's
// poller (feed.go: one list of the stack's moving services answers the waits on it, see Paced); any
// other, or one the poller failed to read, by id.
func (a *RancherAPI) Service(ctx context.Context, id string) (*healthcheck.Service, error) {
	if stackID := a.stackOf(id); stackID != "" {
		obj, err := a.stackFeed().read(ctx, stackID, id)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err == nil {
			a.keep(obj)
			return healthViewOf(obj), nil
		}
	}
	s, err := a.GetService(ctx, id)
	if err != nil {
		return nil, err
	}
	return HealthView(s), nil
}

// Paced implements healthcheck.Paced: reads of a service of a known stack wait for the stack's next poll.
func (a *RancherAPI) Paced(id string) bool { return a.stackOf(id) != "" }

func (a *RancherAPI) stackOf(id string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s := a.seen[id]; s != nil {
		return s.StackId
	}
	return ""
}

// ExpectedSettle implements SettleExpecter: when the poller expects this client's last change of the
// service to have ended, from how long changes of its kind took (lateEnd).
func (a *RancherAPI) ExpectedSettle(id string) (time.Time, bool) {
	stackID := a.stackOf(id)
	if stackID == "" {
		return time.Time{}, false
	}
	return a.stackFeed().lateEnd(stackID, id)
}

// Hurry implements Hurrier: the poller reads the service when its end is expected, without holding it back
// for the rest of its wave (gather.go).
func (a *RancherAPI) Hurry(id string) {
	if stackID := a.stackOf(id); stackID != "" {
		a.stackFeed().hurry(stackID, id)
	}
}

// stackFeed returns the stack-wide poller: DefaultFeedPolicy, or faster when the client was told to poll
// faster than that (RANCHER_COMPOSE_POLL against a fast simulator).
func (a *RancherAPI) stackFeed() *feed {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.feed == nil {
		policy := DefaultFeedPolicy
		if p := a.Client.PollPolicy(); p.Min > 0 && p.Min < policy.Tick {
			policy.Tick, policy.Max = p.Min, max(min(p.Max, policy.Max), p.Min)
		}
		a.feed = newFeed(a.pollMoving, a.Client.Services().Get, policy)
		a.feed.listIn, a.feed.inState = a.pollIn, a.rememberedIn
	}
	return a.feed
}

// listStack lists the stack's services without their upgrade strategies, which remember drops anyway.
func (a *RancherAPI) listStack(ctx context.Context, stackID string) ([]resources.Service, error) {
	return a.Client.ListServicesWithoutUpgrade(ctx, rancher.Filters{"stackId": stackID}.NotRemoved())
}

// changed tells the poller of the service's stack that a wait on it should expect news soon.
func (a *RancherAPI) changed(s *resources.Service) {
	if s != nil && s.StackId != "" {
		a.stackFeed().kick(s.StackId, s)
	}
}

// Containers implements healthcheck.Reader: the service's instances link.
func (a *RancherAPI) Containers(ctx context.Context, serviceID string) ([]healthcheck.Container, error) {
	obj, err := a.object(ctx, serviceID)
	if err != nil {
		return nil, err
	}
	return rancher.ListLink[healthcheck.Container](ctx, a.Client, obj, "instances", nil)
}

// Logs implements healthcheck.LogReader through LogLines; without it, diagnostics say logs are unavailable.
func (a *RancherAPI) Logs(ctx context.Context, containerID string, lines int) ([]string, error) {
	if a.LogLines == nil {
		return nil, fmt.Errorf("container logs are not available through this client")
	}
	return a.LogLines(ctx, containerID, lines)
}

// Outputs implements lock.Store.
func (a *RancherAPI) Outputs(ctx context.Context, stackID string) (map[string]string, error) {
	st, err := a.Client.Stacks().Get(ctx, stackID)
	if err != nil {
		return nil, err
	}
	a.KnowStack(st)
	return StackOutputs(st), nil
}

// KnowStack records a stack as the caller just read or created it, so that writing its outputs needs no
// read first.
func (a *RancherAPI) KnowStack(st *resources.Stack) {
	if st == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stacks == nil {
		a.stacks = map[string]*resources.Stack{}
	}
	a.stacks[st.Id] = st
}

// StackOutputs returns a stack's outputs as the strings lock.Store deals in.
func StackOutputs(st *resources.Stack) map[string]string {
	out := map[string]string{}
	for k, v := range st.Outputs {
		out[k] = fmt.Sprint(v)
	}
	return out
}

// SetOutputs implements lock.Store with a PUT of the stack's outputs, to the stack as last read (the PUT
// carries the whole outputs map, so only the stack's address is taken from that copy).
func (a *RancherAPI) SetOutputs(ctx context.Context, stackID string, outputs map[string]string) error {
	a.mu.Lock()
	st := a.stacks[stackID]
	a.mu.Unlock()
	if st == nil {
		var err error
		if st, err = a.Client.Stacks().Get(ctx, stackID); err != nil {
			return err
		}
	}
	_, err := a.Client.Stacks().Update(ctx, st, map[string]any{"outputs": outputs})
	return err
}

// Observe reads the live state of a stack for Reconcile: its non-removed services, and the external link
// targets ("stack/service") of the desired services that exist. A nil stack (not created yet) observes nothing.
func (a *RancherAPI) Observe(ctx context.Context, stack *resources.Stack, desired []*Desired) (*Observed, error) {
	obs := &Observed{Services: map[string]*Service{}, External: map[string]string{}}
	if stack == nil {
		return obs, nil
	}
	list, err := a.listStack(ctx, stack.Id)
	if err != nil {
		return nil, fmt.Errorf("listing the services of stack %s: %w", stack.Name, err)
	}
	existing := make(map[string]*resources.Service, len(list))
	for i := range list {
		existing[list[i].Name] = &list[i]
	}
	return a.ObserveListed(ctx, stack, existing, desired)
}

// ObserveListed is Observe for a caller that has just listed the stack's non-removed services (by name), so
// they are not listed a second time.
func (a *RancherAPI) ObserveListed(ctx context.Context, stack *resources.Stack, existing map[string]*resources.Service, desired []*Desired) (*Observed, error) {
	obs := &Observed{Services: map[string]*Service{}, External: map[string]string{}}
	if stack == nil {
		return obs, nil
	}
	obs.Stack, obs.StackID = stack.Name, stack.Id
	for _, svc := range existing {
		s, err := a.remember(svc)
		if err != nil {
			return nil, err
		}
		obs.Services[s.Name] = s
	}
	for _, target := range externalTargets(desired) {
		id, err := a.resolve(ctx, target)
		if err != nil {
			return nil, err
		}
		if id != "" {
			obs.External[target] = id
		}
	}
	return obs, nil
}

func (a *RancherAPI) resolve(ctx context.Context, target string) (string, error) {
	stackName, name, ok := strings.Cut(target, "/")
	if !ok {
		return "", nil
	}
	st, err := a.Client.Stacks().ByName(ctx, stackName, rancher.Filters{})
	if err != nil || st == nil {
		return "", err
	}
	s, err := a.Client.Services().ByName(ctx, name, rancher.Filters{"stackId": st.Id})
	if err != nil || s == nil {
		return "", err
	}
	return s.Id, nil
}

func externalTargets(desired []*Desired) []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range desired {
		for _, l := range d.Links {
			if (l.External || strings.Contains(l.Target, "/")) && !seen[l.Target] {
				seen[l.Target] = true
				out = append(out, l.Target)
			}
		}
	}
	return out
}
