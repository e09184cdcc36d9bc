package healthcheck

import "context"

// Progress is one look at a service a wait took: what it is waiting on, as the wait last saw it.
type Progress struct {
	State                string
	TransitioningMessage string
	// Ready and Expected count the containers (health waits only; Expected is 0 in a settle wait).
	Ready, Expected int64
}

type progressKey struct{}

// WithProgress returns a context whose waits (Settle, Healthy) report every look at the service to fn,
// so that a caller can tell, while a long wait lasts, what it is waiting on.
func WithProgress(ctx context.Context, fn func(Progress)) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

func report(ctx context.Context, p Progress) {
	if fn, ok := ctx.Value(progressKey{}).(func(Progress)); ok && fn != nil {
		fn(p)
	}
}
