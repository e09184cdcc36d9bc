package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// EnvLockTTL sets the deploy lock's lease (as --lock-ttl does): a Go duration, default 60s.
const EnvLockTTL = "RANCHER_COMPOSE_LOCK_TTL"

// minLockTTL keeps the lease long enough to be renewed (every third of it) over a slow API.
const minLockTTL = time.Second

// lockFlag binds --force-unlock for the commands that change a stack.
func lockFlag(force *bool) cli.Flag {
	return &cli.BoolFlag{Name: "force-unlock", Usage: "break another run's live deploy lock on the stack (only when that run is known to be dead; an expired lock is taken over anyway)", Destination: force}
}

// parseLockTTL reads --lock-ttl or RANCHER_COMPOSE_LOCK_TTL ("": the default lease).
func parseLockTTL(v string) (time.Duration, error) {
	if v == "" {
		return lock.DefaultTTL, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < minLockTTL {
		return 0, usageErrorf("--lock-ttl (or $%s): want a duration of at least %s, such as 60s, got %q", EnvLockTTL, minLockTTL, v)
	}
	return d, nil
}

// heldLock is the deploy lock a run holds: renewed in the background until release.
type heldLock struct {
	l    *lock.Lock
	stop func()
}

// acquireLock takes the stack's deploy lock and keeps its lease alive. The returned context is cancelled
// when the lock is lost to another run (the run must stop changing the stack); release stops the renewals
// and removes the lock, even after an interrupt or the deadline, within ReleaseGrace.
func (s *session) acquireLock(ctx context.Context, st *resources.Stack, force bool) (context.Context, func(), error) {
	l, err := lock.Acquire(ctx, s.api, st.Id, s.lockOptions(ctx, st, force))
	if err != nil {
		return nil, nil, fmt.Errorf("locking stack %s: %w", st.Name, err)
	}
	s.warnIfReplaced(st, l)
	ctx, h := s.keepAlive(ctx, st, l)
	return ctx, s.lockReleaser(ctx, st, h, func() bool { return true }), nil
}

// beginLock writes the stack's deploy lock; confirm reads it back once the settle has passed (the caller
// reads and builds meanwhile, and changes nothing before confirm succeeds) and starts the renewals, under
// the context it returns (cancelled if the lock is lost); release removes the lock, and quietly leaves one
// another run took before confirm.
func (s *session) beginLock(ctx context.Context, st *resources.Stack, force bool) (confirm func() (context.Context, error), release func(), err error) {
	p, err := lock.Begin(ctx, s.api, st.Id, s.lockOptions(ctx, st, force))
	if err != nil {
		return nil, nil, fmt.Errorf("locking stack %s: %w", st.Name, err)
	}
	s.warnIfReplaced(st, p.Lock())
	held := &heldLock{l: p.Lock(), stop: func() {}}
	confirmed := false
	confirm = func() (context.Context, error) {
		if _, err := p.Confirm(ctx); err != nil {
			return nil, fmt.Errorf("locking stack %s: %w", st.Name, err)
		}
		confirmed = true
		runCtx, h := s.keepAlive(ctx, st, p.Lock())
		held.stop = h.stop
		return runCtx, nil
	}
	return confirm, s.lockReleaser(ctx, st, held, func() bool { return confirmed }), nil
}

// keepAlive renews the lease until the lock is released; a lost lock is reported and stops the run, and
// becomes the run's outcome (exit 7).
func (s *session) keepAlive(ctx context.Context, st *resources.Stack, l *lock.Lock) (context.Context, *heldLock) {
	runCtx, cancel := context.WithCancelCause(ctx)
	// renewed until released, through the cleanup after a deadline or an interrupt too (an --atomic
	// rollback, the release itself): the watchdog bounds that time
	stop := l.KeepAlive(context.WithoutCancel(ctx), func(err error) {
		s.em.Emit("stack "+st.Name, progress.Error, err.Error()+": stopping this run")
		lockLossOf(ctx).record(err)
		cancel(err)
	})
	return runCtx, &heldLock{l: l, stop: func() { stop(); cancel(nil) }}
}

// lockLoss records a deploy lock this run lost to another run while it worked: the run was stopped
// because of it, so it is the run's outcome, whatever error the stopped work returned.
type lockLoss struct {
	mu  sync.Mutex
	err error
}

type lockLossKey struct{}

func withLockLoss(ctx context.Context) (context.Context, *lockLoss) {
	l := &lockLoss{}
	return context.WithValue(ctx, lockLossKey{}, l), l
}

// lockLossOf returns the run's record (a throwaway one outside Run).
func lockLossOf(ctx context.Context) *lockLoss {
	if l, ok := ctx.Value(lockLossKey{}).(*lockLoss); ok {
		return l
	}
	return &lockLoss{}
}

func (l *lockLoss) record(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = err
	}
}

// explain puts the lost lock first in the run's error, so that it decides the exit code (7).
func (l *lockLoss) explain(err error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		return err
	}
	if err == nil {
		return l.err
	}
	return fmt.Errorf("%w; the work was stopped: %v", l.err, err)
}

// lockOptions name this run as the lock's owner (with its host and pid), the lease, and the command that
// breaks the lock; and tell the engine the stack as just read.
func (s *session) lockOptions(ctx context.Context, st *resources.Stack, force bool) lock.Options {
	s.api.KnowStack(st)
	host, _ := os.Hostname()
	return lock.Options{Owner: s.lockOwner(), Host: host, PID: os.Getpid(), TTL: s.g.lockTTL, Force: force,
		Now: s.f.Now, Outputs: upgrade.StackOutputs(st), BreakCommand: breakCommand(ctx, st.Name), Alive: pidAlive}
}

// warnIfReplaced reports the lock of another run this one replaced: an expired lease taken over, or a live
// lock --force-unlock broke.
func (s *session) warnIfReplaced(st *resources.Stack, l *lock.Lock) {
	if b := l.TookOver; b != nil {
		s.em.Emit("stack "+st.Name, progress.Warning, fmt.Sprintf("took over the deploy lock of %s, whose lease expired at %s (that run died or lost the API)",
			b.Owner, b.Expires.UTC().Format(time.RFC3339)))
	}
	if b := l.Broken; b != nil {
		s.em.Emit("stack "+st.Name, progress.Warning, fmt.Sprintf("broke the deploy lock held by %s (--force-unlock)", b.Owner))
	}
}

// lockReleaser returns the func that stops the renewals and removes the lock, with the cleanup context
// (part of Grace past the deadline or an interrupt) so that it runs after those too; a failure is reported
// when warn says so.
func (s *session) lockReleaser(ctx context.Context, st *resources.Stack, h *heldLock, warn func() bool) func() {
	return func() {
		h.stop()
		rctx, cancel := cleanupContext(ctx)
		defer cancel()
		if err := h.l.Release(rctx); err != nil && warn() {
			s.em.Emit("stack "+st.Name, progress.Warning, "releasing the deploy lock: "+err.Error())
		}
	}
}

// warnIfLocked tells a dry run that the real run would be refused by another run's live lock.
func (s *session) warnIfLocked(ctx context.Context, st *resources.Stack) {
	if h, err := lock.Peek(ctx, s.api, st.Id); err == nil && h != nil && !h.Expired(s.f.Now()) {
		s.em.Emit("stack "+st.Name, progress.Warning, fmt.Sprintf("the deploy lock is held by %s until %s: a real run would be refused",
			h.Owner, h.Expires.UTC().Format(time.RFC3339)))
	}
}

// lockOwner names this run for whoever the lock refuses: user@host (pid), and the CI build when known.
func (s *session) lockOwner() string {
	user, _ := s.f.LookupEnv("USER")
	if user == "" {
		user = "unknown"
	}
	host, _ := os.Hostname()
	owner := fmt.Sprintf("%s@%s (pid %d)", user, host, os.Getpid())
	if build, ok := s.f.LookupEnv("BUILD_URL"); ok && build != "" {
		owner += " " + build
	}
	return owner
}

// pidAlive tells whether pid runs, when host is this one (known is false for another host, or where a
// process cannot be probed).
func pidAlive(host string, pid int) (alive, known bool) {
	if me, _ := os.Hostname(); host == "" || host != me || runtime.GOOS == "windows" || pid <= 0 {
		return false, false
	}
	p, err := os.FindProcess(pid)
	if err != nil {
		return false, true
	}
	err = p.Signal(sigZero)
	return err == nil || !errors.Is(err, os.ErrProcessDone), true
}

// sigZero probes a process without signalling it.
var sigZero = syscall.Signal(0)

// invocation is the command line of this run, split at the command name, for the break command.
type invocation struct{ global, command []string }

type invocationKey struct{}

func withInvocation(ctx context.Context, app *cli.App, args []string) context.Context {
	ci := commandIndex(app, args)
	if ci > len(args) {
		ci = len(args)
	}
	return context.WithValue(ctx, invocationKey{}, invocation{global: args[1:ci], command: args[ci:]})
}

// secretFlags are the global flags left out of a printed command line (credentials, and -p, given anew).
var secretFlags = map[string]bool{"url": true, "access-key": true, "secret-key": true, "p": true, "project-name": true}

// breakCommand is this run's command line with --force-unlock, for the refusal's message: credentials
// left out (they come from the environment), -p STACK explicit.
func breakCommand(ctx context.Context, stack string) string {
	inv, _ := ctx.Value(invocationKey{}).(invocation)
	parts := []string{"rancher-compose", "-p", shellQuote(stack)}
	for i := 0; i < len(inv.global); i++ {
		a := inv.global[i]
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if secretFlags[name] {
			if !hasValue {
				i++
			}
			continue
		}
		parts = append(parts, shellQuote(a))
	}
	for _, a := range inv.command {
		if a != "--force-unlock" && a != "-force-unlock" {
			parts = append(parts, shellQuote(a))
		}
	}
	if len(inv.command) == 0 {
		parts = append(parts, "COMMAND")
	}
	return strings.Join(append(parts, "--force-unlock"), " ")
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`;&|<>(){}*?[]#~!") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
