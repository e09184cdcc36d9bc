package lock

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// Renew extends the lease to now + TTL, while the lock is still ours (else a LostError).
func (l *Lock) Renew(ctx context.Context) error {
	outputs, err := l.store.Outputs(ctx, l.stackID)
	if err != nil {
		return err
	}
	if err := l.stillOurs(outputs); err != nil {
		return err
	}
	next := l.holder
	next.Expires = l.opts.Now().Add(l.opts.TTL)
	err = l.retry(ctx, "renewing", func() error { return l.write(ctx, outputs, &next) }, func(cur map[string]string) (bool, error) {
		if got, ok := parse(cur); ok && got.Token == next.Token && got.Expires.Equal(next.Expires) {
			return true, nil
		}
		outputs = cur
		return false, l.stillOurs(cur)
	})
	if err == nil {
		l.holder = next
	}
	return err
}

func (l *Lock) stillOurs(outputs map[string]string) error {
	if cur, ok := parse(outputs); !ok || cur.Token != l.holder.Token {
		return &LostError{Stack: l.stackName(), By: cur, Taken: ok}
	}
	return nil
}

// KeepAlive renews the lease every TTL/3 until stop is called, retrying a failed renewal sooner (every
// TTL/10). When the lock turns out to be lost (another run took it over or broke it), it calls lost once
// and stops renewing. stop waits for a renewal under way, so that no renewal follows a Release.
func (l *Lock) KeepAlive(ctx context.Context, lost func(error)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		wait := l.opts.TTL / 3
		for l.opts.Sleep(ctx, wait) == nil {
			err := l.Renew(ctx)
			var le *LostError
			switch {
			case errors.As(err, &le):
				if ctx.Err() == nil && lost != nil {
					lost(err)
				}
				return
			case err != nil:
				wait = l.opts.TTL / 10
			default:
				wait = l.opts.TTL / 3
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { cancel(); wg.Wait() }) }
}

// Release removes the lock while it is still ours, retrying within ctx: a removal whose answer was lost is
// recognised on the next read. A lock someone broke or took over meanwhile is left to them, and reported.
func (l *Lock) Release(ctx context.Context) error {
	outputs, err := l.store.Outputs(ctx, l.stackID)
	for attempt := 1; err != nil && attempt < l.opts.Attempts; attempt++ {
		if l.opts.Sleep(ctx, l.opts.Backoff<<attempt) != nil {
			break
		}
		outputs, err = l.store.Outputs(ctx, l.stackID)
	}
	if err != nil {
		return fmt.Errorf("releasing the deploy lock of stack %s: %w", l.stackName(), err)
	}
	if err := l.stillOurs(outputs); err != nil {
		return err
	}
	return l.retry(ctx, "releasing", func() error { return l.write(ctx, outputs, nil) }, func(cur map[string]string) (bool, error) {
		if _, held := parse(cur); !held {
			return true, nil
		}
		outputs = cur
		return false, l.stillOurs(cur)
	})
}
