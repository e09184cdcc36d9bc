package upgrade

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
)

func TestDeployErrorExposesServiceErrorsButExitsOne(t *testing.T) {
	failed := &healthcheck.FailedError{Service: "migrate"}
	err := fmt.Errorf("up: %w", &DeployError{Failed: map[string]error{
		"migrate": failed,
		"web":     fmt.Errorf("waiting: %w", context.DeadlineExceeded),
	}})
	if !healthcheck.IsFailed(err) {
		t.Error("the FailedError of a service is not reachable with errors.As")
	}
	var coder interface{ ExitCode() int }
	if !errors.As(err, &coder) || coder.ExitCode() != 1 {
		t.Errorf("exit code: got %v", coder)
	}
}

// apiFailure stands for the client's errors that exit 5 (unreachable, unusable answers).
type apiFailure struct{}

func (apiFailure) Error() string { return "GET http://rancher/v2-beta/services/1s1: unusable answer" }
func (apiFailure) ExitCode() int { return 5 }

func TestDeployErrorOfTheAPIExitsFive(t *testing.T) {
	err := fmt.Errorf("up: %w", &DeployError{Failed: map[string]error{
		"migrate": &healthcheck.FailedError{Service: "migrate"},
		"web":     fmt.Errorf("reading web: %w", apiFailure{}),
	}})
	var coder interface{ ExitCode() int }
	if !errors.As(err, &coder) || coder.ExitCode() != 5 {
		t.Errorf("exit code: got %v", coder)
	}
}
