package rancher

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// authRecorder is a second server (another port on the same host) that records the Authorization header
// of what it is sent and answers as the API would.
type authRecorder struct {
	mu   sync.Mutex
	auth []string
	srv  *httptest.Server
}

func newAuthRecorder(t *testing.T) *authRecorder {
	a := &authRecorder{}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		a.auth = append(a.auth, r.Header.Get("Authorization"))
		a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"1x1","type":"service","name":"web","state":"active","links":{},"actions":{}}`))
	}))
	t.Cleanup(a.srv.Close)
	return a
}

func redirectGets(f *fakeAPI, path, to string) {
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodGet || r.URL.Path != path {
			return false
		}
		http.Redirect(w, r, to, http.StatusFound)
		return true
	}
}

func TestRedirectToAnotherPortDropsTheAuthorizationHeader(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	other := newAuthRecorder(t)
	if strings.Split(other.srv.Listener.Addr().String(), ":")[0] != strings.Split(f.srv.Listener.Addr().String(), ":")[0] {
		t.Fatal("the two servers must share the host")
	}
	redirectGets(f, "/v2-beta/services/1x1", other.srv.URL+"/v2-beta/services/1x1")
	svc, err := c.Services().Get(context.Background(), "1x1")
	if err != nil || svc.Name != "web" {
		t.Fatalf("%+v %v", svc, err)
	}
	if len(other.auth) != 1 || other.auth[0] != "" {
		t.Errorf("the other port was sent Authorization %q", other.auth)
	}
}

func TestRedirectWithinTheServerKeepsTheAuthorizationHeader(t *testing.T) {
	f := newFakeAPI(t)
	f.add("service", map[string]any{"name": "web", "state": "active"})
	c := newTestClient(t, f)
	redirectGets(f, "/v2-beta/old/1x1", f.srv.URL+"/v2-beta/services/1x1")
	var svc map[string]any
	if err := c.getJSON(context.Background(), f.srv.URL+"/v2-beta/old/1x1", &svc); err != nil || svc["name"] != "web" {
		t.Fatalf("%v %v (the fake refuses requests without the key)", svc, err)
	}
}

func TestSameOrigin(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"http://h:8080/v2-beta", "http://h:8080/other", true},
		{"http://h/v2-beta", "http://h:80/x", true},
		{"https://h/v2-beta", "https://H:443/x", true},
		{"http://h:8080/", "http://h:8081/", false},
		{"https://h/", "http://h/", false},
		{"http://h/", "http://h.evil/", false},
		{"http://rancher/", "http://sub.rancher/", false},
	}
	for _, c := range cases {
		a, _ := url.Parse(c.a)
		b, _ := url.Parse(c.b)
		if got := sameOrigin(a, b); got != c.want {
			t.Errorf("sameOrigin(%s, %s) = %v", c.a, c.b, got)
		}
	}
}

func TestCredentialsInClearText(t *testing.T) {
	cases := []struct {
		url  string
		key  string
		want bool
	}{
		{"http://rancher:8080/v2-beta", "ak", true},
		{"http://10.0.0.5:8080/", "ak", true},
		{"http://rancher.example.com/", "ak", true},
		{"https://rancher:8443/", "ak", false},
		{"http://127.0.0.1:8080/", "ak", false},
		{"http://127.9.9.9:8080/", "ak", false},
		{"http://localhost:8080/", "ak", false},
		{"http://api.localhost:8080/", "ak", false},
		{"http://[::1]:8080/", "ak", false},
		{"http://rancher:8080/", "", false},
	}
	for _, c := range cases {
		u, _ := url.Parse(c.url)
		if got := credentialsInClearText(u, c.key); got != c.want {
			t.Errorf("credentialsInClearText(%s, %q) = %v", c.url, c.key, got)
		}
	}
}

// loopbackTransport sends every request to one loopback server whatever its URL names, so a test can use a
// non-loopback host name without any traffic leaving the machine.
type loopbackTransport struct{ addr string }

func (l loopbackTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Host = l.addr
	return http.DefaultTransport.RoundTrip(req)
}

func TestPlainHTTPToAnotherHostWarnsOnce(t *testing.T) {
	f := newFakeAPI(t)
	f.add("service", map[string]any{"name": "web", "state": "active"})
	var warnings bytes.Buffer
	cfg := f.config()
	cfg.URL = "http://rancher.example:8080"
	cfg.Transport = loopbackTransport{addr: f.srv.Listener.Addr().String()}
	cfg.Warnings = &warnings
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Services().Get(context.Background(), "1x1"); err != nil {
		t.Fatal(err)
	}
	want := "warning: the API key is sent in clear text over plain http to rancher.example:8080"
	if n := strings.Count(warnings.String(), want); n != 1 {
		t.Errorf("warned %d times, want once:\n%s", n, warnings.String())
	}
	if strings.Contains(warnings.String(), "sk-very-secret") {
		t.Errorf("the warning shows the secret")
	}

	warnings.Reset()
	cfg = f.config()
	cfg.Warnings = &warnings
	if _, err := New(context.Background(), cfg); err != nil || warnings.Len() != 0 {
		t.Errorf("loopback: err %v, warnings %q", err, warnings.String())
	}
}

func TestRedirectLoopIsCut(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	redirectGets(f, "/v2-beta/services/1x1", f.srv.URL+"/v2-beta/services/1x1")
	_, err := c.Services().Get(context.Background(), "1x1")
	if err == nil || !strings.Contains(err.Error(), "stopped after 10 redirects") || exitCodeOf(err) != 5 {
		t.Fatalf("err = %v", err)
	}
}
