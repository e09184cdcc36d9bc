package progress

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// Mode names a renderer, as given to --progress.
type Mode string

// Renderer modes.
const (
	Auto  Mode = "auto"  // tty on a terminal, plain otherwise
	TTY   Mode = "tty"   // a live table, one row per resource, redrawn in place
	Plain Mode = "plain" // one timestamped line per event: what CI logs want
	JSON  Mode = "json"  // one JSON object per event
	Quiet Mode = "quiet" // errors only
)

// ParseMode validates a --progress value.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(s)); m {
	case Auto, TTY, Plain, JSON, Quiet:
		return m, nil
	}
	return "", fmt.Errorf("unknown progress mode %q (want auto, tty, plain, json or quiet)", s)
}

// NewRenderer picks the renderer once for the whole run. isTTY tells whether w is a terminal.
func NewRenderer(mode Mode, w io.Writer, isTTY bool) Sink {
	if mode == Auto {
		mode = Plain
		if isTTY {
			mode = TTY
		}
	}
	switch mode {
	case TTY:
		return &ttyRenderer{w: w, rows: map[string]Event{}}
	case JSON:
		return &jsonRenderer{enc: json.NewEncoder(w)}
	case Quiet:
		return &plainRenderer{w: w, only: Error}
	}
	return &plainRenderer{w: w}
}

// Flush makes a renderer that draws later (tty) draw what it holds; other sinks write as events come.
func Flush(s Sink) {
	if f, ok := s.(interface{ Flush() }); ok {
		f.Flush()
	}
}

// PlainHeartbeat is how often the line-by-line renderers (plain, json) print that a wait is still under way:
// a CI log shows what is awaited at least this often, without a line per poll.
const PlainHeartbeat = 10 * time.Second

// thinner lets a Waiting event through only when the resource printed nothing for PlainHeartbeat.
type thinner struct {
	last map[string]time.Time
}

func (t *thinner) pass(e Event) bool {
	if t.last == nil {
		t.last = map[string]time.Time{}
	}
	if prev, ok := t.last[e.Resource]; ok && e.Status == Waiting && e.Time.Sub(prev) < PlainHeartbeat {
		return false
	}
	t.last[e.Resource] = e.Time
	return true
}

// plainRenderer writes `2006-01-02T15:04:05Z [resource] status: text`, one line per event.
type plainRenderer struct {
	mu   sync.Mutex
	w    io.Writer
	only Status
	thin thinner
}

func (r *plainRenderer) On(e Event) {
	if r.only != "" && e.Status != r.only {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.thin.pass(e) {
		return
	}
	fmt.Fprintf(r.w, "%s [%s] %s: %s\n", e.Time.UTC().Format(time.RFC3339), e.Resource, e.Status, e.Text)
}

type jsonRenderer struct {
	mu   sync.Mutex
	enc  *json.Encoder
	thin thinner
}

func (r *jsonRenderer) On(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.thin.pass(e) {
		return
	}
	_ = r.enc.Encode(e)
}

// ttyRedrawEvery bounds how often the live table is redrawn. A redraw rewrites every row, so redrawing on
// each event, as before, wrote a 500-service deploy's table thousands of times over (over a million lines,
// most of the client's CPU); a person reads no faster than this.
const ttyRedrawEvery = 100 * time.Millisecond

// ttyRenderer keeps the latest event of each resource and redraws the table in place with ANSI cursor moves:
// at an event ttyRedrawEvery (by the events' times) after the one that last drew it, else ttyRedrawEvery later
// (Flush draws what is left); warnings and notes are printed at once.
type ttyRenderer struct {
	mu    sync.Mutex
	w     io.Writer
	rows  map[string]Event
	drawn int
	last  time.Time   // the time of the event that last drew the table
	dirty bool        // rows changed since
	timer *time.Timer // the redraw pending, if any
}

func (r *ttyRenderer) On(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.Status == Warning || e.Status == Info {
		r.clear()
		fmt.Fprintf(r.w, "%s %s: %s\n", symbol(e.Status), e.Resource, e.Text)
		r.redraw()
		return
	}
	r.rows[e.Resource] = e
	r.dirty = true
	switch {
	case r.last.IsZero() || e.Time.Sub(r.last) >= ttyRedrawEvery:
		r.redraw()
		r.last = e.Time
	case r.timer == nil:
		r.timer = time.AfterFunc(ttyRedrawEvery, r.redrawIfDirty)
	}
}

// Flush draws the rows changed since the last redraw; the command calls it before it ends.
func (r *ttyRenderer) Flush() { r.redrawIfDirty() }

func (r *ttyRenderer) redrawIfDirty() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.dirty {
		r.redraw()
	}
}

func (r *ttyRenderer) redraw() {
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	r.clear()
	r.draw()
	r.dirty = false
}

func (r *ttyRenderer) clear() {
	if r.drawn > 0 {
		fmt.Fprintf(r.w, "\x1b[%dA\x1b[J", r.drawn)
	}
	r.drawn = 0
}

func (r *ttyRenderer) draw() {
	names := make([]string, 0, len(r.rows))
	for n := range r.rows {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		e := r.rows[n]
		fmt.Fprintf(r.w, " %s %-24s %s\n", symbol(e.Status), n, e.Text)
	}
	r.drawn = len(names)
}

func symbol(s Status) string {
	switch s {
	case Done:
		return "✔"
	case Error:
		return "✘"
	case Warning:
		return "!"
	case Info:
		return "i"
	}
	return "…"
}
