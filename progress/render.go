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

// ttyRenderer keeps the latest event of each resource and redraws the table in place with ANSI cursor moves.
type ttyRenderer struct {
	mu    sync.Mutex
	w     io.Writer
	rows  map[string]Event
	drawn int
}

func (r *ttyRenderer) On(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if e.Status == Warning || e.Status == Info {
		r.clear()
		fmt.Fprintf(r.w, "%s %s: %s\n", symbol(e.Status), e.Resource, e.Text)
		r.draw()
		return
	}
	r.rows[e.Resource] = e
	r.clear()
	r.draw()
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
