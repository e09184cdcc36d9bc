package e2e

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// stalledCommands are the commands TestStalledListEndsAtDeadline does not cover, each after the same
// setup: a stack with web (and web2 declared, for `upgrade web web2`).
var stalledCommands = []struct {
	name string
	args []string
}{
	{"logs", []string{"logs"}},
	{"logs --follow", []string{"logs", "--follow"}},
	{"up attached", []string{"up"}},
	{"pull", []string{"pull"}},
	{"restart", []string{"restart"}},
	{"stop", []string{"stop"}},
	{"start", []string{"start", "web"}},
	{"create", []string{"create"}},
	{"rollback", []string{"rollback"}},
	{"upgrade FROM TO", []string{"upgrade", "web", "web2", "--wait"}},
	{"up", []string{"up", "-d"}},
}

// stallPoints are where the API goes silent: from the first request (discovery), or from the first request
// about services, containers or pull tasks (after the stack was found and its lock taken).
var stallPoints = []struct {
	name  string
	stall func(*http.Request) bool
}{
	{"from the start", func(*http.Request) bool { return true }},
	{"at the services", func(r *http.Request) bool {
		return strings.Contains(r.URL.Path, "/services") || strings.Contains(r.URL.Path, "/containers") || strings.Contains(r.URL.Path, "/pulltasks")
	}},
}

// stallEnv is a stack with web running, behind a proxy that, once armed, answers the requests stall
// matches with headers and then silence. met tells whether a request met the stall.
func stallEnv(t *testing.T, stall func(*http.Request) bool) (e *env, arm func(), met func() bool) {
	e = newEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", "services:\n  web:\n    image: nginx:1\n  web2:\n    image: nginx:2\n")
	e.must(e.run("-p", "stall", "up", "-d", "web"), "first up")
	var armed, stalled atomic.Bool
	proxy := headersThenSilence(t, e.sim.URL(), func(r *http.Request) bool {
		if armed.Load() && stall(r) {
			stalled.Store(true)
			return true
		}
		return false
	})
	e.env["RANCHER_URL"] = proxy.URL
	return e, func() { armed.Store(true) }, stalled.Load
}

// TestEveryCommandEndsAtItsDeadlineWhenTheAPIStalls: from its first request on, the API answers nothing but
// headers; every command with a --timeout ends by it plus the grace period, with exit 4 and without the
// watchdog (logs has no deadline: TestSignalEndsEveryCommandWhileTheAPIStalls covers it).
func TestEveryCommandEndsAtItsDeadlineWhenTheAPIStalls(t *testing.T) {
	for _, c := range stalledCommands {
		for _, at := range stallPoints {
			if strings.HasPrefix(c.name, "logs") {
				continue
			}
			t.Run(c.name+" "+at.name, func(t *testing.T) {
				t.Parallel()
				e, arm, met := stallEnv(t, at.stall)
				arm()
				timeout := 2 * time.Second
				ctx, cancel := context.WithTimeout(context.Background(), timeout+cmd.Grace+hangBound)
				defer cancel()
				binary(t) // built before the clock starts
				start := time.Now()
				r := e.exec(ctx, append([]string{"-p", "stall"}, append(c.args, "--timeout", timeout.String())...)...)
				took := time.Since(start)
				t.Logf("%v --timeout %s against a silent API ended in %s (exit %d)", c.args, timeout, took.Round(time.Millisecond), r.code)
				if ctx.Err() != nil {
					t.Fatalf("still running after %s: the deadline was not honoured\nstderr:\n%s", took, r.stderr)
				}
				if !met() || r.code != cmd.ExitTimeout || strings.Contains(r.stderr, "grace period") {
					t.Fatalf("exit %d (stalled: %v), want %d without the watchdog\nstderr:\n%s", r.code, met(), cmd.ExitTimeout, r.stderr)
				}
			})
		}
	}
}

// TestSignalEndsEveryCommandWhileTheAPIStalls: SIGTERM while an answer stalls ends every command with exit
// 130, by cancelling the request, not by the watchdog.
func TestSignalEndsEveryCommandWhileTheAPIStalls(t *testing.T) {
	for _, c := range stalledCommands {
		for _, at := range stallPoints {
			t.Run(c.name+" "+at.name, func(t *testing.T) {
				t.Parallel()
				e, arm, met := stallEnv(t, at.stall)
				arm()
				s := startBinary(t, e, append([]string{"-p", "stall"}, c.args...)...)
				for limit := time.Now().Add(hangBound); !met(); time.Sleep(5 * time.Millisecond) {
					if time.Now().After(limit) {
						t.Fatalf("no request met the stall\nstderr:\n%s", s.errOut.String())
					}
				}
				sent := time.Now()
				if err := s.p.Process.Signal(syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
				code := s.exitCode(t)
				t.Logf("%v ended %s after SIGTERM (exit %d)", c.args, time.Since(sent).Round(time.Millisecond), code)
				if code != cmd.ExitInterrupted || strings.Contains(s.errOut.String(), "grace period") {
					t.Fatalf("exit %d, want %d without the watchdog\nstderr:\n%s", code, cmd.ExitInterrupted, s.errOut.String())
				}
			})
		}
	}
}
