package resources

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func goldensDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GOLDENS_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "goldens")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("goldens not available at %s", dir)
	}
	return dir
}

// TestCreateBodiesRoundTrip decodes every create body the original sent into CompositeService and encodes it
// again: the JSON must be identical, so no field is missing, misnamed or typed differently.
func TestCreateBodiesRoundTrip(t *testing.T) {
	dir := goldensDir(t)
	var files []string
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.Name() == "golden.json" {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatalf("no golden.json under %s", dir)
	}
	bodies := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g struct {
			Services map[string]struct {
				Create *struct {
					Body json.RawMessage `json:"body"`
				} `json:"create"`
			} `json:"services"`
		}
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for name, s := range g.Services {
			if s.Create == nil {
				continue
			}
			bodies++
			var svc CompositeService
			if err := json.Unmarshal(s.Create.Body, &svc); err != nil {
				t.Errorf("%s %s: decode: %v", f, name, err)
				continue
			}
			again, err := json.Marshal(&svc)
			if err != nil {
				t.Fatal(err)
			}
			var want, got interface{}
			_ = json.Unmarshal(s.Create.Body, &want)
			_ = json.Unmarshal(again, &got)
			if !reflect.DeepEqual(want, got) {
				t.Errorf("%s %s: round trip differs\nwant %s\ngot  %s", f, name, s.Create.Body, again)
			}
		}
	}
	if bodies < 100 {
		t.Fatalf("only %d create bodies found", bodies)
	}
	t.Logf("%d create bodies round-trip", bodies)
}
