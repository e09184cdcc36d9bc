package rancherengine

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

func TestWaitsOutsideTheEngineReportWhatIsAwaitedAtEachTick(t *testing.T) {
	rec := &progress.Recorder{}
	clock := &testClock{at: time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)}
	em, ticks, tick := steppedHeartbeat(rec, clock, 10*time.Second)
	failed := errors.New("gone wrong")
	err := reportWhile(em, ticks, "web", "deleting", "active", func(seen func(string)) error {
		tick()
		seen("removing")
		tick()
		return failed
	})
	if !errors.Is(err, failed) {
		t.Errorf("err = %v, want the wait's own error", err)
	}
	events := rec.Events()
	want := []string{"waiting 10s while deleting: state active", "waiting 20s while deleting: state removing"}
	if len(events) > len(want) {
		t.Fatalf("events after the wait ended: %+v", events)
	}
	if len(events) < len(want) {
		t.Fatalf("%d events, want %d: %+v", len(events), len(want), events)
	}
	for i, e := range events {
		if e.Resource != "web" || e.Status != progress.Waiting || e.Text != want[i] {
			t.Errorf("event %d = %+v, want waiting %q", i, e, want[i])
		}
	}
}

func TestAWaitOutsideTheEngineShowsInAPlainLogEveryTenSeconds(t *testing.T) {
	var log strings.Builder
	clock := &testClock{at: time.Date(2026, 1, 1, 10, 0, 0, 0, time.UTC)}
	em, ticks, tick := steppedHeartbeat(progress.NewRenderer(progress.Plain, &log, false), clock, time.Second)
	_ = reportWhile(em, ticks, "web", "scaling", "updating-active", func(func(string)) error {
		for range 25 { // 25 s of one-second heartbeats
			tick()
		}
		return nil
	})
	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "10:00:11") || !strings.Contains(lines[2], "10:00:21") {
		t.Fatalf("want a line at 1 s, 11 s and 21 s:\n%s", log.String())
	}
	if !strings.Contains(lines[2], "[web] waiting: waiting 21s while scaling: state updating-active") {
		t.Errorf("the line does not name the service, what it does and its state: %s", lines[2])
	}
}

// steppedHeartbeat gives reportWhile a clock and ticks that move in step: tick advances the clock by
// every, sends a tick and returns once its event reached sink.
func steppedHeartbeat(sink progress.Sink, clock *testClock, every time.Duration) (progress.Emitter, <-chan time.Time, func()) {
	ticks, emitted := make(chan time.Time), make(chan struct{})
	em := progress.Emitter{Now: clock.now, Sink: progress.SinkFunc(func(e progress.Event) {
		sink.On(e)
		emitted <- struct{}{}
	})}
	return em, ticks, func() {
		ticks <- clock.add(every)
		<-emitted
	}
}

// testClock is a clock a test moves; safe for the heartbeat's goroutine to read.
type testClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.at }

func (c *testClock) add(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
	return c.at
}

func TestAHeartbeatCountsAServicesContainers(t *testing.T) {
	svc := &resources.Service{State: "updating-active", TransitioningMessage: "In Progress", Scale: 3, CurrentScale: 2, HealthState: "degraded"}
	if got, want := awaitedState(svc), "updating-active: In Progress, 2/3 containers, health degraded"; got != want {
		t.Errorf("awaitedState = %q, want %q", got, want)
	}
	if got := awaitedState(&resources.PullTask{State: "activating"}); got != "activating" {
		t.Errorf("a pull task: %q", got)
	}
}
