package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// repoRoot is the module root (fixtures/ lives there).
func repoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// env is one simulator and the environment a CLI invocation sees.
type env struct {
	t   *testing.T
	sim *sim.Server
	dir string
	env map[string]string

	mu  sync.Mutex
	log *bytes.Buffer
}

// newEnv starts a simulator on a loopback port, on a fast virtual clock.
func newEnv(t *testing.T, opts sim.Options) *env {
	t.Helper()
	e := &env{t: t, log: &bytes.Buffer{}}
	if opts.Clock == sim.RealClock {
		opts.Clock = sim.FastClock
	}
	if opts.Step == 0 {
		opts.Step = time.Second
	}
	opts.RequestLog = &syncWriter{mu: &e.mu, w: e.log}
	s, err := sim.Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	e.sim = s
	e.dir = t.TempDir()
	e.env = map[string]string{
		"RANCHER_URL": s.URL(), "RANCHER_ACCESS_KEY": s.AccessKey(), "RANCHER_SECRET_KEY": s.SecretKey(),
		cmd.EnvPoll: "5ms",
	}
	return e
}

type syncWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// result is one CLI invocation's outcome.
type result struct {
	code           cmd.ExitCode
	stdout, stderr string
	err            error
}

// run runs rancher-compose with args (global flags first, as users type them) in dir, stdin from in.
func (e *env) runIn(ctx context.Context, dir, stdin string, args ...string) result {
	e.t.Helper()
	io, out, errOut := cmd.TestIO()
	io.In = strings.NewReader(stdin)
	f := &cmd.Factory{
		IO:        io,
		LookupEnv: func(k string) (string, bool) { v, ok := e.env[k]; return v, ok },
		Environ:   func() []string { return nil },
		Getwd:     func() (string, error) { return dir, nil },
		Now:       time.Now,
	}
	err := cmd.Run(ctx, f, append([]string{"rancher-compose"}, args...))
	code := cmd.Report(io, err)
	return result{code: code, stdout: out.String(), stderr: errOut.String(), err: err}
}

func (e *env) run(args ...string) result {
	e.t.Helper()
	return e.runIn(context.Background(), e.dir, "", args...)
}

// stdin runs with the compose file on standard input (-f - is added by the caller).
func (e *env) stdin(compose string, args ...string) result {
	e.t.Helper()
	return e.runIn(context.Background(), e.dir, compose, args...)
}

func (e *env) must(r result, what string) result {
	e.t.Helper()
	if r.code != 0 {
		e.t.Fatalf("%s: exit %d: %v\nstderr:\n%s", what, r.code, r.err, r.stderr)
	}
	return r
}

// requests returns the simulator's request log lines since the last call, and clears it.
func (e *env) requests() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(e.log.String()), "\n")
	e.log.Reset()
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	return lines
}

// service returns the one live service of stack named name.
func (e *env) service(stack, name string) sim.ServiceInfo {
	e.t.Helper()
	var found []sim.ServiceInfo
	for _, s := range e.sim.Services(stack) {
		if s.Name == name {
			found = append(found, s)
		}
	}
	if len(found) != 1 {
		e.t.Fatalf("%d services named %s in %s: %+v", len(found), name, stack, found)
	}
	return found[0]
}

// writeFile writes a file under the env's directory.
func (e *env) writeFile(rel, content string) string {
	e.t.Helper()
	p := filepath.Join(e.dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}
