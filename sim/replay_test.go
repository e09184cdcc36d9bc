package sim

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// traceDir finds the recorded requests of the original client (../shared/traces from the repo root).
func traceDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("RANCHER_TRACES_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "traces", "rancher-compose-v0.12.5")
	}
	if _, err := os.Stat(filepath.Join(dir, "01-up-fresh.jsonl")); err != nil {
		t.Skipf("traces not found at %s (set RANCHER_TRACES_DIR)", dir)
	}
	return dir
}

type traceReq struct {
	Seq      int            `json:"seq"`
	Method   string         `json:"method"`
	Path     string         `json:"path"`
	QueryRaw string         `json:"query_raw"`
	BodyRaw  string         `json:"body_raw"`
	Status   int            `json:"status"`
	Response map[string]any `json:"response"`
	Auth     struct {
		Present bool `json:"present"`
	} `json:"auth"`
}

func readTrace(t *testing.T, file string) []traceReq {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []traceReq
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 4<<20), 16<<20)
	for sc.Scan() {
		var r traceReq
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		out = append(out, r)
	}
	return out
}

// collapsePolls drops a GET that repeats the previous request (the client's 150ms polling).
func collapsePolls(reqs []traceReq) []traceReq {
	var out []traceReq
	for i, r := range reqs {
		if i > 0 && r.Method == "GET" && reqs[i-1].Method == "GET" && r.Path == reqs[i-1].Path && r.QueryRaw == reqs[i-1].QueryRaw {
			continue
		}
		out = append(out, r)
	}
	return out
}

var idToken = regexp.MustCompile(`\b1(st|scm|s|i|h|e)\d+\b`)

// idMap maps the recording's ids onto the simulator's.
type idMap map[string]string

func (m idMap) apply(s string) string {
	return idToken.ReplaceAllStringFunc(s, func(id string) string {
		if v, ok := m[id]; ok {
			return v
		}
		return id
	})
}

// learn pairs ids of the recorded and simulated answers (top-level and collection data, by name).
func (m idMap) learn(rec, got map[string]any) {
	if id, ok := rec["id"].(string); ok && idToken.MatchString(id) {
		if gid, ok := got["id"].(string); ok {
			m[id] = gid
		}
	}
	rd, gd := asList(rec["data"]), asList(got["data"])
	for i := range rd {
		if i < len(gd) {
			m.learn(asMap(rd[i]), asMap(gd[i]))
		}
	}
}

// fieldsRead are the members of answers the original client reads (go-rancher v2 types as used by
// rancher-compose: lookups, hashes, waits, actions, links).
var fieldsRead = []string{"id", "type", "name", "state", "transitioning", "links", "actions", "stackId",
	"launchConfig", "metadata", "scale", "data", "imageUuid", "value", "kind", "secondaryLaunchConfigs",
	"selectorLink", "selectorContainer", "upgrade", "consumedServiceId", "serviceId", "code", "status"}

func checkFields(t *testing.T, where string, rec, got map[string]any) {
	t.Helper()
	for _, f := range fieldsRead {
		if _, ok := rec[f]; ok {
			if _, has := got[f]; !has {
				t.Errorf("%s: answer lacks %q (recorded answer had it)", where, f)
			}
		}
	}
	if rt, gt := rec["type"], got["type"]; rt != nil && rt != gt {
		t.Errorf("%s: type %v, recorded %v", where, gt, rt)
	}
	if rn, gn := rec["name"], got["name"]; rn != nil && rn != gn {
		t.Errorf("%s: name %v, recorded %v", where, gn, rn)
	}
	if rec["type"] == "collection" {
		if len(asList(rec["data"])) != len(asList(got["data"])) {
			t.Errorf("%s: %d items, recorded %d", where, len(asList(got["data"])), len(asList(rec["data"])))
		}
		for i, d := range asList(rec["data"]) {
			if i < len(asList(got["data"])) {
				checkFields(t, where+" data", asMap(d), asMap(asList(got["data"])[i]))
			}
		}
	}
	if lc := asMap(rec["launchConfig"]); lc != nil {
		gl := asMap(got["launchConfig"])
		if !jsonEqual(asMap(lc["labels"]), asMap(gl["labels"])) {
			t.Errorf("%s: launchConfig.labels %v, recorded %v", where, gl["labels"], lc["labels"])
		}
	}
	if md := rec["metadata"]; md != nil && !jsonEqual(md, got["metadata"]) {
		t.Errorf("%s: metadata %v, recorded %v", where, got["metadata"], md)
	}
}

// TestReplayOriginalClientTraces sends the original client's requests of every scenario, in order,
// with polls collapsed, and checks status codes and the fields the client reads.
func TestReplayOriginalClientTraces(t *testing.T) {
	dir := traceDir(t)
	s, c := startSim(t, Options{HostLabels: map[string]string{"role": "frontend"}})
	files, _ := filepath.Glob(filepath.Join(dir, "0*.jsonl"))
	sort.Strings(files)
	ids := idMap{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".jsonl")
		t.Run(name, func(t *testing.T) {
			for _, r := range collapsePolls(readTrace(t, file)) {
				path := ids.apply(r.Path)
				if r.QueryRaw != "" {
					path += "?" + ids.apply(r.QueryRaw)
				}
				var body any
				if r.BodyRaw != "" {
					body = ids.apply(r.BodyRaw)
				}
				settle(t, s)
				got := c.do(r.Method, path, body)
				where := name + " #" + itoa(int64(r.Seq)) + " " + r.Method + " " + path
				if !sameStatus(r, got.status) {
					t.Errorf("%s: status %d, recorded %d: %.300s", where, got.status, r.Status, got.raw)
					continue
				}
				if got.header.Get("X-API-Schemas") == "" {
					t.Errorf("%s: no X-API-Schemas header", where)
				}
				if r.Path == "/v2-beta/schemas" {
					continue
				}
				ids.learn(r.Response, got.body)
				checkFields(t, where, r.Response, got.body)
			}
			settle(t, s)
			if want, ok := replayOutcome[name]; ok {
				if got := serviceSummary(s, "demo"); got != want {
					t.Errorf("after %s: services %s, want %s", name, got, want)
				}
			}
		})
	}
}

// sameStatus compares status codes. The recording's fake answered DELETE with 202; rancher-api.md
// §3.3 (Cattle's deleteInternal) answers 200, which the simulator follows: any 2xx matches there.
func sameStatus(r traceReq, got int) bool {
	if r.Method == "DELETE" && r.Status/100 == 2 {
		return got/100 == 2
	}
	return got == r.Status
}

// TestReplayUnauthorized: the 401 scenario's first request with a wrong key.
func TestReplayUnauthorized(t *testing.T) {
	dir := traceDir(t)
	reqs := readTrace(t, filepath.Join(dir, "errors", "401.jsonl"))
	_, c := startSim(t, Options{})
	c.pass = "wrong"
	got := c.do(reqs[0].Method, reqs[0].Path, nil)
	if got.status != reqs[0].Status || got.header.Get("WWW-Authenticate") == "" {
		t.Fatalf("status %d (recorded %d), WWW-Authenticate %q", got.status, reqs[0].Status, got.header.Get("WWW-Authenticate"))
	}
	for _, k := range []string{"type", "status", "code", "message", "baseType"} {
		if !jsonEqual(got.body[k], reqs[0].Response[k]) {
			t.Errorf("%s = %v, recorded %v", k, got.body[k], reqs[0].Response[k])
		}
	}
}

// replayOutcome is the state each scenario leaves (name:state:running containers:stopped ones).
var replayOutcome = map[string]string{
	"01-up-fresh":           "db:active:1:0 web:active:2:0",
	"02-up-again":           "db:active:1:0 web:active:2:0",
	"04-up-upgrade":         "db:active:1:0 web:upgraded:2:2",
	"05-up-confirm-upgrade": "db:active:1:0 web:active:2:0",
	"06-scale":              "db:active:1:0 web:active:3:0",
	"07-stop":               "db:inactive:0:1 web:inactive:0:3",
	"08-rm":                 "",
	"09-create":             "db:inactive:0:0 web:inactive:0:0",
}

func serviceSummary(s *Server, stack string) string {
	var parts []string
	for _, svc := range s.Services(stack) {
		running, stopped := 0, 0
		for _, c := range s.Containers(svc.ID) {
			switch c.State {
			case "running":
				running++
			case "stopped":
				stopped++
			}
		}
		parts = append(parts, svc.Name+":"+svc.State+":"+itoa(int64(running))+":"+itoa(int64(stopped)))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}
