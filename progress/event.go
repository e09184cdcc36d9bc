// Package progress carries what the engines report while they work. Engines (deploy, upgrade, healthcheck)
// only emit Events; a Renderer chosen once per run turns them into lines for a terminal, a CI log or JSON.
// Progress always goes to stderr; data goes to stdout.
package progress

import (
	"sync"
	"time"
)

// Status is the phase a resource reached.
type Status string

// Statuses an engine reports.
const (
	Working Status = "working" // a step started or is still under way
	Done    Status = "done"    // a step finished as asked
	Warning Status = "warning" // something worth a look that does not fail the run
	Error   Status = "error"   // a step failed
	Info    Status = "info"    // a note with no state change
	Waiting Status = "waiting" // a wait still under way, repeated while it lasts (renderers may thin it out)
)

// Event is one report from an engine about one resource (a stack, a service or a container).
type Event struct {
	Time     time.Time `json:"time"`
	Resource string    `json:"resource"`
	Status   Status    `json:"status"`
	Text     string    `json:"text"`
}

// Sink receives events. Implementations must be safe for concurrent use: services are deployed in parallel.
type Sink interface {
	On(Event)
}

// SinkFunc adapts a function to a Sink.
type SinkFunc func(Event)

// On calls f.
func (f SinkFunc) On(e Event) { f(e) }

// Discard drops every event.
var Discard Sink = SinkFunc(func(Event) {})

// Recorder keeps every event; tests use it to assert what an engine reported.
type Recorder struct {
	mu     sync.Mutex
	events []Event
}

// On records e.
func (r *Recorder) On(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// Events returns a copy of what was recorded, in arrival order.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}

// Emitter stamps events with a clock before handing them to a sink, so engines need not know the time.
type Emitter struct {
	Sink Sink
	Now  func() time.Time
}

// Emit reports one event.
func (e Emitter) Emit(resource string, status Status, text string) {
	now := time.Now
	if e.Now != nil {
		now = e.Now
	}
	sink := e.Sink
	if sink == nil {
		sink = Discard
	}
	sink.On(Event{Time: now(), Resource: resource, Status: status, Text: text})
}
