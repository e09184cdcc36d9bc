package transform

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// sharedDir finds ../shared beside the repository root (the directory holding go.mod), or skips.
func sharedDir(t *testing.T, sub string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", sub)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s absent: %v", p, err)
	}
	return p
}

// recordedRequest is one transform request the original client sent, with where it came from.
type recordedRequest struct {
	where string
	body  json.RawMessage
}

func goldenRequests(t *testing.T) []recordedRequest {
	root := sharedDir(t, "goldens")
	var out []recordedRequest
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() != "golden.json" {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		var g struct {
			Services map[string]struct {
				Transform []struct {
					Request json.RawMessage `json:"request"`
				} `json:"transform"`
			} `json:"services"`
		}
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		for name, svc := range g.Services {
			for _, tr := range svc.Transform {
				out = append(out, recordedRequest{where: path + " service " + name, body: tr.Request})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func traceRequests(t *testing.T) []recordedRequest {
	root := sharedDir(t, "traces/rancher-compose-v0.12.5")
	files, _ := filepath.Glob(filepath.Join(root, "*.jsonl"))
	var out []recordedRequest
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 64<<20)
		for line := 1; sc.Scan(); line++ {
			var req struct {
				Method  string `json:"method"`
				Path    string `json:"path"`
				BodyRaw string `json:"body_raw"`
			}
			if err := json.Unmarshal(sc.Bytes(), &req); err != nil {
				t.Errorf("%s:%d: %v", f, line, err)
				continue
			}
			if req.Method == "POST" && strings.HasSuffix(req.Path, "/scripts/transform") {
				out = append(out, recordedRequest{where: f + ":" + itoa(line), body: json.RawMessage(req.BodyRaw)})
			}
		}
		fh.Close()
	}
	return out
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

// Every transform request the original rancher-compose v0.12.5 sent (goldens and traces) is accepted,
// and the answer keeps the §4.12 invariants that can be read off the request.
func TestRecordedRequestsTransform(t *testing.T) {
	reqs := append(goldenRequests(t), traceRequests(t)...)
	if len(reqs) == 0 {
		t.Fatal("no recorded transform requests found")
	}
	for _, rr := range reqs {
		got, err := TransformJSON(rr.body)
		if err != nil {
			t.Errorf("%s: %v", rr.where, err)
			continue
		}
		checkInvariants(t, rr, got)
	}
	t.Logf("%d recorded transform requests transformed", len(reqs))
}

func checkInvariants(t *testing.T, rr recordedRequest, got map[string]any) {
	t.Helper()
	var req struct {
		Config struct {
			Image  string
			Labels map[string]string
			Env    []string
			Cmd    []string
		}
	}
	if err := json.Unmarshal(rr.body, &req); err != nil {
		t.Errorf("%s: %v", rr.where, err)
		return
	}
	if got["type"] != "launchConfig" || got["kind"] != "container" {
		t.Errorf("%s: type/kind = %v/%v", rr.where, got["type"], got["kind"])
	}
	if _, ok := got["logConfig"].(map[string]any); !ok {
		t.Errorf("%s: logConfig missing", rr.where)
	}
	switch img, present := got["imageUuid"]; {
	case req.Config.Image == "" && present:
		t.Errorf("%s: imageUuid = %v for an empty image (build services), want absent", rr.where, img)
	case req.Config.Image != "" && img != "docker:"+req.Config.Image:
		t.Errorf("%s: imageUuid = %v, want docker:%s", rr.where, img, req.Config.Image)
	}
	labels := map[string]any{}
	for k, v := range req.Config.Labels {
		labels[k] = v
	}
	if !reflect.DeepEqual(got["labels"], labels) {
		t.Errorf("%s: labels = %v, want %v", rr.where, got["labels"], labels)
	}
	if env := got["environment"].(map[string]any); len(env) > len(req.Config.Env) {
		t.Errorf("%s: environment has %d keys from %d entries", rr.where, len(env), len(req.Config.Env))
	}
	if cmd := got["command"].([]any); len(cmd) != len(req.Config.Cmd) {
		t.Errorf("%s: command = %v, want %v", rr.where, cmd, req.Config.Cmd)
	}
}
