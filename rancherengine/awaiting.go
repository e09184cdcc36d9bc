package rancherengine

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// WaitReporting waits with h.Wait for obj to settle while reporting the wait under way (see reportWhile)
// every upgrade.DefaultHeartbeat, so that rm, stop, restart, scale, pull and `upgrade FROM TO` are never
// silent while a user sits through them: a live line on a terminal, a line every progress.PlainHeartbeat
// in a CI log.
func WaitReporting[T any](ctx context.Context, em progress.Emitter, h *rancher.Handle[T], obj *T, resource, doing string) (*T, error) {
	ticker := time.NewTicker(upgrade.DefaultHeartbeat)
	defer ticker.Stop()
	var out *T
	err := reportWhile(em, ticker.C, resource, doing, awaitedState(obj), func(seen func(string)) error {
		var err error
		out, err = h.Wait(ctx, obj, rancher.OnPoll(func(o any) { seen(awaitedState(o)) }))
		return err
	})
	return out, err
}

// awaitedState is what a heartbeat says of a resource: its state and transitioning message, and for a
// service its containers against its scale and its health ("updating-active: In Progress, 2/3 containers,
// health degraded").
func awaitedState(obj any) string {
	state := rancher.StateOf(obj)
	if svc, ok := obj.(*resources.Service); ok && svc.Scale > 0 {
		state += fmt.Sprintf(", %d/%d containers", svc.CurrentScale, svc.Scale)
		if svc.HealthState != "" {
			state += ", health " + svc.HealthState
		}
	}
	return state
}

// reportWhile runs wait and, at each tick until it returns, emits a progress.Waiting event for resource:
// "waiting 12s while deleting: state removing", with the last state wait passed to seen (initially state).
func reportWhile(em progress.Emitter, ticks <-chan time.Time, resource, doing, state string, wait func(seen func(string)) error) error {
	now := em.Now
	if now == nil {
		now = time.Now
	}
	since := now()
	var mu sync.Mutex
	seen := func(s string) { mu.Lock(); state = s; mu.Unlock() }
	stop := progress.OnEveryTick(ticks, func() {
		mu.Lock()
		text := fmt.Sprintf("waiting %s while %s", now().Sub(since).Round(time.Second), doing)
		if state != "" {
			text += ": state " + state
		}
		mu.Unlock()
		em.Emit(resource, progress.Waiting, text)
	})
	err := wait(seen)
	stop()
	return err
}
