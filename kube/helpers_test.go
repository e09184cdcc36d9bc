package kube_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/kube"
)

// convertFiles writes a docker-compose.yml (and a rancher-compose.yml when given) into a temporary
// directory, loads it as project "demo" and converts it; the result's manifests must validate.
func convertFiles(t *testing.T, dockerCompose, rancherCompose string) *kube.Result {
	t.Helper()
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.TrimLeft(text, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("docker-compose.yml", dockerCompose)
	if rancherCompose != "" {
		write("rancher-compose.yml", rancherCompose)
	}
	p, err := load(dir, "", "demo")
	if err != nil {
		t.Fatal(err)
	}
	res, err := kube.Convert(p, kube.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := res.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if err := kube.ValidateYAML(out); err != nil {
		t.Fatalf("the manifests do not validate: %v\n%s", err, out)
	}
	if err := res.CheckReferences(); err != nil {
		t.Fatalf("the manifests refer to what is not there: %v", err)
	}
	return res
}

// object returns the emitted object of kind and name, typed as T.
func object[T any](t *testing.T, res *kube.Result, kind, name string) T {
	t.Helper()
	for _, o := range res.Objects {
		if o.Kind == kind && o.Name == name {
			v, ok := o.Obj.(T)
			if !ok {
				t.Fatalf("%s %s is a %T", kind, name, o.Obj)
			}
			return v
		}
	}
	var names []string
	for _, o := range res.Objects {
		names = append(names, o.Kind+"/"+o.Name)
	}
	t.Fatalf("no %s %s among %v", kind, name, names)
	var zero T
	return zero
}

// hasObject reports whether an object of kind and name was emitted.
func hasObject(res *kube.Result, kind, name string) bool {
	for _, o := range res.Objects {
		if o.Kind == kind && o.Name == name {
			return true
		}
	}
	return false
}

// noteAbout returns the first note whose text contains all the parts, or fails.
func noteAbout(t *testing.T, res *kube.Result, level kube.Level, parts ...string) kube.Note {
	t.Helper()
	for _, n := range res.Notes {
		s := n.String()
		match := n.Level == level
		for _, p := range parts {
			match = match && strings.Contains(s, p)
		}
		if match {
			return n
		}
	}
	t.Fatalf("no %v note with %q among:\n%v", level, parts, res.Notes)
	return kube.Note{}
}
