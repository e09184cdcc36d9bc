package rancherengine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// heldLock is the deploy lock a run holds: renewed in the background until release.
type heldLock struct {
	l    *lock.Lock
	stop func()
}

// AcquireLock takes the stack's deploy lock and keeps its lease alive. The returned context is cancelled
// when the lock is lost to another run (the run must stop changing the stack); release stops the renewals
// and removes the lock, even after an interrupt or the deadline, within ReleaseGrace.
func (s *Session) AcquireLock(ctx context.Context, st *resources.Stack, force bool) (context.Context, func(), error) {
	l, err := lock.Acquire(ctx, s.API, st.Id, s.lockOptions(ctx, st, force))
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
func (s *Session) beginLock(ctx context.Context, st *resources.Stack, force bool) (confirm func() (context.Context, error), release func(), err error) {
	p, err := lock.Begin(ctx, s.API, st.Id, s.lockOptions(ctx, st, force))
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
func (s *Session) keepAlive(ctx context.Context, st *resources.Stack, l *lock.Lock) (context.Context, *heldLock) {
	runCtx, cancel := context.WithCancelCause(ctx)
	// renewed until released, through the cleanup after a deadline or an interrupt too (an --atomic
	// rollback, the release itself): the watchdog bounds that time
	stop := l.KeepAlive(context.WithoutCancel(ctx), func(err error) {
		s.Events.Emit("stack "+st.Name, progress.Error, err.Error()+": stopping this run")
		lockLossOf(ctx).record(err)
		cancel(err)
	})
	return runCtx, &heldLock{l: l, stop: func() { stop(); cancel(nil) }}
}

// LockLoss records a deploy lock this run lost to another run while it worked: the run was stopped
// because of it, so it is the run's outcome, whatever error the stopped work returned.
type LockLoss struct {
	mu  sync.Mutex
	err error
}

type lockLossKey struct{}

// WithLockLoss gives a run its record of a lost lock; the caller explains the run's error with it.
func WithLockLoss(ctx context.Context) (context.Context, *LockLoss) {
	l := &LockLoss{}
	return context.WithValue(ctx, lockLossKey{}, l), l
}

// lockLossOf returns the run's record (a throwaway one in a context WithLockLoss did not make).
func lockLossOf(ctx context.Context) *LockLoss {
	if l, ok := ctx.Value(lockLossKey{}).(*LockLoss); ok {
		return l
	}
	return &LockLoss{}
}

func (l *LockLoss) record(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err == nil {
		l.err = err
	}
}

// Explain puts the lost lock first in the run's error, so that it decides the exit code (7).
func (l *LockLoss) Explain(err error) error {
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
func (s *Session) lockOptions(ctx context.Context, st *resources.Stack, force bool) lock.Options {
	s.API.KnowStack(st)
	o := s.lockOptionsFor(ctx, st.Name)
	o.Force, o.Outputs = force, upgrade.StackOutputs(st)
	return o
}

// lockOptionsFor are the lock options of stack name that need no read of the stack.
func (s *Session) lockOptionsFor(ctx context.Context, name string) lock.Options {
	host, _ := os.Hostname()
	return lock.Options{Owner: s.LockOwner, Host: host, PID: os.Getpid(), TTL: s.LockTTL, Now: s.Now,
		BreakCommand: s.BreakCommand(ctx, name), StackName: name, Alive: pidAlive}
}

// newbornLock prepares the deploy lock of stack name, which this run is about to create: the create
// request carries it in the stack's outputs (lock.Newborn).
func (s *Session) newbornLock(ctx context.Context, name string) *lock.Newborn {
	return lock.ForNewStack(s.API, s.lockOptionsFor(ctx, name))
}

// holdNewborn starts the renewals of the lock a stack was created with, under the context it returns
// (cancelled if the lock is lost); release stops them and removes the lock.
func (s *Session) holdNewborn(ctx context.Context, st *resources.Stack, n *lock.Newborn) (context.Context, func()) {
	s.API.KnowStack(st)
	runCtx, h := s.keepAlive(ctx, st, n.Created(st.Id))
	return runCtx, s.lockReleaser(ctx, st, h, func() bool { return true })
}

// warnIfReplaced reports the lock of another run this one replaced: an expired lease taken over, or a live
// lock --force-unlock broke.
func (s *Session) warnIfReplaced(st *resources.Stack, l *lock.Lock) {
	if b := l.TookOver; b != nil {
		s.Events.Emit("stack "+st.Name, progress.Warning, fmt.Sprintf("took over the deploy lock of %s, whose lease expired at %s (that run died or lost the API)",
			b.Owner, b.Expires.UTC().Format(time.RFC3339)))
	}
	if b := l.Broken; b != nil {
		s.Events.Emit("stack "+st.Name, progress.Warning, fmt.Sprintf("broke the deploy lock held by %s (--force-unlock)", b.Owner))
	}
}

// lockReleaser returns the func that stops the renewals and removes the lock, with the cleanup context
// (part of Grace past the deadline or an interrupt) so that it runs after those too; a failure is reported
// when warn says so.
func (s *Session) lockReleaser(ctx context.Context, st *resources.Stack, h *heldLock, warn func() bool) func() {
	return func() {
		h.stop()
		rctx, cancel := s.CleanupContext(ctx)
		defer cancel()
		if err := h.l.Release(rctx); err != nil && warn() {
			s.Events.Emit("stack "+st.Name, progress.Warning, "releasing the deploy lock: "+err.Error())
		}
	}
}

// WarnIfLocked tells a dry run that the real run would be refused by another run's live lock.
func (s *Session) WarnIfLocked(ctx context.Context, st *resources.Stack) {
	if h, err := lock.Peek(ctx, s.API, st.Id); err == nil && h != nil && !h.Expired(s.Now()) {
		s.Events.Emit("stack "+st.Name, progress.Warning, fmt.Sprintf("the deploy lock is held by %s until %s: a real run would be refused",
			h.Owner, h.Expires.UTC().Format(time.RFC3339)))
	}
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
