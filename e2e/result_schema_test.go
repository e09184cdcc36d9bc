package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// documentedResultFields returns every field name the README's JSON result section mentions.
func documentedResultFields(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "## The JSON result")
	if start < 0 {
		t.Fatal("README.md has no section \"The JSON result\"")
	}
	section := text[start:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	fields := map[string]bool{}
	for _, m := range regexp.MustCompile("`([^`]+)`").FindAllStringSubmatch(section, -1) {
		for _, part := range strings.Split(m[1], ".") {
			if name := strings.TrimSuffix(part, "[]"); regexp.MustCompile(`^[a-z][A-Za-z]*$`).MatchString(name) {
				fields[name] = true
			}
		}
	}
	return fields
}

// jsonKeys collects the keys of every object in v, with their paths.
func jsonKeys(path string, v any, out map[string]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			out[path+"."+k] = k
			jsonKeys(path+"."+k, val, out)
		}
	case []any:
		for _, val := range x {
			jsonKeys(path+"[]", val, out)
		}
	}
}

// structKeys lists the JSON names of the exported fields of t's struct types, recursively.
func structKeys(t reflect.Type, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		out[name] = true
		structKeys(f.Type, out)
	}
}

// The --format json result (and --dry-run plan) is an interface: every field they can hold is documented in the README, and a real
// result (a timed-out upgrade, with a diagnosis) carries version 1 and only documented fields.
func TestJSONResultMatchesItsDocumentedSchema(t *testing.T) {
	documented := documentedResultFields(t)
	declared := map[string]bool{}
	structKeys(reflect.TypeOf(upgrade.Result{}), declared)
	structKeys(reflect.TypeOf(healthcheck.Diagnosis{}), declared)
	structKeys(reflect.TypeOf(upgrade.Plan{}), declared)
	for name := range declared {
		if !documented[name] {
			t.Errorf("result field %q is not documented in README.md", name)
		}
	}

	e := deployed(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	e.changeImages("broken", "10")
	r := e.demo("up", "-d", "--upgrade", "--wait-healthy", "--timeout", "3s", "--format", "json")
	if r.code != 4 {
		t.Fatalf("exit %d, want 4\n%s", r.code, r.stderr)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("stdout is not one JSON document: %v\n%s", err, r.stdout)
	}
	if doc["version"] != float64(upgrade.SchemaVersion) || upgrade.SchemaVersion != 1 {
		t.Errorf("version = %v, want 1", doc["version"])
	}
	keys := map[string]string{}
	jsonKeys("", doc, keys)
	for path, name := range keys {
		if !documented[name] {
			t.Errorf("the result holds %s, which README.md does not document", path)
		}
	}
	for _, want := range []string{".services[].started", ".services[].diagnosis.containers[].logs", ".services[].next", ".services[].image"} {
		if _, ok := keys[want]; !ok {
			t.Errorf("the timed-out result lacks %s:\n%s", want, r.stdout)
		}
	}
}
