package e2e

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
)

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
)

// binary builds rancher-compose once per test run, for tests that need separate processes (two pipelines
// at once: the CLI library keeps global state, so two in-process runs at the same time would share it).
func binary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "rancher-compose-e2e")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "rancher-compose")
		out, err := exec.Command("go", "build", "-o", binaryPath, repoRoot()).CombinedOutput()
		if err != nil {
			binaryErr = errors.New(string(out))
		}
	})
	if binaryErr != nil {
		t.Skipf("cannot build the binary: %v", binaryErr)
	}
	return binaryPath
}

// exec runs the built binary as a separate process with the env's variables.
func (e *env) exec(ctx context.Context, args ...string) result {
	e.t.Helper()
	c := exec.CommandContext(ctx, binary(e.t), args...)
	c.Dir = e.dir
	for k, v := range e.env {
		c.Env = append(c.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut
	err := c.Run()
	code := 0
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		code = exitErr.ExitCode()
	} else if err != nil {
		e.t.Fatal(err)
	}
	return result{code: cmd.ExitCode(code), stdout: out.String(), stderr: errOut.String(), err: err}
}
