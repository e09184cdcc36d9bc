package healthcheck

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Waiter waits on services through a Reader. The zero Clock and Backoff mean the system clock and DefaultBackoff.
type Waiter struct {
	Reader Reader
	// Logs is optional: without it diagnostics carry no log lines.
	Logs    LogReader
	Clock   Clock
	Backoff Backoff
	// Timeout bounds each wait (0: only the context does).
	Timeout time.Duration
	// LogLines is how many lines of each failing container's log a diagnosis keeps (default 20).
	LogLines int
	// CountEvery is how often a long Settle also counts the ready containers, for its progress reports
	// (default 10 s: a short transition costs no extra read).
	CountEvery time.Duration
	// CountsPerEvery bounds the counts all the Settles of this Waiter make per CountEvery (default 8): when
	// hundreds of services' waits pass CountEvery together, a few list their containers, not every one (the
	// others report their state alone, and count at a later turn if they still wait).
	CountsPerEvery int

	countMu      sync.Mutex
	countsSince  time.Time
	countsByThen int
}

// Paced is implemented by a Reader whose reads of a service already wait for a fresh shared poll (a stack's
// poller that paces each service and answers many waiters with one list, see upgrade.RancherAPI). For such a
// service the Waiter reads again as soon as a read returns, instead of sleeping its own backoff on top of the
// poller's pace.
type Paced interface {
	Paced(id string) bool
}

func (w *Waiter) backoff(id string) Backoff {
	if p, ok := w.Reader.(Paced); ok && p.Paced(id) {
		return Backoff{Immediate: true}
	}
	if w.Backoff == (Backoff{}) {
		return DefaultBackoff
	}
	return w.Backoff
}

// Settle polls the service until it is no longer transitioning. transitioning=error fails with its message
// (the original reported it as success). The last snapshot is returned even on error.
func (w *Waiter) Settle(ctx context.Context, id string) (*Service, error) {
	var last *Service
	counted := w.clock().Now()
	err := Poll(ctx, w.Clock, w.backoff(id), w.Timeout, func(ctx context.Context) (bool, error) {
		svc, err := w.Reader.Service(ctx, id)
		if err != nil {
			return false, err
		}
		last = svc
		p := Progress{State: svc.State, TransitioningMessage: svc.TransitioningMessage}
		if svc.Transitioning == "yes" && w.clock().Now().Sub(counted) >= w.countEvery() && w.mayCount() {
			counted = w.clock().Now()
			if containers, err := w.Reader.Containers(ctx, id); err == nil {
				v := Assess(svc, containers)
				p.Ready, p.Expected = v.Ready, v.Expected
			}
		}
		report(ctx, p)
		switch svc.Transitioning {
		case "yes":
			return false, nil
		case "error":
			return false, &FailedError{Service: svc.Name, Reason: nonEmpty(svc.TransitioningMessage, "transitioning error")}
		}
		return true, nil
	})
	return last, w.explain(ctx, id, last, err)
}

func (w *Waiter) clock() Clock {
	if w.Clock == nil {
		return SystemClock
	}
	return w.Clock
}

func (w *Waiter) countEvery() time.Duration {
	if w.CountEvery <= 0 {
		return 10 * time.Second
	}
	return w.CountEvery
}

// mayCount tells whether a Settle may count its containers now, within CountsPerEvery per CountEvery.
func (w *Waiter) mayCount() bool {
	w.countMu.Lock()
	defer w.countMu.Unlock()
	now := w.clock().Now()
	if w.countsSince.IsZero() || now.Sub(w.countsSince) >= w.countEvery() {
		w.countsSince, w.countsByThen = now, 0
	}
	limit := w.CountsPerEvery
	if limit <= 0 {
		limit = 8
	}
	if w.countsByThen >= limit {
		return false
	}
	w.countsByThen++
	return true
}

// Healthy polls until Assess says the service's new containers are healthy, or fails.
func (w *Waiter) Healthy(ctx context.Context, id string) (*Service, error) {
	var last *Service
	var verdict Verdict
	err := Poll(ctx, w.Clock, w.backoff(id), w.Timeout, func(ctx context.Context) (bool, error) {
		svc, err := w.Reader.Service(ctx, id)
		if err != nil {
			return false, err
		}
		containers, err := w.Reader.Containers(ctx, id)
		if err != nil {
			return false, fmt.Errorf("listing containers of %s: %w", svc.Name, err)
		}
		last, verdict = svc, Assess(svc, containers)
		report(ctx, Progress{State: svc.State, TransitioningMessage: svc.TransitioningMessage, Ready: verdict.Ready, Expected: verdict.Expected})
		switch verdict.Status {
		case Failed:
			return false, &FailedError{Service: svc.Name, Reason: verdict.Reason}
		case Healthy:
			return true, nil
		}
		return false, nil
	})
	if errors.Is(err, context.DeadlineExceeded) && last != nil {
		err = fmt.Errorf("%s not healthy (%s): %w", last.Name, verdict.Reason, err)
	}
	return last, w.explain(ctx, id, last, err)
}

// explain attaches a diagnosis to failures and timeouts. It reads with a short context of its own, since the
// caller's may be the one that expired (DiagnoseContext).
func (w *Waiter) explain(ctx context.Context, id string, last *Service, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	var failed *FailedError
	if !errors.As(err, &failed) && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	dctx, cancel := DiagnoseContext(ctx)
	defer cancel()
	diag := w.Diagnose(dctx, id)
	if failed != nil {
		failed.Diagnosis = diag
		return err
	}
	name := id
	if last != nil {
		name = last.Name
	}
	return &TimeoutError{Service: name, Diagnosis: diag, Err: err}
}

// TimeoutError is a wait that ran out of time; it wraps context.DeadlineExceeded and carries a diagnosis.
type TimeoutError struct {
	Service   string
	Diagnosis *Diagnosis
	Err       error
}

// Error is the wrapped timeout message.
func (e *TimeoutError) Error() string { return e.Err.Error() }

// Unwrap returns the timeout (context.DeadlineExceeded matches).
func (e *TimeoutError) Unwrap() error { return e.Err }
