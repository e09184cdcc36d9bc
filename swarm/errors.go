package swarm

import (
	"fmt"
	"strings"
)

// exit codes shared with the rest of the tool (cmd/exitcodes.go).
const (
	exitFailed      = 1
	exitUsage       = 2
	exitUnreachable = 5
)

// UnreachableError is a Docker daemon that cannot be reached or is too old (exit 5).
type UnreachableError struct {
	Host string
	Err  error
}

func (e *UnreachableError) Error() string {
	if e.Host == "" {
		return fmt.Sprintf("Docker daemon: %v", e.Err)
	}
	return fmt.Sprintf("Docker daemon at %s: %v", e.Host, e.Err)
}

// Unwrap returns the cause.
func (e *UnreachableError) Unwrap() error { return e.Err }

// ExitCode is 5, as for an unreachable Rancher API.
func (e *UnreachableError) ExitCode() int { return exitUnreachable }

// EndpointError is a DOCKER_HOST (or TLS setting) that cannot be used (exit 2).
type EndpointError struct {
	Host   string
	Reason string
}

func (e *EndpointError) Error() string {
	return fmt.Sprintf("DOCKER_HOST %q: %s", e.Host, e.Reason)
}

// ExitCode is 2: the configuration is wrong, nothing was tried.
func (e *EndpointError) ExitCode() int { return exitUsage }

// APIError is a non-2xx answer from the Engine API.
type APIError struct {
	Method, Path string
	Status       int
	Message      string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, strings.TrimSpace(e.Message))
}

// ExitCode is 5 for 401/403 (refused credentials), 1 otherwise.
func (e *APIError) ExitCode() int {
	if e.Status == 401 || e.Status == 403 {
		return exitUnreachable
	}
	return exitFailed
}

// NotFound reports whether the object did not exist.
func (e *APIError) NotFound() bool { return e.Status == 404 }

// MappingError lists what in the project cannot be deployed to Swarm (exit 2); nothing was sent.
type MappingError struct {
	Problems []string
}

func (e *MappingError) Error() string {
	return "cannot deploy to Swarm:\n  " + strings.Join(e.Problems, "\n  ")
}

// ExitCode is 2: bad input, nothing was changed.
func (e *MappingError) ExitCode() int { return exitUsage }
