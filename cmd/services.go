package cmd

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// serviceCommand is the common start of the commands that act on the selected services of the project
// (stop, rm, restart, pull, logs): once the flags are valid, load the project, select the services, then
// connect.
type serviceCommand struct {
	project   *compose.Project
	primaries []string
	session   *session
}

func openServiceCommand(ctx context.Context, f *Factory, g *GlobalOptions, o *runOptions, args []string) (*serviceCommand, error) {
	p, err := loadProjectFor(ctx, f, g, args)
	if err != nil {
		return nil, err
	}
	primaries, err := selectPrimaries(p, args)
	if err != nil {
		return nil, err
	}
	s, err := connect(ctx, f, g, o)
	if err != nil {
		return nil, err
	}
	return &serviceCommand{project: p, primaries: primaries, session: s}, nil
}

// existing returns the selected services that exist in the stack (none when the stack does not exist).
func (sc *serviceCommand) existing(ctx context.Context) (*resources.Stack, map[string]*resources.Service, error) {
	return sc.session.liveServices(ctx, sc.project.Name)
}

// liveServices finds the stack named name and lists its services (none when the stack does not exist).
func (s *session) liveServices(ctx context.Context, name string) (*resources.Stack, map[string]*resources.Service, error) {
	st, err := s.findStack(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	all, err := s.stackServices(ctx, st)
	return st, all, err
}

// onEachExisting is the flow of stop, rm and restart: open the command, read the stack's services, take the
// stack's deploy lock when one of the selected services exists (force: --force-unlock), and run fn on each
// selected one concurrently with its live copy (nil when it does not exist). next is the command that
// finishes a run cut short.
func onEachExisting(parent context.Context, f *Factory, g *GlobalOptions, o *runOptions, args []string, force bool, next string,
	fn func(ctx context.Context, s *session, name string, svc *resources.Service) error) error {
	if err := o.validate(); err != nil {
		return err
	}
	ctx, cancel := o.withDeadline(parent)
	defer cancel()
	sc, err := openServiceCommand(ctx, f, g, o, args)
	if err != nil {
		return err
	}
	st, live, err := sc.existing(ctx)
	if err != nil {
		return err
	}
	s := sc.session
	if anyOf(sc.primaries, live) {
		var release func()
		if ctx, release, err = s.acquireLock(ctx, st, force); err != nil {
			return err
		}
		defer release()
	}
	return s.eachService(ctx, sc.project.Name, sc.primaries, false, next, func(ctx context.Context, name string) error {
		return fn(ctx, s, name, live[name])
	})
}

// anyOf tells whether one of names is in live.
func anyOf(names []string, live map[string]*resources.Service) bool {
	for _, n := range names {
		if live[n] != nil {
			return true
		}
	}
	return false
}

// changeAndWait reports working, sends one change to a service, waits for the service it returns (none:
// nothing to wait for) to settle, and reports done. A failed change is "<verb> <name>: <error>".
func (s *session) changeAndWait(ctx context.Context, name, working, verb, done string,
	change func() (*resources.Service, error)) error {
	s.em.Emit(name, progress.Working, working)
	svc, err := change()
	if err != nil {
		return fmt.Errorf("%s %s: %w", verb, name, err)
	}
	if svc != nil {
		if _, err := waitReporting(ctx, s.em, s.client.Services(), svc, name, verb); err != nil {
			return fmt.Errorf("waiting for %s: %w", name, err)
		}
	}
	s.em.Emit(name, progress.Done, done)
	return nil
}

// runDeployCommand is the flow create, start and up share once their flags are valid: load the project,
// select the services and convert them offline, then (under the deadline) connect, deploy and print the
// outcome; then, when set and all went well, runs then (up follows the logs).
func runDeployCommand(parent context.Context, f *Factory, g *GlobalOptions, o *runOptions, format string, args []string,
	req deployRequest, then func(s *session, p *compose.Project, primaries []string) error) error {
	ctx, cancel := o.withDeadline(parent) // from the start: reading the files counts too
	defer cancel()
	p, err := loadProjectFor(ctx, f, g, args)
	if err != nil {
		return err
	}
	primaries, err := selectPrimaries(p, args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		primaries = p.WithDependsOn(primaries)
		req.opts.Services = primaries
	}
	if err := preflight(p, primaries); err != nil {
		return err
	}
	s, err := connect(ctx, f, g, o)
	if err != nil {
		return err
	}
	out, err := deploy(ctx, s, p, primaries, req)
	if perr := printOutcome(f, format, req.dryRun, out); perr != nil && err == nil {
		err = perr
	}
	if err != nil || then == nil {
		return err
	}
	cancel() // the deadline bounds the deploy, not what follows it (up without -d follows the logs)
	return then(s, p, primaries)
}

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
		return int(ExitInterrupted)
	case e.ctxErr != nil:
		return int(ExitTimeout)
	}
	for _, err := range e.failed {
		var coder exitCoder
		if errors.As(err, &coder) && coder.ExitCode() == int(ExitUnreachable) {
			return int(ExitUnreachable)
		}
	}
	return int(ExitFailed)
}

// eachService runs fn on the named services concurrently (or one after the other with sequential), each
// with progress events, and gathers the failures. When the context ends first it reads where each
// unfinished service of stack was left and says what to run next (stack "": names are not services).
func (s *session) eachService(ctx context.Context, stack string, names []string, sequential bool, next string,
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
			s.em.Emit(name, progress.Error, err.Error())
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
func (s *session) leftStates(ctx context.Context, stack string, names []string, finished map[string]bool, next string) []string {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	st, _ := s.findStack(cctx, stack)
	live, _ := s.stackServices(cctx, st)
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
		s.em.Emit(n, progress.Info, "left "+state)
		out = append(out, line)
	}
	return out
}
