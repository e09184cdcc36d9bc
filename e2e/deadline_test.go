package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// headersThenSilence forwards to the simulator, except that requests matching stall get their headers and then
// silence until the client gives up (or the test ends).
func headersThenSilence(t *testing.T, target string, stall func(*http.Request) bool) *httptest.Server {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !stall(r) {
			rp.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(`{"type":"collection","data":[`))
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	t.Cleanup(func() { close(done); srv.Close() })
	return srv
}

// hangBound only bounds a hang: far above what a run that honours its deadline needs, far below the
// minutes a run that ignores it takes.
const hangBound = 10 * time.Second

// TestStalledListEndsAtDeadline: the API answers the stack's service list with headers and then silence;
// every command that lists the stack's services ends by its deadline plus the grace period, with exit 4.
func TestStalledListEndsAtDeadline(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"up", []string{"up", "-d"}},
		{"upgrade", []string{"up", "-d", "--upgrade", "--wait-healthy"}},
		{"atomic", []string{"up", "-d", "--upgrade", "--atomic"}},
		{"scale", []string{"scale", "web=3"}},
		{"ps", []string{"ps"}},
		{"rm", []string{"rm", "-f"}},
		{"confirm", []string{"upgrade", "--confirm"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{})
			proxy := headersThenSilence(t, e.sim.URL(), func(r *http.Request) bool {
				return r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/services") && r.URL.Query().Get("stackId") != ""
			})
			e.writeFile("docker-compose.yml", "services:\n  web:\n    image: nginx:${TAG}\n")
			e.env["TAG"] = "1"
			e.must(e.run("-p", "stall", "up", "-d"), "first up")
			e.env["TAG"] = "2"
			e.env["RANCHER_URL"] = proxy.URL
			timeout := 2 * time.Second
			ctx, cancel := context.WithTimeout(context.Background(), timeout+cmd.Grace+hangBound)
			defer cancel()
			binary(t) // built before the clock starts
			start := time.Now()
			r := e.exec(ctx, append([]string{"-p", "stall"}, append(c.args, "--timeout", timeout.String())...)...)
			took := time.Since(start)
			t.Logf("%v --timeout %s against a stalled list ended in %s (exit %d)", c.args, timeout, took.Round(time.Millisecond), r.code)
			if ctx.Err() != nil {
				t.Fatalf("still running after %s: the deadline was not honoured\nstderr:\n%s", took, r.stderr)
			}
			if r.code != cmd.ExitTimeout {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, cmd.ExitTimeout, r.stderr)
			}
		})
	}
}

// TestStalledAPIAfterDeadlineCleanupIsBounded: the service never becomes healthy, and from the deadline on
// the API answers nothing but headers. What a command does after its deadline (diagnosis, rollback under
// --atomic, reading where services were left, releasing the deploy lock) gets only the grace period.
func TestStalledAPIAfterDeadlineCleanupIsBounded(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want cmd.ExitCode
	}{
		{"upgrade", []string{"up", "-d", "--upgrade", "--wait-healthy"}, cmd.ExitTimeout},
		// The rollback cannot reach the API: a failed rollback exits 1 (upgrade.AtomicError).
		{"atomic", []string{"up", "-d", "--upgrade", "--atomic"}, cmd.ExitFailed},
		{"scale", []string{"scale", "web=3"}, cmd.ExitTimeout},
		{"stop", []string{"stop"}, cmd.ExitTimeout},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{})
			e.writeFile("docker-compose.yml", "services:\n  web:\n    image: nginx:${TAG}\n")
			e.writeFile("rancher-compose.yml", webRancher)
			e.env["TAG"] = "1"
			e.must(e.run("-p", "stall", "up", "-d"), "first up")
			e.sim.AddImageBehavior(sim.ImageBehavior{Glob: "nginx:2", NeverHealthy: true})
			e.sim.SetFaults(sim.Faults{StuckStates: []string{"deactivating", "updating-active"}})
			e.env["TAG"] = "2"
			timeout := 2 * time.Second
			var stallFrom atomic.Int64
			proxy := headersThenSilence(t, e.sim.URL(), func(*http.Request) bool {
				from := stallFrom.Load()
				return from != 0 && time.Now().UnixNano() >= from
			})
			e.env["RANCHER_URL"] = proxy.URL
			ctx, cancel := context.WithTimeout(context.Background(), timeout+cmd.Grace+hangBound)
			defer cancel()
			binary(t) // built before the clock starts
			start := time.Now()
			stallFrom.Store(start.Add(timeout).UnixNano())
			r := e.exec(ctx, append([]string{"-p", "stall"}, append(c.args, "--timeout", timeout.String())...)...)
			took := time.Since(start)
			t.Logf("%v --timeout %s, API stalled from the deadline: ended in %s (exit %d); watchdog: %v", c.args, timeout, took.Round(time.Millisecond), r.code, strings.Contains(r.stderr, "grace period"))
			if ctx.Err() != nil {
				t.Fatalf("still running after %s: cleanup was not bounded by the grace period\nstderr:\n%s", took, r.stderr)
			}
			if r.code != c.want {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, c.want, r.stderr)
			}
			if strings.Contains(r.stderr, "grace period") {
				t.Errorf("cleanup overran the grace period and the watchdog ended the process\nstderr:\n%s", r.stderr)
			}
		})
	}
}
