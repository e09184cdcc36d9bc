package progress

import (
	"bytes"
	"encoding/json"
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
	out := buf.String()
	if !strings.Contains(out, "\x1b[1A\x1b[J") || !strings.HasSuffix(out, "✔ a                        active\n") {
		t.Fatalf("unexpected tty output %q", out)
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
