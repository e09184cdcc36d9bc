package e2e

// The API client's robustness seen from the command line: stalled answers, a RANCHER_URL that is not a
// Rancher API, a stack that does not exist.

import (
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

// stallingProxy forwards to the simulator, except the first n GETs of path, whose answers stop after
// the headers (until the client goes away).
func stallingProxy(t *testing.T, target, path string, n int32) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	var stalled atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && r.URL.Path == path && stalled.Add(1) <= n {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(30 * time.Second):
			}
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &stalled
}

func TestReadTimeoutVariableCutsAStalledAnswerAndRetries(t *testing.T) {
	e := deployed(t, sim.Options{})
	proxy, stalled := stallingProxy(t, e.sim.URL(), "/v2-beta", 1)
	e.env["RANCHER_URL"] = proxy.URL
	e.env[cmd.EnvReadTimeout] = "200ms"
	r := e.must(e.elsewhere("-p", "demo", "ps"), "ps through a proxy that stalls once")
	if !strings.Contains(r.stdout, "web") || stalled.Load() != 2 {
		t.Errorf("stalled %d times (want 1 stall and 1 good answer); stdout:\n%s", stalled.Load(), r.stdout)
	}
}

func TestBadReadTimeoutVariableIsAUsageError(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.env[cmd.EnvReadTimeout] = "soon"
	r := e.elsewhere("-p", "demo", "ps")
	if r.code != cmd.ExitUsage || !strings.Contains(r.stderr, cmd.EnvReadTimeout) || len(e.requests()) != 0 {
		t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

func TestURLThatIsNotARancherAPIExits5(t *testing.T) {
	pages := map[string]http.HandlerFunc{
		"nginx 404 page": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><hr>nginx</body></html>"))
		},
		"JSON without schemas": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status":"ok"}`))
		},
	}
	for name, page := range pages {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, sim.Options{})
			srv := httptest.NewServer(page)
			defer srv.Close()
			e.env["RANCHER_URL"] = srv.URL
			r := e.elsewhere("-p", "demo", "ps")
			if r.code != cmd.ExitUnreachable || !strings.Contains(r.stderr, "this does not look like a Rancher API (no schemas at "+srv.URL+"/v2-beta") {
				t.Errorf("exit %d, stderr:\n%s", r.code, r.stderr)
			}
			if strings.Contains(r.stderr, "<") || strings.Contains(r.stderr, "nginx") {
				t.Errorf("the page is dumped:\n%s", r.stderr)
			}
		})
	}
}

func TestPsOfAMissingStackFails(t *testing.T) {
	e := deployed(t, sim.Options{})
	for _, format := range []string{"text", "json"} {
		r := e.elsewhere("-p", "nosuch", "ps", "--format", format)
		if r.code != cmd.ExitFailed || !strings.Contains(r.stderr, "no stack nosuch") || r.stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s", format, r.code, r.stdout, r.stderr)
		}
	}
	r := e.elsewhere("-p", "demo", "ps", "nosuch")
	if r.code != cmd.ExitFailed || !strings.Contains(r.stderr, "no service nosuch in stack demo") {
		t.Errorf("ps of a missing service: exit %d, stderr:\n%s", r.code, r.stderr)
	}
}

// spoilingProxy forwards to the simulator (whose links then name the proxy), except the GETs whose path
// match, which are answered with an HTML page and status 200, as a misrouted proxy does.
func spoilingProxy(t *testing.T, target string, match func(path string) bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	proxy := httputil.NewSingleHostReverseProxy(u)
	var spoiled atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && match(r.URL.Path) {
			spoiled.Add(1)
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html><body>Session expired</body></html>"))
			return
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &spoiled
}

func TestUnusableAnswersDuringADeployExit5(t *testing.T) {
	e := deployed(t, sim.Options{})
	web := e.service("demo", "web").ID
	proxy, spoiled := spoilingProxy(t, e.sim.URL(), func(p string) bool { return strings.HasSuffix(p, "/services/"+web) })
	e.env["RANCHER_URL"] = proxy.URL
	e.changeImages("1.14", "9")
	r := e.demo("up", "-d", "--upgrade", "--timeout", "2m")
	if r.code != cmd.ExitUnreachable || !strings.Contains(r.stderr, "/services/"+web+": unusable answer (200 OK) after 6 attempts: not JSON (text/html)") {
		t.Errorf("exit %d after %d spoiled answers, stderr:\n%s", r.code, spoiled.Load(), r.stderr)
	}
	if strings.Contains(r.stderr, "Session expired") {
		t.Errorf("the page is dumped:\n%s", r.stderr)
	}
}
