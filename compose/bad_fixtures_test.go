package compose_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// badFixturesDir holds one broken project per folder: docker-compose.yml (+ rancher-compose.yml and other
// files), expect.txt (substrings the error must contain, one a line, the first naming file:line; a line
// starting with '!' is a substring it must not contain, such as a follow-on error) and
// optionally args.txt (the global flags the project is loaded with).
const badFixturesDir = "../fixtures/bad"

// optionsFromArgs turns an args.txt (--strict, -f F, -r F, --env-file F, -b F) into load options.
func optionsFromArgs(t *testing.T, dir, args string) compose.Options {
	t.Helper()
	o := compose.Options{WorkDir: dir}
	fields := strings.Fields(args)
	value := func(i int) string {
		if i >= len(fields) {
			t.Fatalf("args.txt: %s needs a value", fields[i-1])
		}
		return fields[i]
	}
	for i := 0; i < len(fields); i++ {
		switch fields[i] {
		case "--strict":
			o.Strict = true
		case "-f":
			i++
			o.Files = append(o.Files, value(i))
		case "-r":
			i++
			o.RancherFile = value(i)
		case "--env-file":
			i++
			o.EnvFile = value(i)
		case "-b":
			i++
			o.BindingsFile = value(i)
		default:
			t.Fatalf("args.txt: unsupported flag %q", fields[i])
		}
	}
	return o
}

// TestBadFixturesFailWithUsageError loads every project under fixtures/bad and checks it is refused with
// a configuration error (exit code 2) whose message contains every line of its expect.txt.
func TestBadFixturesFailWithUsageError(t *testing.T) {
	entries, err := os.ReadDir(badFixturesDir)
	if err != nil {
		t.Fatal(err)
	}
	count := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		count++
		dir, err := filepath.Abs(filepath.Join(badFixturesDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		t.Run(e.Name(), func(t *testing.T) { checkBadFixture(t, dir) })
	}
	if count < 50 {
		t.Errorf("only %d broken projects in %s, want at least 50", count, badFixturesDir)
	}
}

func checkBadFixture(t *testing.T, dir string) {
	expect, err := os.ReadFile(filepath.Join(dir, "expect.txt"))
	if err != nil {
		t.Fatal(err)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args.txt"))
	_, err = compose.Load(context.Background(), optionsFromArgs(t, dir, string(args)))
	var coder interface{ ExitCode() int }
	if !errors.As(err, &coder) || coder.ExitCode() != 2 {
		t.Fatalf("want a configuration error with exit code 2, got %T: %v", err, err)
	}
	wants := strings.Split(strings.TrimSpace(string(expect)), "\n")
	if len(wants) == 0 || wants[0] == "" {
		t.Fatal("expect.txt is empty")
	}
	for _, want := range wants {
		want = strings.TrimSpace(want)
		if absent, ok := strings.CutPrefix(want, "!"); ok {
			if strings.Contains(err.Error(), absent) {
				t.Errorf("the error contains %q, which must not be reported:\n%v", absent, err)
			}
			continue
		}
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not contain %q:\n%v", want, err)
		}
	}
}
