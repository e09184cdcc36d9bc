package compose_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// fuzzSeeds are small projects covering the shapes the loader distinguishes.
var fuzzSeeds = []struct{ compose, rancher string }{
	{"web:\n  image: nginx\n", ""},
	{"version: '2'\nservices:\n  web:\n    image: ${IMAGE:-nginx}\n    ports: [\"80:80\", 443]\n", "version: '2'\nservices:\n  web:\n    scale: 2\n"},
	{"version: '3.8'\nservices:\n  web:\n    image: nginx\n    deploy:\n      replicas: 3\n      resources:\n        limits:\n          memory: 64M\n", ""},
	{"a:\n  image: x\n  links: [b]\n  labels:\n    io.rancher.sidekicks: b\nb:\n  image: y\n  volumes_from: [a]\n", "a:\n  health_check:\n    port: 80\n  upgrade_strategy:\n    start_first: true\n"},
	{"base: &b\n  image: x\n  environment: [A=1, B]\nweb:\n  <<: *b\n  extends:\n    service: base\n", ""},
	{"web:\n  image: nginx\n  mem_limit: 12xb\n  ports: ['1:2:3:4']\n", "web:\n  scale: many\n"},
	{"{{.Values.x}}:\n  image: a\n", ".catalog:\n  questions:\n    - variable: X\n      default: 1\n"},
	{"\tweb: x\n", ""},
	{"base: &b\n  image: x\n  labels: *b\n", ""},
	{"base: &b\n  <<: *b\n", ""},
	{"", ""},
}

// FuzzLoad loads arbitrary bytes as a docker-compose file (read from stdin, as `-f -`) with an optional
// rancher-compose.yml: Load must never panic and must return either a Project or a *ConfigError.
func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s.compose), []byte(s.rancher))
	}
	for _, p := range []string{"../fixtures/dockercoins"} {
		dc, err1 := os.ReadFile(filepath.Join(p, "docker-compose.yml"))
		rc, err2 := os.ReadFile(filepath.Join(p, "rancher-compose.yml"))
		if err1 == nil && err2 == nil {
			f.Add(dc, rc)
		}
	}
	emptyDir := f.TempDir()
	f.Fuzz(func(t *testing.T, composeYAML, rancherYAML []byte) {
		opts := compose.Options{
			Files:   []string{compose.StdinFile},
			Stdin:   bytes.NewReader(composeYAML),
			WorkDir: emptyDir,
			Environ: []string{"IMAGE=nginx", "X=1"},
			Strict:  len(composeYAML)%2 == 1, // both modes, without another fuzz argument
		}
		if len(rancherYAML) > 0 {
			opts.RancherFile = filepath.Join(t.TempDir(), "rancher-compose.yml")
			if err := os.WriteFile(opts.RancherFile, rancherYAML, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p, err := compose.Load(context.Background(), opts)
		var ce *compose.ConfigError
		switch {
		case err == nil && p == nil:
			t.Fatal("Load returned neither a project nor an error")
		case err != nil && !errors.As(err, &ce):
			t.Fatalf("Load returned %T, want *compose.ConfigError: %v", err, err)
		case ce != nil && (len(ce.Problems) == 0 || ce.ExitCode() != 2):
			t.Fatalf("ConfigError without problems or with exit code %d: %v", ce.ExitCode(), ce)
		}
	})
}
