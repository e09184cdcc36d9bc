package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// client is a tiny Rancher API client for tests.
type client struct {
	t    testing.TB
	s    *Server
	user string
	pass string
}

func startSim(t *testing.T, opts Options) (*Server, *client) {
	t.Helper()
	if opts.Clock == RealClock && !opts.StepSet {
		opts.Clock = ManualClock
	}
	if opts.Step == 0 && !opts.StepSet {
		opts.Step = time.Second
	}
	s, err := Start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, &client{t: t, s: s, user: s.AccessKey(), pass: s.SecretKey()}
}

type reply struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (c *client) do(method, path string, body any) reply {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		switch b := body.(type) {
		case string:
			rd = strings.NewReader(b)
		default:
			js, _ := json.Marshal(b)
			rd = bytes.NewReader(js)
		}
	}
	url := path
	if !strings.HasPrefix(path, "http") {
		url = c.s.URL() + path
	}
	req, _ := http.NewRequest(method, url, rd)
	if c.user != "" {
		req.SetBasicAuth(c.user, c.pass)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	_ = dec.Decode(&r.body)
	return r
}

func (c *client) must(status int, method, path string, body any) map[string]any {
	c.t.Helper()
	r := c.do(method, path, body)
	if r.status != status {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, status, r.raw)
	}
	return r.body
}

func (c *client) get(path string) map[string]any { c.t.Helper(); return c.must(200, "GET", path, nil) }

// settle runs ten simulated minutes on a manual clock, or waits for a fast one to settle.
func settle(t *testing.T, s *Server) {
	t.Helper()
	if s.opts.Clock == ManualClock {
		if err := s.Advance(10 * time.Minute); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := s.Settle(10 * time.Second); err != nil {
		t.Fatal(err)
	}
}

func (c *client) createStack(name string) map[string]any {
	c.t.Helper()
	return c.must(201, "POST", "/v2-beta/stacks", map[string]any{"name": name})
}

func (c *client) createService(stackID, name string, scale int, lc map[string]any) map[string]any {
	c.t.Helper()
	return c.must(201, "POST", "/v2-beta/services", map[string]any{"name": name, "stackId": stackID, "scale": scale, "launchConfig": lc})
}

func (c *client) action(r map[string]any, name string, body any, status int) map[string]any {
	c.t.Helper()
	url, ok := asMap(r["actions"])[name].(string)
	if !ok {
		c.t.Fatalf("action %s not available on %s (state %v): %v", name, r["id"], r["state"], r["actions"])
	}
	return c.must(status, "POST", url, body)
}

func (c *client) reload(r map[string]any) map[string]any {
	c.t.Helper()
	return c.get(asMap(r["links"])["self"].(string))
}

func strOf(v any) string { s, _ := v.(string); return s }
