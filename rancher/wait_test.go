package rancher

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

func TestWaitReturnsAtOnceWhenNotTransitioning(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	svc := activeService(t, f, c, "active")
	if err := c.WaitTransition(context.Background(), svc); err != nil {
		t.Fatal(err)
	}
	if len(f.log()) != 0 {
		t.Errorf("requests: %v", f.log())
	}
}

func TestWaitPollsUntilSettled(t *testing.T) {
	f := newFakeAPI(t)
	f.settleAfter = 3
	c := newTestClient(t, f)
	svc := activeService(t, f, c, "inactive")
	svc, err := c.Services().Action(context.Background(), svc, "activate", nil)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	done, err := c.Services().Wait(context.Background(), svc, OnPoll(func(o any) { seen = append(seen, o.(*resources.Service).State) }))
	if err != nil || done.State != "active" || done.Transitioning != "no" {
		t.Fatalf("%+v %v", done, err)
	}
	if strings.Join(seen, ",") != "activating,activating,active" || f.count("GET /v2-beta/services/1x1") != 3 {
		t.Errorf("states seen %v, requests %v", seen, f.log())
	}
	if c.Stats().Polls != 3 {
		t.Errorf("polls = %d", c.Stats().Polls)
	}
}

func TestWaitEndsOnTransitioningError(t *testing.T) {
	f := newFakeAPI(t)
	f.settleAfter = 1000
	c := newTestClient(t, f)
	svc := activeService(t, f, c, "inactive")
	svc, err := c.Services().Action(context.Background(), svc, "activate", nil)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	obj := f.find("service", "1x1")
	obj["transitioning"], obj["transitioningMessage"] = "error", "Failed to allocate instance [container:1i42]"
	f.mu.Unlock()
	_, err = c.Services().Wait(context.Background(), svc)
	var te *TransitionError
	if !errors.As(err, &te) || te.State != "activating" || te.Message != "Failed to allocate instance [container:1i42]" {
		t.Fatalf("err = %#v", err)
	}
	if want := `service "web" (1x1) failed in state "activating": Failed to allocate instance [container:1i42]`; err.Error() != want {
		t.Errorf("message %q", err)
	}
}

func TestWaitTimeoutNamesTheResource(t *testing.T) {
	f := newFakeAPI(t)
	f.settleAfter = 1 << 30
	c := newTestClient(t, f)
	svc := activeService(t, f, c, "inactive")
	svc, err := c.Services().Action(context.Background(), svc, "activate", nil)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.find("service", "1x1")["transitioningMessage"] = "Waiting for dependencies"
	f.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err = c.Services().Wait(ctx, svc)
	var we *WaitError
	if !errors.As(err, &we) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{`service "web" (1x1)`, `"activating"`, "Waiting for dependencies", "deadline exceeded"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %s", want, err)
		}
	}
	if exitCodeOf(err) != 1 {
		t.Errorf("a WaitError must leave the exit code to context.DeadlineExceeded (no ExitCode method)")
	}
}

func TestWaitUntilCondition(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	svc := activeService(t, f, c, "active")
	healthyAfter := 2
	f.intercept = nil
	polls := 0
	err := c.WaitTransition(context.Background(), svc, Until(func(o any) bool {
		polls++
		return polls > healthyAfter
	}))
	if err != nil || f.count("GET") != healthyAfter {
		t.Fatalf("err %v, requests %v", err, f.log())
	}
}

func TestPollScheduleBacksOff(t *testing.T) {
	p := Config{}.withDefaults().Poll
	got := pollSchedule(p, 8)
	want := []float64{100, 150, 225, 337.5, 506.25, 759.375, 1000, 1000}
	for i := range want {
		if got[i] != time.Duration(want[i]*float64(time.Millisecond)) {
			t.Fatalf("schedule %v, want %v ms", got, want)
		}
	}
}
