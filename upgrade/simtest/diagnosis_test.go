package simtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// A diagnosis prints each log line with the time the container wrote it, not the time of the diagnosis, so
// a container stuck for minutes does not look freshly started (issue 11, item 14).
func TestDiagnosisLogLinesKeepTheirOwnTime(t *testing.T) {
	e, res, err := neverHealthy(t, upgrade.Options{Upgrade: true, WaitHealthy: true})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	d := res.Service("web").Diagnosis
	if d == nil || len(d.Containers) == 0 || len(d.Containers[0].Logs) == 0 {
		t.Fatalf("no log lines in the diagnosis: %+v", d)
	}
	c := d.Containers[0]
	var started time.Time
	for _, sc := range e.sim.Containers(e.svc("web").ID) {
		if sc.ID == c.ID {
			started = firstAt(sc, "starting")
		}
	}
	if started.IsZero() {
		t.Fatalf("container %s (%s) not found or never started", c.Name, c.ID)
	}
	stamp, _, _ := strings.Cut(c.Logs[0], " ")
	at, perr := time.Parse(time.RFC3339Nano, stamp)
	if perr != nil {
		t.Fatalf("the first log line has no timestamp: %q", c.Logs[0])
	}
	if !at.Equal(started.Truncate(time.Second)) && !at.Equal(started) {
		t.Errorf("log line stamped %v, the container started at %v: %q", at, started, c.Logs[0])
	}
}
