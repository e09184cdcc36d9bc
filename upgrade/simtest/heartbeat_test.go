package simtest

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// While a health wait lasts, every heartbeat tick reports the service, its state and how many containers
// are ready (issue 11, item 13). The ticks are sent by the test.
func TestHealthWaitReportsWhatItAwaitsAtEachHeartbeat(t *testing.T) {
	e := start(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	e.mustUp([]*upgrade.Desired{e.service("web", "nginx:1.13", 2, true)}, upgrade.Options{})
	desired := []*upgrade.Desired{e.service("web", "nginx:broken", 2, true)}
	obs, err := e.api.Observe(context.Background(), e.stack, desired)
	if err != nil {
		t.Fatal(err)
	}
	plan := upgrade.Reconcile(desired, obs, upgrade.Options{Upgrade: true, WaitHealthy: true})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	ticks := make(chan time.Time)
	rec := &progress.Recorder{}
	health := &healthcheck.Waiter{Reader: e.api, Logs: e.api, LogLines: 5, Backoff: healthcheck.Backoff{Initial: 5 * time.Millisecond, Max: 50 * time.Millisecond, Factor: 2},
		CountEvery: time.Millisecond}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = upgrade.Execute(ctx, plan, e.api, progress.Emitter{Sink: rec}, upgrade.WithHealth(health),
			upgrade.WithCleanupTimeout(20*time.Second), upgrade.WithHeartbeat(0, ticks))
	}()
	for running := true; running; {
		select {
		case <-done:
			running = false
		case ticks <- time.Now():
			time.Sleep(20 * time.Millisecond)
		}
	}
	var beats []string
	for _, ev := range rec.Events() {
		if ev.Status == progress.Waiting && ev.Resource == "web" {
			beats = append(beats, ev.Text)
		}
	}
	if len(beats) == 0 {
		t.Fatalf("no heartbeat while web was awaited; events: %+v", rec.Events())
	}
	found := false
	for _, b := range beats {
		if strings.Contains(b, "state upgrading") && strings.Contains(b, "containers ready") {
			found = true
		}
	}
	if !found {
		t.Errorf("no heartbeat names the state and the ready containers: %q", beats)
	}
}
