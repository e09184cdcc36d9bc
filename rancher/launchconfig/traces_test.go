package launchconfig

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// traceRequest is one line of a ../shared/traces/rancher-compose-v0.12.5/*.jsonl file.
type traceRequest struct {
	Method   string          `json:"method"`
	Path     string          `json:"path"`
	Query    string          `json:"query_raw"`
	Body     json.RawMessage `json:"body"`
	Response json.RawMessage `json:"response"`
}

func traceDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TRACES_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "traces", "rancher-compose-v0.12.5")
	}
	abs, err := filepath.Abs(dir)
	if err == nil {
		_, err = os.Stat(abs)
	}
	if err != nil {
		t.Skipf("traces not available at %s (set TRACES_DIR)", dir)
	}
	return abs
}

func readTrace(t *testing.T, file string) []traceRequest {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []traceRequest
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<24)
	for sc.Scan() {
		var r traceRequest
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// traceStub answers transforms with the trace's answer to the same document.
type traceStub struct {
	*stubServer
	reqs []traceRequest
}

func (s *traceStub) Transform(ctx context.Context, doc *InspectDocument) (json.RawMessage, error) {
	_, _ = s.stubServer.Transform(ctx, doc)
	for _, r := range s.reqs {
		if strings.HasSuffix(r.Path, "/scripts/transform") && jsonDiff("", mustJSON(doc), r.Body) == "" {
			return r.Response, nil
		}
	}
	return nil, os.ErrNotExist
}

func loadTraceProject(t *testing.T, dir string) *compose.Project {
	t.Helper()
	p, err := compose.Load(context.Background(), compose.Options{WorkDir: filepath.Join(dir, "project"), ProjectName: "demo",
		Files: []string{"docker-compose.yml"}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestTraceUpFresh: the create bodies of 01-up-fresh (transform documents matched byte for byte as JSON).
func TestTraceUpFresh(t *testing.T) {
	dir := traceDir(t)
	reqs := readTrace(t, filepath.Join(dir, "01-up-fresh.jsonl"))
	p := loadTraceProject(t, dir)
	stub := &traceStub{stubServer: newStub(nil), reqs: reqs}
	creates := 0
	for _, r := range reqs {
		if r.Method != "POST" || !strings.HasSuffix(r.Path, "/services") {
			continue
		}
		creates++
		var body struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(r.Body, &body)
		b := &Builder{Project: p, StackID: "1st1", Transformer: stub, Resolver: stub}
		built, err := b.Build(context.Background(), body.Name)
		if err != nil {
			t.Fatalf("%s: %v", body.Name, err)
		}
		if d := jsonDiff("create", mustJSON(built.CreateBody()), r.Body); d != "" {
			t.Errorf("%s: %s\n got %s\nwant %s", body.Name, d, mustJSON(built.CreateBody()), r.Body)
		}
	}
	if creates != 2 {
		t.Fatalf("expected 2 creates in the trace, found %d", creates)
	}
}

// TestTraceUpgrade: 04-up-upgrade changed web's image to nginx:1.13.1; the plan against the live service
// (its GET answer) is "launch config only" and the upgrade body equals the recorded one.
func TestTraceUpgrade(t *testing.T) {
	dir := traceDir(t)
	reqs := readTrace(t, filepath.Join(dir, "04-up-upgrade.jsonl"))
	p := loadTraceProject(t, dir)
	p.Service("web").Compose.Image = "nginx:1.13.1"
	var live *resources.Service
	var recorded json.RawMessage
	for _, r := range reqs {
		if r.Method == "GET" && strings.Contains(r.Query, "name=web") && live == nil {
			var coll struct {
				Data []resources.Service `json:"data"`
			}
			if err := json.Unmarshal(r.Response, &coll); err != nil || len(coll.Data) != 1 {
				t.Fatalf("live service: %v", err)
			}
			live = &coll.Data[0]
		}
		if r.Method == "POST" && r.Query == "action=upgrade" {
			recorded = r.Body
		}
	}
	if live == nil || recorded == nil {
		t.Fatal("trace lacks the live service or the upgrade")
	}
	stub := &traceStub{stubServer: newStub(nil), reqs: reqs}
	b := &Builder{Project: p, StackID: "1st1", Transformer: stub, Resolver: stub}
	built, err := b.Build(context.Background(), "web")
	if err != nil {
		t.Fatal(err)
	}
	plan := PlanUpgrade(live, built, false, nil)
	if plan.Service || !plan.LaunchConfig || len(plan.Sidekicks)+len(plan.Removed) != 0 || !plan.NeedsUpgradeAction() {
		t.Fatalf("plan %+v", plan)
	}
	got := mustJSON(built.UpgradeInput(plan, 2, 1000, false))
	if d := jsonDiff("upgrade", got, recorded); d != "" {
		t.Errorf("%s\n got %s\nwant %s", d, got, recorded)
	}
	if same := PlanUpgrade(&built.Service.Service, built, false, nil); same.Service || same.NeedsUpgradeAction() {
		t.Errorf("a service compared with itself needs nothing: %+v", same)
	}
}
