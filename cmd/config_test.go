package cmd

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of config output")

// configCase runs `rancher-compose ARGS` in a fixture directory and compares stdout and stderr with
// fixtures/config/goldens/NAME.stdout and NAME.stderr.
type configCase struct {
	name, dir string
	args      []string
	env       []string
	stdin     string
	code      ExitCode
}

var configCases = []configCase{
	{name: "dockercoins", dir: "fixtures/dockercoins", args: []string{"-f", "docker-compose.yml", "config"}},
	{name: "dockercoins-json", dir: "fixtures/dockercoins", args: []string{"-f", "docker-compose.yml", "config", "--format", "json"}, env: []string{"WORKERS=5"}},
	{name: "dockercoins-services", dir: "fixtures/dockercoins", args: []string{"config", "--services"}},
	{name: "dockercoins-quiet", dir: "fixtures/dockercoins", args: []string{"config", "-q"}},
	{name: "v1-fallback", dir: "fixtures/config/v1-fallback", args: []string{"-p", "My_Stack", "config"}, env: []string{"BUILD_NUMBER=17"}},
	{name: "v3", dir: "fixtures/config/v3", args: []string{"config"}},
	{name: "project-name-env", dir: "fixtures/config/v3", args: []string{"config", "--format", "json"}, env: []string{"COMPOSE_PROJECT_NAME=Team.API_v2", "TAG=2.1"}},
	{name: "multi", dir: "fixtures/config/multi", args: []string{"-f", "docker-compose.yml", "-f", "production.yml", "config"}},
	{name: "multi-compose-file-env", dir: "fixtures/config/multi", args: []string{"config", "--services"}, env: []string{"COMPOSE_FILE=docker-compose.yml:production.yml"}},
	{name: "variables", dir: "fixtures/config/variables", args: []string{"--env-file", "deploy.env", "config", "--variables"}, env: []string{"SCALE=3"}},
	{name: "variables-json", dir: "fixtures/config/variables", args: []string{"--env-file", "deploy.env", "config", "--variables", "--format", "json"}},
	{name: "variables-config", dir: "fixtures/config/variables", args: []string{"--env-file", "deploy.env", "config"}},
	{name: "variables-strict", dir: "fixtures/config/variables", args: []string{"--env-file", "deploy.env", "--strict", "config"}, code: ExitUsage},
	{name: "stdin", dir: "fixtures/config/v1-fallback", args: []string{"-f", "-", "config", "--services"}, stdin: "one: {image: a}\ntwo: {image: b}\n"},
	{name: "invalid", dir: "fixtures/config/invalid", args: []string{"config"}, code: ExitUsage},
	{name: "missing-file", dir: "fixtures/config", args: []string{"config"}, code: ExitUsage},
	{name: "profiles-none", dir: "fixtures/config/profiles", args: []string{"config", "--services"}},
	{name: "profiles-env", dir: "fixtures/config/profiles", args: []string{"config", "--services"}, env: []string{"COMPOSE_PROFILES=debug,seeding"}},
	{name: "profiles-flag", dir: "fixtures/config/profiles", args: []string{"--profile", "tools", "--profile", "seeding", "config", "--services"}},
	{name: "profiles-needs-disabled", dir: "fixtures/config/profiles", args: []string{"--profile", "tools", "config", "--services"}, code: ExitUsage},
	{name: "bad-format", dir: "fixtures/dockercoins", args: []string{"config", "--format", "xml"}, code: ExitUsage},
}

func TestConfigGoldens(t *testing.T) {
	for _, c := range configCases {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := runInDir(t, c)
			if code != c.code {
				t.Errorf("exit code %d, want %d\nstderr:\n%s", code, c.code, stderr)
			}
			compareGolden(t, c.name+".stdout", stdout)
			compareGolden(t, c.name+".stderr", stderr)
		})
	}
}

func runInDir(t *testing.T, c configCase) (string, string, ExitCode) {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", c.dir))
	if err != nil {
		t.Fatal(err)
	}
	io, out, errOut := TestIO()
	io.In = strings.NewReader(c.stdin)
	env := map[string]string{}
	for _, kv := range c.env {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	f := &Factory{
		IO:        io,
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Environ:   func() []string { return c.env },
		Getwd:     func() (string, error) { return dir, nil },
	}
	err = Run(context.Background(), f, append([]string{"rancher-compose"}, c.args...))
	code := report(io, err)
	return out.String(), errOut.String(), code
}

func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "fixtures", "config", "goldens", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd -run TestConfigGoldens -update to create it)", err)
	}
	if !bytes.Equal(want, []byte(got)) {
		t.Errorf("%s differs from the golden file:\n--- want\n%s\n--- got\n%s", name, want, got)
	}
}

func TestConfigNeverPrintsSecrets(t *testing.T) {
	for _, c := range configCases {
		if !strings.HasPrefix(c.name, "variables") {
			continue
		}
		stdout, stderr, _ := runInDir(t, c)
		if strings.Contains(stdout+stderr, "s3cret") {
			t.Errorf("%s: the DB_PASSWORD value was printed:\n%s%s", c.name, stdout, stderr)
		}
	}
}

func TestConfigRejectsArguments(t *testing.T) {
	_, stderr, code := runInDir(t, configCase{dir: "fixtures/dockercoins", args: []string{"config", "web"}})
	if code != ExitUsage || !strings.Contains(stderr, "config takes no arguments") {
		t.Fatalf("code %d stderr %q", code, stderr)
	}
}
