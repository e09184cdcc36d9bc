package e2e

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// ticking advances a manual-clock simulator by step every few milliseconds until the returned func is called.
func ticking(s *sim.Server, step time.Duration) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
				_ = s.Advance(step)
			}
		}
	}()
	return func() { close(done); <-finished }
}

// A rerun of the `up -d big` a timed-out run suggested waits for the service still activating (its image
// pulling) and exits 0 only once it is active and healthy, instead of reporting success at once
// (issue 11, item 12).
func TestRerunWaitsForAServiceStillActivating(t *testing.T) {
	e := newEnv(t, sim.Options{Clock: sim.ManualClock, Images: []sim.ImageBehavior{{Glob: "big/*", PullDelay: sim.Duration(time.Hour)}}})
	e.writeFile("docker-compose.yml", "version: '2'\nservices:\n  big:\n    image: big/app:1\n")
	stop := ticking(e.sim, time.Second)
	r := e.run("-p", "slow", "up", "-d", "--timeout", "1s", "--progress", "plain")
	stop()
	if r.code != 4 || !strings.Contains(r.stderr, "up -d big") {
		t.Fatalf("first run: exit %d, want 4 and a hint to run `up -d big`\n%s", r.code, r.stderr)
	}
	if s := e.service("slow", "big"); s.State != "activating" {
		t.Fatalf("after the first run big is %s, want activating", s.State)
	}

	var stateAtExit atomic.Value
	done := make(chan result, 1)
	go func() {
		r := e.run("-p", "slow", "up", "-d", "--wait-healthy", "--timeout", "5m", "--progress", "plain", "big")
		stateAtExit.Store(e.service("slow", "big").State)
		done <- r
	}()
	var polls int
	e.requests()
	for polls < 20 {
		select {
		case r := <-done:
			t.Fatalf("the rerun ended (exit %d) with big %v, before the pull finished:\n%s", r.code, stateAtExit.Load(), r.stderr)
		case <-time.After(5 * time.Millisecond):
			for _, l := range e.requests() {
				if strings.Contains(l, "GET") && strings.Contains(l, "services") {
					polls++
				}
			}
		}
	}
	_ = e.sim.Advance(2 * time.Hour)
	stop = ticking(e.sim, time.Second)
	defer stop()
	select {
	case r := <-done:
		if r.code != 0 || stateAtExit.Load() != "active" {
			t.Fatalf("rerun: exit %d with big %v, want 0 and active\n%s", r.code, stateAtExit.Load(), r.stderr)
		}
		if !strings.Contains(r.stderr, "activating") {
			t.Errorf("the rerun does not say what it waited for:\n%s", r.stderr)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the rerun did not end once the service was active")
	}
}
