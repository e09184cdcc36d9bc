package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// tracesDir is where the original's request traces live: $TRACES_DIR, else ../shared/traces/... from the
// repository root (CI has shared/ beside the clone).
func tracesDir(root string) string {
	if d := os.Getenv("TRACES_DIR"); d != "" {
		return d
	}
	return filepath.Join(root, "..", "shared", "traces", "rancher-compose-v0.12.5")
}

// traceCount is what the original sent in one trace: every request, and those attributable to one service.
type traceCount struct {
	Requests   int
	PerService map[string]int
	Shared     int // stack-level requests (API root, schemas, settings, stack lookup and create)
}

// services is the number of services the trace deployed.
func (t traceCount) services() int { return len(t.PerService) }

// perService is every request divided by the services: what each service costs, overhead included.
func (t traceCount) perService() float64 { return float64(t.Requests) / float64(t.services()) }

func (t traceCount) String() string {
	var parts []string
	for _, n := range sortedKeys(t.PerService) {
		parts = append(parts, fmt.Sprintf("%s %d", n, t.PerService[n]))
	}
	return fmt.Sprintf("%d requests for %d services = %.1f per service (attributed: %s; stack-level: %d)",
		t.Requests, t.services(), t.perService(), strings.Join(parts, ", "), t.Shared)
}

// traceLine is the part of a trace line that names a service.
type traceLine struct {
	Method   string              `json:"method"`
	Path     string              `json:"path"`
	Query    map[string][]string `json:"query"`
	Body     json.RawMessage     `json:"body"`
	Response json.RawMessage     `json:"response"`
}

// countTrace reads a .jsonl trace and attributes each request to a service: by ?name= on /services, by
// the transform body's Name, by the create body's name, and by service id in the path or ?serviceId=
// (ids learnt from the create answers).
func countTrace(file string) (traceCount, error) {
	f, err := os.Open(file)
	if err != nil {
		return traceCount{}, err
	}
	defer f.Close()
	out := traceCount{PerService: map[string]int{}}
	ids := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for n := 1; sc.Scan(); n++ {
		var l traceLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return out, fmt.Errorf("%s:%d: %w", file, n, err)
		}
		out.Requests++
		name := l.service(ids)
		if name == "" {
			out.Shared++
			continue
		}
		out.PerService[name]++
	}
	return out, sc.Err()
}

func (l traceLine) service(ids map[string]string) string {
	var body struct {
		Name  string `json:"name"`
		DName string `json:"Name"`
	}
	_ = json.Unmarshal(l.Body, &body)
	path := strings.TrimSuffix(l.Path, "/")
	switch {
	case strings.HasSuffix(path, "/scripts/transform"):
		return strings.TrimPrefix(body.DName, "/")
	case strings.HasSuffix(path, "/services") && l.Method == "POST":
		var resp struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(l.Response, &resp)
		ids[resp.ID] = body.Name
		return body.Name
	case strings.HasSuffix(path, "/services") && len(l.Query["name"]) > 0:
		return l.Query["name"][0]
	case len(l.Query["serviceId"]) > 0:
		return ids[l.Query["serviceId"][0]]
	}
	if i := strings.Index(path, "/services/"); i >= 0 {
		id, _, _ := strings.Cut(path[i+len("/services/"):], "/")
		return ids[id]
	}
	return ""
}

func sortedKeys(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// originalPerService is, per scale scenario, the original's requests and response-body bytes per service in
// its trace of the same command (fresh 01, no-op 02, upgrade 04, confirm 05); missing traces are left out.
func originalPerService(c config) map[string][2]float64 {
	out := map[string][2]float64{}
	for scenario, file := range map[string]string{"fresh": "01-up-fresh.jsonl", "no-op": "02-up-again.jsonl",
		"upgrade": "04-up-upgrade.jsonl", "confirm": "05-up-confirm-upgrade.jsonl"} {
		path := filepath.Join(c.trace, file)
		t, err := countTrace(path)
		if err != nil || t.services() == 0 {
			continue
		}
		bytes, err := traceResponseBytes(path)
		if err != nil {
			continue
		}
		out[scenario] = [2]float64{t.perService(), float64(bytes) / float64(t.services())}
	}
	return out
}

// traceResponseBytes sums the compact JSON size of every response body of a trace.
func traceResponseBytes(file string) (int, error) {
	f, err := os.Open(file)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	total := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var l traceLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return 0, fmt.Errorf("%s: %w", file, err)
		}
		var buf bytes.Buffer
		if len(l.Response) > 0 && json.Compact(&buf, l.Response) == nil {
			total += buf.Len()
		}
	}
	return total, sc.Err()
}
