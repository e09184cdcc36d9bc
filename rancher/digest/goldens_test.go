package digest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// goldenCreate is the part of a golden capture this test needs: each service's recorded create call.
type goldenCreate struct {
	Services map[string]struct {
		Create *struct {
			Path string          `json:"path"`
			Body json.RawMessage `json:"body"`
		} `json:"create"`
	} `json:"services"`
}

func goldenFiles(t *testing.T) []string {
	t.Helper()
	dir := os.Getenv("GOLDENS_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "goldens")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("goldens not available at %s (set GOLDENS_DIR)", dir)
	}
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "golden.json" {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

type tally struct{ matched, total int }

func (t *tally) add(ok bool) {
	t.total++
	if ok {
		t.matched++
	}
}

// TestGoldenDigestsFromRecordedBodies re-hashes, from each recorded create body alone, the values the
// original hashed (the body minus its hash keys, decoded as the original decoded its inputs) and compares
// with the digests the original stored in that body.
func TestGoldenDigestsFromRecordedBodies(t *testing.T) {
	var svc, lc, side tally
	for _, f := range goldenFiles(t) {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g goldenCreate
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for name, s := range g.Services {
			if s.Create == nil {
				continue
			}
			where := fmt.Sprintf("%s %s", f, name)
			stored, hashed, err := recordedHashes(s.Create.Path, s.Create.Body)
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			svc.add(check(t, where, "service", stored.Service, hashed.Service))
			lc.add(check(t, where, "launchConfig", stored.LaunchConfig, hashed.LaunchConfig))
			for sk, want := range stored.SecondaryLaunchConfigs {
				side.add(check(t, where, "sidekick "+sk, want, hashed.SecondaryLaunchConfigs[sk]))
			}
		}
	}
	if svc.total == 0 {
		t.Fatal("no create bodies in the goldens")
	}
	fmt.Printf("digest goldens: %d/%d digests reproduced from recorded bodies (service %d/%d, launchConfig %d/%d, sidekick %d/%d)\n",
		svc.matched+lc.matched+side.matched, svc.total+lc.total+side.total,
		svc.matched, svc.total, lc.matched, lc.total, side.matched, side.total)
}

func check(t *testing.T, where, what, want, got string) bool {
	t.Helper()
	if want != got {
		t.Errorf("%s: %s digest %s, recorded %s", where, what, got, want)
		return false
	}
	return true
}

// recordedHashes returns the digests stored in a create body and the digests of the body's values.
func recordedHashes(path string, body []byte) (stored, hashed ServiceHash, err error) {
	svc := &resources.CompositeService{}
	if strings.HasSuffix(path, "/services") {
		// A plain service is created from the embedded Service alone; its lbConfig is a target config.
		err = json.Unmarshal(body, &svc.Service)
	} else {
		err = json.Unmarshal(body, svc)
	}
	if err != nil {
		return stored, hashed, err
	}
	if svc.Metadata, err = yamlTypedMetadata(body); err != nil {
		return stored, hashed, err
	}
	stored, _ = Lookup(&svc.Service)
	delete(svc.Metadata, Key)
	lc, secondaries := svc.LaunchConfig, svc.SecondaryLaunchConfigs
	svc.LaunchConfig, svc.SecondaryLaunchConfigs = nil, nil
	if lc == nil {
		return stored, hashed, fmt.Errorf("create body without launchConfig")
	}
	delete(lc.Labels, Key)
	for i := range secondaries {
		delete(secondaries[i].Labels, Key)
	}
	if strings.HasSuffix(path, "/services") {
		svc.HealthCheck = lc.HealthCheck // hashed in CompositeService, not sent for a plain service
	}
	hashed, err = Create(svc, lc, secondaries)
	return stored, hashed, err
}

// yamlTypedMetadata decodes the body's metadata with integers as ints, as they were when read from
// rancher-compose.yml (encoding/json would make them float64, which hashes at float32 precision).
func yamlTypedMetadata(body []byte) (map[string]interface{}, error) {
	var b struct {
		Metadata map[string]interface{} `json:"metadata"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&b); err != nil {
		return nil, err
	}
	out, _ := retypeNumbers(b.Metadata).(map[string]interface{})
	return out, nil
}

func retypeNumbers(v interface{}) interface{} {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case map[string]interface{}:
		for k, e := range t {
			t[k] = retypeNumbers(e)
		}
	case []interface{}:
		for i, e := range t {
			t[i] = retypeNumbers(e)
		}
	}
	return v
}
