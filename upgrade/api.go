package upgrade

import (
	"context"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
)

// API is what the executor needs from a Rancher client. Every call returns the service as the server
// answered; errors are returned, never swallowed. NewRancherAPI adapts the real client.
// The answers of the changes (CreateService, UpdateService, ServiceAction) may leave out the launch
// configs: the executor reads only which service it was; GetService gives the whole service.
type API interface {
	// CreateService POSTs body to the collection of kind (service, loadBalancerService, ...).
	CreateService(ctx context.Context, kind string, body map[string]any) (*Service, error)
	// GetService reloads one service by id.
	GetService(ctx context.Context, id string) (*Service, error)
	// UpdateService PUTs body to the service.
	UpdateService(ctx context.Context, id string, body map[string]any) (*Service, error)
	// ServiceAction POSTs ?action=name with body (nil for none).
	ServiceAction(ctx context.Context, id, action string, body any) (*Service, error)
	// PullImage runs one pull task (mode all) with the labels and waits for it; a failure on any host is an error.
	PullImage(ctx context.Context, image string, labels map[string]string) error
}

// Health waits on services; *healthcheck.Waiter is the implementation.
type Health interface {
	Settle(ctx context.Context, id string) (*healthcheck.Service, error)
	Healthy(ctx context.Context, id string) (*healthcheck.Service, error)
	Diagnose(ctx context.Context, id string) *healthcheck.Diagnosis
}
