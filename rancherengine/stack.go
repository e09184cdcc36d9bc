package rancherengine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// FindStack returns the stack named name (case-insensitively, as the original matched), or nil.
func (s *Session) FindStack(ctx context.Context, name string) (*resources.Stack, error) {
	st, err := s.Client.Stacks().ByName(ctx, name, rancher.Filters{})
	if err != nil {
		return nil, fmt.Errorf("looking up stack %s: %w", name, err)
	}
	return st, nil
}

// EnsureStackCreated returns the stack, creating it when it is missing (with its name, as the original did,
// and outputs when not nil: a deploy's lock), and tells whether it was created by this call (so it holds no
// services yet and carries outputs). It does not wait for a new stack to turn active: the API accepts
// services in an activating stack, and waiting cost a few polls before the first service. A stack another
// run created between the look-up and the create (422 NotUnique) is looked up again and returned as found.
func (s *Session) EnsureStackCreated(ctx context.Context, name string, outputs map[string]string) (*resources.Stack, bool, error) {
	st, err := s.FindStack(ctx, name)
	if err != nil || st != nil {
		return st, false, err
	}
	s.Events.Emit("stack "+name, progress.Working, "Creating stack "+name)
	body := map[string]any{"name": name}
	if outputs != nil {
		body["outputs"] = outputs
	}
	if st, err = s.Client.Stacks().Create(ctx, body); err != nil {
		var apiErr *rancher.APIError
		if errors.As(err, &apiErr) && apiErr.Code == "NotUnique" {
			if again, ferr := s.FindStack(ctx, name); ferr == nil && again != nil {
				return again, false, nil
			}
		}
		return nil, false, fmt.Errorf("creating stack %s: %w", name, err)
	}
	if st.Transitioning == "error" {
		return nil, false, fmt.Errorf("creating stack %s: %s", name, st.TransitioningMessage)
	}
	s.Events.Emit("stack "+name, progress.Done, "Created stack "+name)
	return st, true, nil
}

// StackServices lists the stack's non-removed services by name (nil stack: none).
func (s *Session) StackServices(ctx context.Context, st *resources.Stack) (map[string]*resources.Service, error) {
	out := map[string]*resources.Service{}
	if st == nil {
		return out, nil
	}
	// no reader of the stack's services looks at their upgrade strategies (two launch configs each)
	list, err := s.Client.ListServicesWithoutUpgrade(ctx, rancher.Filters{"stackId": st.Id}.NotRemoved())
	if err != nil {
		return nil, fmt.Errorf("listing the services of stack %s: %w", st.Name, err)
	}
	for i := range list {
		out[list[i].Name] = &list[i]
	}
	return out, nil
}

// resolver answers the launch-config builder's server lookups. Services of this stack come from the ids
// known so far (none for a project service that does not exist yet: scopedResolver records it, so its
// dependants are built again once it is created).
type resolver struct {
	s       *Session
	project *compose.Project

	mu  sync.Mutex
	ids map[string]string
}

func newResolver(s *Session, p *compose.Project, existing map[string]*resources.Service) *resolver {
	r := &resolver{s: s, project: p, ids: map[string]string{}}
	for name, svc := range existing {
		r.ids[name] = svc.Id
	}
	return r
}

// Setting implements launchconfig.Resolver.
func (r *resolver) Setting(ctx context.Context, name string) (string, error) {
	st, err := r.s.Client.Settings().Get(ctx, name)
	if err != nil {
		return "", err
	}
	if st.ActiveValue != "" && st.Value == "" {
		return st.ActiveValue, nil
	}
	return st.Value, nil
}

// ServiceID implements launchconfig.Resolver.
func (r *resolver) ServiceID(ctx context.Context, name string) (string, error) {
	if stackName, svcName, ok := strings.Cut(name, "/"); ok {
		st, err := r.s.FindStack(ctx, stackName)
		if err != nil || st == nil {
			return "", err
		}
		svc, err := r.s.Client.Services().ByName(ctx, svcName, rancher.Filters{"stackId": st.Id})
		if err != nil || svc == nil {
			return "", err
		}
		return svc.Id, nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.ids[name], nil
}

// CertificateID implements launchconfig.Resolver.
func (r *resolver) CertificateID(ctx context.Context, name string) (string, error) {
	c, err := r.s.Client.Certificates().ByName(ctx, name, rancher.Filters{})
	if err != nil {
		return "", err
	}
	if c == nil {
		return "", fmt.Errorf("Failed to find certificate %s", name)
	}
	return c.Id, nil
}

// learn records the ids of services that exist now.
func (r *resolver) learn(services map[string]*resources.Service) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, svc := range services {
		r.ids[name] = svc.Id
	}
}
