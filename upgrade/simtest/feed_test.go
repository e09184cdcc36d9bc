package simtest

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// lockedLog keeps the simulator's request log lines.
type lockedLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		if line != "" {
			l.lines = append(l.lines, line)
		}
	}
	return len(p), nil
}

// count returns how many GETs of a path that match were logged.
func (l *lockedLog) count(match func(path string) bool) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, line := range l.lines {
		f := strings.Fields(line)
		if len(f) >= 3 && f[1] == "GET" && match(f[2]) {
			n++
		}
	}
	return n
}

func isServiceByID(path string) bool {
	return strings.Contains(path, "/services/") && !strings.Contains(path, "?")
}

func isStackList(path string) bool {
	return strings.Contains(path, "/services?") && strings.Contains(path, "stackId=")
}

func TestUpWaitsThroughTheStackPoller(t *testing.T) {
	log := &lockedLog{}
	e := start(t, sim.Options{RequestLog: log})
	var desired []*upgrade.Desired
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		desired = append(desired, e.service(n, "nginx:1", 2, false))
	}
	desired[1].Links, desired[1].DependsOn = []upgrade.Link{{Target: "a"}}, []string{"a"}
	res := e.mustUp(desired, upgrade.Options{})
	for _, r := range res.Services {
		if r.State != "active" {
			t.Errorf("%s: %s", r.Name, r.State)
		}
		e.expect(r.Name, "active", "nginx:1")
	}
	// Six services created at once are waited for together: the poller lists the stack (a round for one
	// service alone reads it by id). The exact counts depend on timing; feed_test.go pins the semantics.
	if lists := log.count(isStackList); lists == 0 {
		t.Errorf("no list of the stack (%d reads by id): the waits were not answered by the stack poller", log.count(isServiceByID))
	}
}

func TestServiceReadFallsBackToTheIDForAServiceTheListNoLongerHolds(t *testing.T) {
	log := &lockedLog{}
	e := start(t, sim.Options{RequestLog: log})
	ctx := context.Background()
	d := e.service("gone", "nginx:1", 1, false)
	created, err := e.api.CreateService(ctx, upgrade.KindService, d.CreateBody)
	if err != nil {
		t.Fatal(err)
	}
	if !e.api.Paced(created.ID) {
		t.Fatal("a created service of a known stack must be read through the stack poller")
	}
	obj, err := e.api.Client.Services().Get(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	removing, err := e.api.Client.Services().Delete(ctx, obj)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.api.Client.Services().Wait(ctx, removing); err != nil {
		t.Fatal(err)
	}
	before := log.count(isServiceByID)
	got, err := e.api.Service(ctx, created.ID)
	if err != nil {
		t.Fatalf("reading a removed service: %v", err)
	}
	if got.ID != created.ID || (got.State != "removed" && got.State != "purged") {
		t.Errorf("read %+v, want the removed service itself", got)
	}
	if log.count(isServiceByID) != before+1 {
		t.Error("the removed service was not read by its id")
	}
}
