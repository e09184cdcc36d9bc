package rancher

import (
	"context"
	"fmt"
	"reflect"
	"time"
)

// WaitOption adjusts one WaitTransition call.
type WaitOption func(*waitSettings)

type waitSettings struct {
	onPoll func(obj any)
	until  func(obj any) bool
}

// OnPoll calls fn with the resource after every reload (for progress output).
func OnPoll(fn func(obj any)) WaitOption { return func(w *waitSettings) { w.onPoll = fn } }

// Until makes the wait last, once transitioning is "no", until cond holds as well (for example until a
// service is healthy). cond sees the freshly reloaded resource.
func Until(cond func(obj any) bool) WaitOption { return func(w *waitSettings) { w.until = cond } }

// WaitTransition reloads obj (a pointer to a resource, updated in place) until its transitioning field
// is no longer "yes". It polls with backoff: Poll.Min, then multiplied by Poll.Factor up to Poll.Max.
//
// A resource not transitioning returns at once, without a request. transitioning "error" ends the wait
// with a *TransitionError carrying transitioningMessage. When ctx ends first, the error is a *WaitError
// naming the resource, its state and message, and wrapping ctx's error (context.DeadlineExceeded on a
// timeout, context.Canceled on an interrupt).
func (c *Client) WaitTransition(ctx context.Context, obj any, opts ...WaitOption) error {
	var w waitSettings
	for _, o := range opts {
		o(&w)
	}
	base, err := baseOf(obj)
	if err != nil {
		return err
	}
	delay := c.cfg.Poll.Min
	for {
		st := statusOfObject(obj)
		switch st.Transitioning {
		case "error":
			return &TransitionError{Resource: describe(base, st), State: st.State, Message: st.TransitioningMessage}
		case "yes":
		default:
			if w.until == nil || w.until(obj) {
				return nil
			}
		}
		if err := sleep(ctx, delay); err != nil {
			return &WaitError{Resource: describe(base, st), State: st.State, Message: st.TransitioningMessage, Err: err}
		}
		delay = nextPoll(c.cfg.Poll, delay)
		fresh := reflect.New(reflect.TypeOf(obj).Elem()).Interface()
		c.stats.polls.Add(1)
		if err := c.Reload(ctx, obj, fresh); err != nil {
			if ctx.Err() != nil {
				return &WaitError{Resource: describe(base, st), State: st.State, Message: st.TransitioningMessage, Err: ctx.Err()}
			}
			return fmt.Errorf("waiting for %s: %w", describe(base, st), err)
		}
		reflect.ValueOf(obj).Elem().Set(reflect.ValueOf(fresh).Elem())
		if w.onPoll != nil {
			w.onPoll(obj)
		}
	}
}

// pollSchedule lists the first n waits WaitTransition makes under p.
func pollSchedule(p PollPolicy, n int) []time.Duration {
	out := make([]time.Duration, n)
	d := p.Min
	for i := range out {
		out[i] = d
		d = nextPoll(p, d)
	}
	return out
}

func nextPoll(p PollPolicy, d time.Duration) time.Duration {
	return min(time.Duration(float64(d)*p.Factor), p.Max)
}
