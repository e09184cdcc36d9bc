package cmd

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Grace is how long a command may go on after its deadline or an interrupt, to clean up: release the
// deploy lock, roll back under --atomic, read where services were left. The process ends by then.
const Grace = 5 * time.Second

// cleanupBudget is the part of Grace cleanup may use; the rest is for reporting the outcome and exiting.
const cleanupBudget = Grace - time.Second

// cleanupContext is the context for work that must happen after ctx ends (releasing the deploy lock,
// reading where services were left): it outlives ctx, but only by cleanupBudget, counted from the end of
// ctx (its deadline, or the interrupt), however late the cleanup starts.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	base := context.WithoutCancel(ctx)
	end, bounded := ctx.Deadline()
	if at, ok := interruptedAt(ctx); ok && (!bounded || at.Before(end)) {
		end, bounded = at, true
	}
	cctx, cancel := context.WithCancel(base)
	if bounded {
		cctx, cancel = context.WithDeadline(base, end.Add(cleanupBudget))
	}
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(cleanupBudget, cancel) })
	return cctx, func() { stop(); cancel() }
}

// interrupt is the cause Main cancels a run with on SIGINT/SIGTERM: when the signal came.
type interrupt struct{ at time.Time }

func (*interrupt) Error() string { return "interrupted" }

// interruptedAt tells when ctx was interrupted, if it was.
func interruptedAt(ctx context.Context) (time.Time, bool) {
	var i *interrupt
	if errors.As(context.Cause(ctx), &i) {
		return i.at, true
	}
	return time.Time{}, false
}

// watchdog ends the process when a command overruns its deadline or an interrupt by more than Grace,
// whatever it is blocked on. Main puts one in the context; tests running commands in process have none.
type watchdog struct {
	once  sync.Once
	after time.Duration // Grace; shorter in tests
	fired chan ExitCode
}

func newWatchdog() *watchdog { return &watchdog{after: Grace, fired: make(chan ExitCode, 1)} }

type watchdogKey struct{}

func withWatchdog(ctx context.Context, w *watchdog) context.Context {
	return context.WithValue(ctx, watchdogKey{}, w)
}

// expire fires the watchdog with code Grace from now; only the first call counts.
func (w *watchdog) expire(code ExitCode) {
	w.once.Do(func() {
		time.AfterFunc(w.after, func() { w.fired <- code })
	})
}

// watchDeadline tells the process's watchdog, if any, about a command context with a deadline: when the
// deadline passes (not when the context is merely released), the process has Grace left.
func watchDeadline(ctx context.Context) {
	w, _ := ctx.Value(watchdogKey{}).(*watchdog)
	if w == nil {
		return
	}
	context.AfterFunc(ctx, func() {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			w.expire(ExitTimeout)
		}
	})
}
