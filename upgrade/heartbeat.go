package upgrade

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// DefaultHeartbeat is how often a wait under way is reported (progress.Waiting). Renderers decide how much
// of it to show: a live line on a terminal, a line every progress.PlainHeartbeat in a CI log.
const DefaultHeartbeat = time.Second

// WithHeartbeat sets how often the waits under way are reported; ticks, when not nil, replaces the timer
// (tests send on it).
func WithHeartbeat(every time.Duration, ticks <-chan time.Time) Option {
	return func(x *executor) { x.beatEvery, x.beatTicks = every, ticks }
}

// waiting is one wait under way: what for, since when, and the service as the wait last saw it.
type waiting struct {
	what  string
	since time.Time
	last  *healthcheck.Progress
}

// waits tracks the waits under way, by service name.
type waits struct {
	mu sync.Mutex
	by map[string]*waiting
}

// watch registers a wait on the service; the returned context carries its progress to the heartbeat and
// the func ends it.
func (x *executor) watch(ctx context.Context, name, what string) (context.Context, func()) {
	w := &waiting{what: what, since: x.now()}
	x.waits.mu.Lock()
	if x.waits.by == nil {
		x.waits.by = map[string]*waiting{}
	}
	x.waits.by[name] = w
	x.waits.mu.Unlock()
	ctx = healthcheck.WithProgress(ctx, func(p healthcheck.Progress) {
		x.waits.mu.Lock()
		defer x.waits.mu.Unlock()
		w.last = &p
	})
	return ctx, func() {
		x.waits.mu.Lock()
		defer x.waits.mu.Unlock()
		if x.waits.by[name] == w {
			delete(x.waits.by, name)
		}
	}
}

// heartbeat reports every wait under way at each tick until stop is called.
func (x *executor) heartbeat() (stop func()) {
	ticks := x.beatTicks
	var ticker *time.Ticker
	if ticks == nil {
		every := x.beatEvery
		if every <= 0 {
			every = DefaultHeartbeat
		}
		ticker = time.NewTicker(every)
		ticks = ticker.C
	}
	stopBeats := progress.OnEveryTick(ticks, x.beat)
	return func() {
		stopBeats()
		if ticker != nil {
			ticker.Stop()
		}
	}
}

// beat emits one progress.Waiting event per wait under way, in name order.
func (x *executor) beat() {
	x.waits.mu.Lock()
	names := make([]string, 0, len(x.waits.by))
	for n := range x.waits.by {
		names = append(names, n)
	}
	sort.Strings(names)
	texts := make([]string, len(names))
	for i, n := range names {
		texts[i] = x.waits.by[n].describe(x.now())
	}
	x.waits.mu.Unlock()
	for i, n := range names {
		x.em.Emit(n, progress.Waiting, texts[i])
	}
}

// describe is "waiting 12s until healthy: state upgrading, 1/2 containers ready: <message>".
func (w *waiting) describe(now time.Time) string {
	text := fmt.Sprintf("waiting %s %s", now.Sub(w.since).Round(time.Second), w.what)
	if p := w.last; p != nil {
		text += ": state " + p.State
		if p.Expected > 0 {
			text += fmt.Sprintf(", %d/%d containers ready", p.Ready, p.Expected)
		}
		if p.TransitioningMessage != "" {
			text += ": " + p.TransitioningMessage
		}
	}
	return text
}
