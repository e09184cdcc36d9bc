package progress

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

func TestPlainRendererOneTimestampedLinePerEvent(t *testing.T) {
	var buf bytes.Buffer
	r := NewRenderer(Auto, &buf, false)
	r.On(Event{Time: t0, Resource: "web", Status: Working, Text: "creating"})
	r.On(Event{Time: t0.Add(time.Second), Resource: "web", Status: Done, Text: "active"})
	want := "2026-11-22T10:00:00Z [web] working: creating\n2026-11-22T10:00:01Z [web] done: active\n"
	if buf.String() != want {
		t.Fatalf("got %q, want %q", buf.String(), want)
	}
}

func TestJSONRendererEmitsDecodableEvents(t *testing.T) {
	var buf bytes.Buffer
	r := NewRenderer(JSON, &buf, true)
	r.On(Event{Time: t0, Resource: "db", Status: Error, Text: "unhealthy"})
	var got Event
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.Resource != "db" || got.Status != Error || !got.Time.Equal(t0) {
		t.Fatalf("decoded %+v", got)
	}
}

func TestTTYRendererRedrawsRowsInPlace(t *testing.T) {
	var buf bytes.Buffer
	r := NewRenderer(Auto, &buf, true)
	r.On(Event{Time: t0, Resource: "a", Status: Working, Text: "creating"})
	r.On(Event{Time: t0, Resource: "a", Status: Done, Text: "active"})
	Flush(r)
	out := buf.String()
	if !strings.Contains(out, "\x1b[1A\x1b[J") || !strings.HasSuffix(out, "✔ a                        active\n") {
		t.Fatalf("unexpected tty output %q", out)
	}
}

// A burst of events redraws the table a few times, not once per event, and ends drawn as it stands.
func TestTTYRendererRedrawsABurstOnce(t *testing.T) {
	var buf bytes.Buffer
	r := NewRenderer(TTY, &buf, true)
	for i := 0; i < 500; i++ {
		r.On(Event{Time: t0, Resource: fmt.Sprintf("svc-%03d", i), Status: Working, Text: "creating"})
	}
	for i := 0; i < 500; i++ {
		r.On(Event{Time: t0, Resource: fmt.Sprintf("svc-%03d", i), Status: Done, Text: "active"})
	}
	Flush(r)
	out := buf.String()
	if redraws := strings.Count(out, "\x1b[J"); redraws > 20 {
		t.Errorf("%d redraws for 1000 events in a burst", redraws)
	}
	last := out[strings.LastIndex(out, "\x1b[J")+len("\x1b[J"):]
	if n := strings.Count(last, "✔"); n != 500 || strings.Contains(last, "creating") {
		t.Errorf("the last table shows %d of 500 services done: %q", n, last[:min(len(last), 200)])
	}
}

// Rows changed after a redraw are drawn by a later one without a Flush.
func TestTTYRendererDrawsLateRowsByItself(t *testing.T) {
	var buf bytes.Buffer
	r := NewRenderer(TTY, &buf, true).(*ttyRenderer)
	drawn := func() string { // the renderer writes under its lock, from its timer too
		r.mu.Lock()
		defer r.mu.Unlock()
		return buf.String()
	}
	r.On(Event{Time: t0, Resource: "a", Status: Working, Text: "creating"})
	r.On(Event{Time: t0, Resource: "a", Status: Done, Text: "active"})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.HasSuffix(drawn(), "✔ a                        active\n") {
		if time.Now().After(deadline) {
			t.Fatalf("the last change was never drawn: %q", drawn())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestQuietShowsOnlyErrors(t *testing.T) {
	var buf bytes.Buffer
	r := NewRenderer(Quiet, &buf, false)
	r.On(Event{Time: t0, Resource: "a", Status: Done, Text: "ok"})
	r.On(Event{Time: t0, Resource: "b", Status: Error, Text: "boom"})
	if got := buf.String(); got != "2026-11-22T10:00:00Z [b] error: boom\n" {
		t.Fatalf("got %q", got)
	}
}

func TestParseMode(t *testing.T) {
	if _, err := ParseMode("fancy"); err == nil {
		t.Fatal("want error for unknown mode")
	}
	if m, err := ParseMode("JSON"); err != nil || m != JSON {
		t.Fatalf("got %v %v", m, err)
	}
}

func TestEmitterStampsAndRecords(t *testing.T) {
	rec := &Recorder{}
	Emitter{Sink: rec, Now: func() time.Time { return t0 }}.Emit("web", Done, "active")
	ev := rec.Events()
	if len(ev) != 1 || ev[0] != (Event{Time: t0, Resource: "web", Status: Done, Text: "active"}) {
		t.Fatalf("got %+v", ev)
	}
}
