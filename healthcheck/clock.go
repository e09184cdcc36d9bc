package healthcheck

import (
	"context"
	"time"
)

// Clock tells the time and sleeps; tests inject a fake that advances instantly.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done, returning ctx.Err() in that case.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real clock.
var SystemClock Clock = systemClock{}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Backoff spaces polls: Initial, then multiplied by Factor up to Max.
type Backoff struct {
	Initial time.Duration
	Max     time.Duration
	Factor  float64
	// Immediate polls again without sleeping: the check itself waits (a Paced reader).
	Immediate bool
}

// DefaultBackoff starts fast (most transitions are short) and settles at one poll a second per service:
// still far fewer requests than the original's fixed 150 ms, and a long wait ends at most 1 s late.
var DefaultBackoff = Backoff{Initial: 100 * time.Millisecond, Max: time.Second, Factor: 1.5}

func (b Backoff) next(d time.Duration) time.Duration {
	if b.Immediate {
		return 0
	}
	if d <= 0 {
		if b.Initial <= 0 {
			return DefaultBackoff.Initial
		}
		return b.Initial
	}
	factor := b.Factor
	if factor < 1 {
		factor = 1
	}
	n := time.Duration(float64(d) * factor)
	if b.Max > 0 && n > b.Max {
		n = b.Max
	}
	return n
}

// Poll calls check until it reports done or fails, sleeping with backoff between calls. It gives up with
// ErrTimeout (wrapping context.DeadlineExceeded) once timeout (if > 0) has passed on clock, or with ctx's error.
func Poll(ctx context.Context, clock Clock, backoff Backoff, timeout time.Duration, check func(context.Context) (bool, error)) error {
	if clock == nil {
		clock = SystemClock
	}
	deadline := time.Time{}
	if timeout > 0 {
		deadline = clock.Now().Add(timeout)
	}
	var wait time.Duration
	for {
		done, err := check(ctx)
		if err != nil || done {
			return err
		}
		if !deadline.IsZero() && !clock.Now().Before(deadline) {
			return ErrTimeout
		}
		wait = backoff.next(wait)
		if wait <= 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			continue
		}
		if !deadline.IsZero() {
			if left := deadline.Sub(clock.Now()); left < wait {
				wait = left
			}
		}
		if err := clock.Sleep(ctx, wait); err != nil {
			return err
		}
	}
}
