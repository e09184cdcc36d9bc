package e2e

import (
	"context"
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

// A rerun of `up -d --upgrade` after an interrupt left a service upgrading waits until it is upgraded, then
// does what the plan says for an upgraded service (here: leave it for `upgrade --confirm`), instead of
// failing at once on the "wrong state" (issue 11, item 12).
func TestRerunAfterAnInterruptWaitsForTheUpgradeUnderWay(t *testing.T) {
	e := newEnv(t, sim.Options{Clock: sim.ManualClock})
	e.writeFile("demo/docker-compose.yml", webProject("1.13", "9"))
	e.writeFile("demo/rancher-compose.yml", webRancher)
	stop := ticking(e.sim, time.Second)
	e.must(e.demo("up", "-d"), "up -d")
	stop()
	e.changeImages("1.14", "9")
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for ctx.Err() == nil {
			if s := e.service("demo", "web"); s.State == "upgrading" {
				cancel()
				return
			}
			_ = e.sim.Advance(100 * time.Millisecond)
			time.Sleep(2 * time.Millisecond)
		}
	}()
	r := e.runIn(ctx, e.dir, "", "-f", e.dir+"/demo/docker-compose.yml", "up", "-d", "--upgrade", "--timeout", "5m", "--progress", "plain")
	cancel()
	if r.code != 130 || e.service("demo", "web").State != "upgrading" {
		t.Fatalf("interrupted run: exit %d, web %s; want 130 and upgrading\n%s", r.code, e.service("demo", "web").State, r.stderr)
	}

	done := make(chan result, 1)
	var stateAtExit atomic.Value
	go func() {
		r := e.demo("up", "-d", "--upgrade", "--timeout", "5m", "--progress", "plain")
		stateAtExit.Store(e.service("demo", "web").State)
		done <- r
	}()
	e.requests()
	for polls := 0; polls < 20; {
		select {
		case r := <-done:
			t.Fatalf("the rerun ended (exit %d, web %v) while web was still upgrading:\n%s", r.code, stateAtExit.Load(), r.stderr)
		case <-time.After(5 * time.Millisecond):
			for _, l := range e.requests() {
				if strings.Contains(l, "GET") && strings.Contains(l, "services") {
					polls++
				}
			}
		}
	}
	stop = ticking(e.sim, time.Second)
	defer stop()
	select {
	case r := <-done:
		if r.code != 0 || stateAtExit.Load() != "upgraded" {
			t.Fatalf("rerun: exit %d with web %v, want 0 and upgraded\n%s", r.code, stateAtExit.Load(), r.stderr)
		}
		if !strings.Contains(r.stderr, "upgrade --confirm web") {
			t.Errorf("the rerun does not say to confirm web:\n%s", r.stderr)
		}
	case <-time.After(2 * time.Minute):
		t.Fatal("the rerun did not end once the upgrade was done")
	}
}
