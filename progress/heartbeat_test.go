package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// A wait reported every second prints, in a CI log, one line at least every PlainHeartbeat, and never a
// line per report (issue 11, item 13).
func TestPlainRendererPrintsAWaitAtLeastEveryTenSeconds(t *testing.T) {
	for _, mode := range []Mode{Plain, JSON} {
		var buf bytes.Buffer
		r := NewRenderer(mode, &buf, false)
		r.On(Event{Time: t0, Resource: "web", Status: Working, Text: "Waiting until healthy"})
		for s := 1; s <= 35; s++ {
			r.On(Event{Time: t0.Add(time.Duration(s) * time.Second), Resource: "web", Status: Waiting, Text: "waiting: state upgrading, 0/2 containers ready"})
		}
		lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
		if len(lines) != 4 {
			t.Fatalf("%s: %d lines for 35 s of waiting, want 4 (start, 10 s, 20 s, 30 s):\n%s", mode, len(lines), buf.String())
		}
		for _, want := range []string{"10:00:10", "10:00:20", "10:00:30"} {
			if !strings.Contains(buf.String(), want) {
				t.Errorf("%s: no line at %s:\n%s", mode, want, buf.String())
			}
		}
		if !strings.Contains(lines[1], "0/2 containers ready") {
			t.Errorf("%s: the heartbeat line does not say what is awaited: %s", mode, lines[1])
		}
	}
}

func TestTTYRendererKeepsALiveLineWhileWaiting(t *testing.T) {
	var buf bytes.Buffer
	r := NewRenderer(TTY, &buf, true)
	r.On(Event{Time: t0, Resource: "web", Status: Working, Text: "Waiting until healthy"})
	for s := 1; s <= 3; s++ {
		r.On(Event{Time: t0.Add(time.Duration(s) * time.Second), Resource: "web", Status: Waiting, Text: "waiting " + time.Duration(s*int(time.Second)).String()})
	}
	if !strings.Contains(buf.String(), "waiting 1s") || !strings.Contains(buf.String(), "waiting 3s") {
		t.Errorf("the live line is not redrawn each second:\n%q", buf.String())
	}
}
