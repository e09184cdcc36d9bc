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
