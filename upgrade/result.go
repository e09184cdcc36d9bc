package upgrade

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
)

// ServiceResult is what happened to one service, for the JSON result of `up`.
type ServiceResult struct {
	Name string `json:"name"`
	// Action is the planned one-word summary (create, upgrade, unchanged, ...).
	Action string `json:"action"`
	// Changed is true when a mutating step took effect.
	Changed bool `json:"changed"`
	// OldImage is the primary image before the run, NewImage the one the plan deploys (equal when unchanged).
	OldImage string `json:"oldImage,omitempty"`
	NewImage string `json:"newImage,omitempty"`
	// State, Health and Image (the primary image it runs) are read after the run.
	State      string `json:"state,omitempty"`
	Health     string `json:"health,omitempty"`
	Image      string `json:"image,omitempty"`
	DurationMs int64  `json:"durationMs"`
	// Done lists the steps that completed, in order.
	Done []StepKind `json:"done"`
	// Started lists the steps whose request the API accepted but that did not complete (the run failed,
	// timed out or was interrupted while waiting for them): the service was changed all the same.
	Started    []StepKind `json:"started,omitempty"`
	RolledBack bool       `json:"rolledBack,omitempty"`
	// NotAttempted is true when a depends_on dependency did not reach its condition: nothing was sent for
	// this service (Error says which dependency and why).
	NotAttempted bool   `json:"notAttempted,omitempty"`
	Error        string `json:"error,omitempty"`
	// Diagnosis explains a failure or a timeout: service state, failing containers, log tails.
	Diagnosis *healthcheck.Diagnosis `json:"diagnosis,omitempty"`
	// Next is the command to run to finish what was left, when anything was.
	Next string `json:"next,omitempty"`

	err      error
	upgraded bool // an upgrade action was accepted, so --atomic must confirm or roll it back
	accepted bool // the current step's request was accepted: the service changed even if the step fails
	began    bool // a step was begun: the service did not just wait for the ones it depends on
	// createSettling: the create was answered, and whether its transition ended is told by the answer of
	// the links set next (see setLinks)
	createSettling bool
	id             string
}

// accept records that the current step's change request was accepted by the API.
func (r *ServiceResult) accept() {
	r.accepted = true
	r.Changed = true
}

// Result is the outcome of Execute.
type Result struct {
	// Version is SchemaVersion.
	Version    int              `json:"version"`
	Stack      string           `json:"stack,omitempty"`
	Changed    bool             `json:"changed"`
	RolledBack bool             `json:"rolledBack,omitempty"`
	DurationMs int64            `json:"durationMs"`
	Services   []*ServiceResult `json:"services"`
	// Orphans are the stack's services in none of the compose files; RemovedOrphans those this run
	// removed (--remove-orphans).
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

// DeployError is returned when some services failed; the others were still carried out (exit 1).
type DeployError struct {
	Failed map[string]error
}

// Error lists each failed service with its error.
func (e *DeployError) Error() string { return engine.FailedServicesMessage(e.Failed) }

// Unwrap exposes each service's error, so errors.As finds a *healthcheck.FailedError among them.
func (e *DeployError) Unwrap() []error { return engine.FailedServicesErrors(e.Failed) }

// ExitCode is 1 whatever the services' own errors would map to (the run as a whole was a partial failure),
// except 5 when one of them is the API's (unreachable, refusing the key, or answering unusably after every
// retry): what happened to that service is then unknown, as when any other step meets the API so.
func (e *DeployError) ExitCode() int {
	for _, err := range e.Failed {
		var coder interface{ ExitCode() int }
		if errors.As(err, &coder) && coder.ExitCode() == exitAPI {
			return exitAPI
		}
	}
	return 1
}

// exitAPI is the exit code of the API's failures (rancher.UnreachableError and its kin).
const exitAPI = 5

// Stuck is a service left in the middle of something when time ran out or the run was interrupted.
type Stuck struct {
	Name    string `json:"name"`
	State   string `json:"state"`
	Message string `json:"message,omitempty"`
	Next    string `json:"next,omitempty"`
}

// String is "name (state: message)".
func (s Stuck) String() string {
	out := fmt.Sprintf("%s (%s", s.Name, nonEmpty(s.State, "unknown state"))
	if s.Message != "" {
		out += ": " + s.Message
	}
	return out + ")"
}

// TimeoutError is a run that hit its deadline; it wraps context.DeadlineExceeded (exit 4) and names the
// services that had not finished.
type TimeoutError struct {
	Stuck []Stuck
}

// Error names the services still under way.
func (e *TimeoutError) Error() string {
	return "timed out; still waiting for " + joinStuck(e.Stuck)
}

// Unwrap makes errors.Is(err, context.DeadlineExceeded) true.
func (e *TimeoutError) Unwrap() error { return context.DeadlineExceeded }

// InterruptedError is a run cancelled by SIGINT/SIGTERM; it wraps context.Canceled (exit 130) and says where
// each unfinished service was left and what to run next.
type InterruptedError struct {
	Left []Stuck
}

// Error says where each service was left and what to run next.
func (e *InterruptedError) Error() string {
	msg := "interrupted"
	if len(e.Left) > 0 {
		msg += "; left " + joinStuck(e.Left)
		for _, s := range e.Left {
			if s.Next != "" {
				msg += "\n  " + s.Name + ": " + s.Next
			}
		}
	}
	return msg
}

// Unwrap makes errors.Is(err, context.Canceled) true.
func (e *InterruptedError) Unwrap() error { return context.Canceled }

// AtomicError is an --atomic run that failed: every service it upgraded was rolled back (exit 6), or a
// rollback failed too (exit 1); the type all engines share.
type AtomicError = engine.AtomicError

func joinStuck(list []Stuck) string {
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	parts := make([]string, 0, len(list))
	for _, s := range list {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, ", ")
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// nextCommand says what to run for a service left in state.
func nextCommand(stack, name, state string) string {
	p := "rancher-compose"
	if stack != "" {
		p += " -p " + stack
	}
	switch state {
	case stateUpgraded:
		return fmt.Sprintf("confirm with `%s upgrade --confirm %s` or roll back with `%s rollback %s`", p, name, p, name)
	case "upgrading", "canceled-upgrade", "canceling-upgrade":
		return fmt.Sprintf("roll back with `%s rollback %s`, or wait and confirm with `%s upgrade --confirm %s`", p, name, p, name)
	case stateInactive, "activating", "registering", "requested":
		return fmt.Sprintf("start it with `%s up -d %s`", p, name)
	case "finishing-upgrade", "rolling-back", "updating-active", "updating-inactive":
		return fmt.Sprintf("the server is still working on it; check with `%s ps %s`", p, name)
	}
	return ""
}
