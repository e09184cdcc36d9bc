package rancherengine

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// LiveServices finds the stack named name and lists its services (none when the stack does not exist).
func (s *Session) LiveServices(ctx context.Context, name string) (*resources.Stack, map[string]*resources.Service, error) {
	st, err := s.FindStack(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	all, err := s.StackServices(ctx, st)
	return st, all, err
}

// ChangeAndWait reports working, sends one change to a service, waits for the service it returns (none:
// nothing to wait for) to settle, and reports done. A failed change is "<verb> <name>: <error>".
func (s *Session) ChangeAndWait(ctx context.Context, name, working, verb, done string,
	change func() (*resources.Service, error)) error {
	s.Events.Emit(name, progress.Working, working)
	svc, err := change()
	if err != nil {
		return fmt.Errorf("%s %s: %w", verb, name, err)
	}
	if svc != nil {
		if _, err := WaitReporting(ctx, s.Events, s.Client.Services(), svc, name, verb); err != nil {
			return fmt.Errorf("waiting for %s: %w", name, err)
		}
	}
	s.Events.Emit(name, progress.Done, done)
	return nil
}

// exit codes shared with the rest of the tool (cmd/exitcodes.go).
const (
	exitFailed      = 1
	exitUsage       = 2
	exitTimeout     = 4
	exitUnreachable = 5
	exitInterrupted = 130
)

// exitCoder is a domain error that chooses its exit code.
type exitCoder interface{ ExitCode() int }

// serviceFailures is the outcome of a command run on several services: the ones that failed, and the
// context's error when the run timed out or was interrupted.
type serviceFailures struct {
	failed map[string]error
	ctxErr error
	left   []string
}

func (e *serviceFailures) Error() string {
	var parts []string
	if e.ctxErr != nil {
		what := "interrupted"
		if errors.Is(e.ctxErr, context.DeadlineExceeded) {
			what = "timed out (--timeout)"
		}
		if len(e.left) > 0 {
			what += "; left: " + strings.Join(e.left, "; ")
		}
		parts = append(parts, what)
	}
	names := make([]string, 0, len(e.failed))
	for n := range e.failed {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s: %v", n, e.failed[n]))
	}
	return strings.Join(parts, "; ")
}

// Unwrap exposes the context's error (timeout or interrupt) and every service's failure.
func (e *serviceFailures) Unwrap() []error {
	out := []error{}
	if e.ctxErr != nil {
		out = append(out, e.ctxErr)
	}
	for _, err := range e.failed {
		out = append(out, err)
	}
	return out
}

// ExitCode is 130 after an interrupt, 4 after a timeout, 5 when the API could not be reached, else 1.
func (e *serviceFailures) ExitCode() int {
	switch {
	case errors.Is(e.ctxErr, context.Canceled):
		return exitInterrupted
	case e.ctxErr != nil:
		return exitTimeout
	}
	for _, err := range e.failed {
		var coder exitCoder
		if errors.As(err, &coder) && coder.ExitCode() == exitUnreachable {
			return exitUnreachable
		}
	}
	return exitFailed
}

// EachService runs fn on the named services concurrently (or one after the other with sequential), each
// with progress events, and gathers the failures. When the context ends first it reads where each
// unfinished service of stack was left and says what to run next (stack "": names are not services).
func (s *Session) EachService(ctx context.Context, stack string, names []string, sequential bool, next string,
	fn func(ctx context.Context, name string) error) error {
	fails := &serviceFailures{failed: map[string]error{}}
	var mu sync.Mutex
	finished := map[string]bool{}
	var wg sync.WaitGroup
	run := func(name string) {
		err := fn(ctx, name)
		mu.Lock()
		defer mu.Unlock()
		if err != nil && ctx.Err() == nil {
			fails.failed[name] = err
			s.Events.Emit(name, progress.Error, err.Error())
		}
		if err == nil {
			finished[name] = true
		}
	}
	for _, n := range names {
		if sequential {
			run(n)
			continue
		}
		wg.Add(1)
		go func() { defer wg.Done(); run(n) }()
	}
	wg.Wait()
	if ctx.Err() != nil {
		fails.ctxErr = ctx.Err()
		if stack != "" {
			fails.left = s.leftStates(ctx, stack, names, finished, next)
		}
	}
	if len(fails.failed) == 0 && fails.ctxErr == nil {
		return nil
	}
	return fails
}

// leftStates reads, with a fresh short context, the state of each unfinished service and reports it.
func (s *Session) leftStates(ctx context.Context, stack string, names []string, finished map[string]bool, next string) []string {
	cctx, cancel := s.CleanupContext(ctx)
	defer cancel()
	st, _ := s.FindStack(cctx, stack)
	live, _ := s.StackServices(cctx, st)
	var out []string
	for _, n := range names {
		if finished[n] {
			continue
		}
		state := "unknown"
		if svc := live[n]; svc != nil {
			state = svc.State
		} else if live != nil {
			state = "missing"
		}
		line := fmt.Sprintf("%s is %s", n, state)
		if next != "" {
			line += fmt.Sprintf("; run `rancher-compose -p %s %s %s` to finish", stack, next, n)
		}
		s.Events.Emit(n, progress.Info, "left "+state)
		out = append(out, line)
	}
	return out
}
