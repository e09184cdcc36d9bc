package healthcheck

import (
	"context"
	"errors"
	"fmt"
)

// ErrTimeout is returned when a wait's own timeout passes; it matches context.DeadlineExceeded with errors.Is.
var ErrTimeout error = timeoutError{}

type timeoutError struct{}

func (timeoutError) Error() string   { return "timed out waiting" }
func (timeoutError) Is(t error) bool { return t == context.DeadlineExceeded }

// Labels and values the rules read.
const (
	LabelStartOnce     = "io.rancher.container.start_once"
	LabelLaunchConfig  = "io.rancher.service.launch.config"
	PrimaryLaunchLabel = "io.rancher.service.primary.launch.config"
	labelGlobal        = "io.rancher.scheduler.global"
)

// Service is the part of a service resource the waits read; it decodes from the API's JSON.
type Service struct {
	ID                     string           `json:"id"`
	Name                   string           `json:"name"`
	Kind                   string           `json:"type"`
	State                  string           `json:"state"`
	Transitioning          string           `json:"transitioning,omitempty"`
	TransitioningMessage   string           `json:"transitioningMessage,omitempty"`
	HealthState            string           `json:"healthState,omitempty"`
	Scale                  int64            `json:"scale"`
	LaunchConfig           map[string]any   `json:"launchConfig,omitempty"`
	SecondaryLaunchConfigs []map[string]any `json:"secondaryLaunchConfigs,omitempty"`
}

// Container is the part of a container resource the waits read. ExitCode is nil when the API does not say.
type Container struct {
	ID                   string `json:"id"`
	Name                 string `json:"name"`
	State                string `json:"state"`
	HealthState          string `json:"healthState,omitempty"`
	Transitioning        string `json:"transitioning,omitempty"`
	TransitioningMessage string `json:"transitioningMessage,omitempty"`
	Version              string `json:"version,omitempty"`
	StartCount           int64  `json:"startCount,omitempty"`
	ExitCode             *int64 `json:"exitCode,omitempty"`
	// LastExitCode is the name Cattle's unmerged exit-code change (rancher/cattle#2903) gave the field.
	LastExitCode *int64         `json:"lastExitCode,omitempty"`
	Labels       map[string]any `json:"labels,omitempty"`
	Created      string         `json:"created,omitempty"`
}

// Exit returns the container's exit code when the API reports one. Stock Rancher 1.6 does not
// (rancher/rancher#5978), so a start-once container that stopped is then taken as done.
func (c Container) Exit() *int64 {
	if c.ExitCode != nil {
		return c.ExitCode
	}
	return c.LastExitCode
}

// Reader reads services and their containers.
type Reader interface {
	Service(ctx context.Context, id string) (*Service, error)
	Containers(ctx context.Context, serviceID string) ([]Container, error)
}

// LogReader returns the last lines of a container's log.
type LogReader interface {
	Logs(ctx context.Context, containerID string, lines int) ([]string, error)
}

// FailedError is a service that reached a failed state: transitioning=error, an unhealthy container, a
// start-once container that exited non-zero. It carries the diagnosis made before returning.
type FailedError struct {
	Service   string
	Reason    string
	Diagnosis *Diagnosis
}

// Error names the service and why it failed.
func (e *FailedError) Error() string {
	return fmt.Sprintf("service %s failed: %s", e.Service, e.Reason)
}

// IsFailed tells whether err is (or wraps) a FailedError.
func IsFailed(err error) bool {
	var f *FailedError
	return errors.As(err, &f)
}
