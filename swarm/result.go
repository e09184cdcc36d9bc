package swarm

import (
	"context"
	"errors"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/engine"
)

// ServiceResult is what happened to one service (the JSON result's shape matches the Rancher engine's).
type ServiceResult struct {
	Name       string     `json:"name"`
	Action     string     `json:"action"`
	Changed    bool       `json:"changed"`
	OldImage   string     `json:"oldImage,omitempty"`
	NewImage   string     `json:"newImage,omitempty"`
	State      string     `json:"state,omitempty"`
	DurationMs int64      `json:"durationMs"`
	Done       []StepKind `json:"done"`
	RolledBack bool       `json:"rolledBack,omitempty"`
	Error      string     `json:"error,omitempty"`
	// Health is the last health-check output of a failing task, when there was one.
	Health string `json:"health,omitempty"`
	Next   string `json:"next,omitempty"`
	// NotAttempted is true when a depends_on dependency did not reach its condition: nothing was sent for
	// this service (Error says why).
	NotAttempted bool `json:"notAttempted,omitempty"`

	upgraded bool
	err      error
}

// Result is the outcome of Execute.
type Result struct {
	// Version is SchemaVersion.
	Version    int              `json:"version"`
	Stack      string           `json:"stack,omitempty"`
	Engine     string           `json:"engine"`
	Changed    bool             `json:"changed"`
	RolledBack bool             `json:"rolledBack,omitempty"`
	DurationMs int64            `json:"durationMs"`
	Services   []*ServiceResult `json:"services"`
	// Orphans are the stack's services in none of the files; RemovedOrphans those this run removed.
	Orphans        []string `json:"orphans,omitempty"`
	RemovedOrphans []string `json:"removedOrphans,omitempty"`
}

// Service returns the result of the named service, or nil.
func (r *Result) Service(name string) *ServiceResult {
	for _, s := range r.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// HealthError is a service whose new tasks did not become healthy: Swarm paused its update, rolled it back
// itself, or kept replacing unhealthy tasks. It names the service and the last health-check output (exit 4:
// the stack did not settle healthy).
type HealthError struct {
	Service    string
	Reason     string
	LastHealth string
}

func (e *HealthError) Error() string {
	msg := fmt.Sprintf("%s did not become healthy: %s", e.Service, e.Reason)
	if e.LastHealth != "" {
		msg += "; last health check: " + e.LastHealth
	}
	return msg
}

// ExitCode is 4, as for a stack that did not settle before --timeout.
func (e *HealthError) ExitCode() int { return 4 }

// DeployError lists the services that failed; the others were carried out. Its exit code is 4 when every
// failure is a health or time failure, 1 otherwise.
type DeployError struct {
	Failed map[string]error
}

func (e *DeployError) Error() string { return engine.FailedServicesMessage(e.Failed) }

// Unwrap exposes each service's error.
func (e *DeployError) Unwrap() []error { return engine.FailedServicesErrors(e.Failed) }

// ExitCode is 4 when all failures are health failures or timeouts, 130 when interrupted, else 1 (a
// service not attempted because a dependency failed its gate is 1, as on Rancher).
func (e *DeployError) ExitCode() int {
	code := 4
	for _, err := range e.Failed {
		var h *HealthError
		var g *GateError
		switch {
		case errors.Is(err, context.Canceled):
			return 130
		case errors.As(err, &g):
			code = 1
		case errors.As(err, &h), errors.Is(err, context.DeadlineExceeded):
		default:
			code = 1
		}
	}
	return code
}

// AtomicError is an --atomic run that failed: every service it upgraded was rolled back (exit 6), or a
// rollback failed too (exit 1); the type all engines share.
type AtomicError = engine.AtomicError
