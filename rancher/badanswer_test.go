package rancher

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// answerFault spoils one answer the way a broken proxy or a dying server does.
type answerFault struct {
	name    string
	problem string // what the error must say once the retries are exhausted
	serve   func(w http.ResponseWriter, r *http.Request)
}

var answerFaults = []answerFault{
	{"truncated body", "truncated body", func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":\"1x1\",\"name\":")
		_ = buf.Flush()
		conn.Close()
	}},
	{"connection reset mid-body", "connection reset by peer", func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		_, _ = buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n{\"id\":\"1\r\n")
		_ = buf.Flush()
		time.Sleep(10 * time.Millisecond) // mostly after the client read the headers; if not, a reset before them
		_ = conn.(*net.TCPConn).SetLinger(0)
		conn.Close()
	}},
	{"cut JSON", "not valid JSON", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"1x1","name":"we`))
	}},
	{"HTML with status 200", "not JSON (text/html)", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<html><body><h1>Please log in</h1></body></html>"))
	}},
	{"body stalls after the headers", "no data for 50ms", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"id":`))
		w.(http.Flusher).Flush()
		stallUntilGone(r)
	}},
	{"no headers", "no data for 50ms", func(_ http.ResponseWriter, r *http.Request) { stallUntilGone(r) }},
	{"endless body", "answer larger than 1 MiB, the limit", endlessBody},
}

// endlessBody sends JSON-looking data until the client hangs up (bounded at 64 MiB, so a client without
// a limit fails the test instead of hanging it).
func endlessBody(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	chunk := []byte("[" + strings.Repeat(`{"id":"1x1"},`, 1024))
	for sent := 0; sent < 64<<20 && r.Context().Err() == nil; sent += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}

// stallAfterHeaders is the fault of a server that sends the headers and then nothing.
var stallAfterHeaders = answerFaults[4].serve

// stallUntilGone keeps a handler silent until the client gives up on it (bounded, so a broken client
// cannot hang the test server's Close).
func stallUntilGone(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-time.After(20 * time.Second):
	}
}

// spoilAnswers makes the next n requests of method to path answer with fault, and counts them.
func spoilAnswers(f *fakeAPI, method, path string, n int, fault func(http.ResponseWriter, *http.Request)) *atomic.Int32 {
	var spoiled atomic.Int32
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != method || r.URL.Path != path || int(spoiled.Load()) >= n {
			return false
		}
		spoiled.Add(1)
		fault(w, r)
		return true
	}
	return &spoiled
}

func faultClient(t *testing.T, f *fakeAPI) *Client {
	t.Helper()
	cfg := f.config()
	cfg.ReadTimeout = 50 * time.Millisecond
	cfg.MaxAnswerBytes = 1 << 20
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestBadAnswerToAGetIsRetried(t *testing.T) {
	for _, fault := range answerFaults {
		t.Run(fault.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.add("service", map[string]any{"name": "web", "state": "active"})
			c := faultClient(t, f)
			spoiled := spoilAnswers(f, http.MethodGet, "/v2-beta/services/1x1", 1, fault.serve)
			svc, err := c.Services().Get(context.Background(), "1x1")
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if svc.Name != "web" || spoiled.Load() != 1 || f.count("GET /v2-beta/services/1x1") != 2 {
				t.Errorf("service %+v after %d spoiled answers and %d GETs", svc, spoiled.Load(), f.count("GET /v2-beta/services/1x1"))
			}
		})
	}
}

func TestBadAnswersExhaustingTheRetriesExit5NamingURLAndProblem(t *testing.T) {
	for _, fault := range answerFaults {
		t.Run(fault.name, func(t *testing.T) {
			f := newFakeAPI(t)
			f.add("service", map[string]any{"name": "web", "state": "active"})
			c := faultClient(t, f)
			spoilAnswers(f, http.MethodGet, "/v2-beta/services/1x1", 1000, fault.serve)
			_, err := c.Services().Get(context.Background(), "1x1")
			if exitCodeOf(err) != 5 {
				t.Fatalf("exit code %d, want 5: %v", exitCodeOf(err), err)
			}
			msg := err.Error()
			for _, want := range []string{f.srv.URL + "/v2-beta/services/1x1", fault.problem} {
				if !strings.Contains(msg, want) {
					t.Errorf("message lacks %q: %s", want, msg)
				}
			}
			if apiErr := (*APIError)(nil); errors.As(err, &apiErr) && !strings.Contains(msg, "after 4 attempts") {
				t.Errorf("message lacks the attempts: %s", msg)
			}
			if strings.Contains(msg, "<html>") {
				t.Errorf("message dumps the page: %s", msg)
			}
			if n := f.count("GET /v2-beta/services/1x1"); n != 4 {
				t.Errorf("GETs = %d, want 4", n)
			}
		})
	}
}

func TestBadAnswerToACreateLooksBeforePostingAgain(t *testing.T) {
	for _, fault := range answerFaults {
		t.Run(fault.name, func(t *testing.T) {
			f := newFakeAPI(t)
			c := faultClient(t, f)
			spoilAnswers(f, http.MethodPost, "/v2-beta/services", 1, func(w http.ResponseWriter, r *http.Request) {
				var body map[string]any
				_ = json.NewDecoder(r.Body).Decode(&body)
				f.mu.Lock()
				f.store("/v2-beta", "service", body)
				f.mu.Unlock()
				fault.serve(w, r)
			})
			svc, err := c.Services().Create(context.Background(), map[string]any{"name": "web", "stackId": "1st1"})
			if err != nil || svc.Id != "1x1" {
				t.Fatalf("%+v %v", svc, err)
			}
			if n := f.count("POST /v2-beta/services"); n != 1 || len(f.all("service")) != 1 {
				t.Errorf("posted %d times, %d services stored: %v", n, len(f.all("service")), f.log())
			}
		})
	}
}

func TestStalledAnswerEndsAtTheCommandDeadline(t *testing.T) {
	f := newFakeAPI(t)
	f.add("service", map[string]any{"name": "web", "state": "active"})
	cfg := f.config()
	cfg.ReadTimeout = time.Hour
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	spoilAnswers(f, http.MethodGet, "/v2-beta/services/1x1", 1000, stallAfterHeaders)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.Services().Get(ctx, "1x1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the command's deadline", err)
	}
}

func TestBadAnswerToAnActionRereadsInsteadOfRepeating(t *testing.T) {
	f := newFakeAPI(t)
	f.settleAfter = 100
	c := faultClient(t, f)
	svc := activeService(t, f, c, "inactive")
	spoilAnswers(f, http.MethodPost, "/v2-beta/services/1x1/", 1, func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.transition(f.find("service", "1x1"), "activating", "active")
		f.mu.Unlock()
		answerFaults[0].serve(w, r)
	})
	got, err := c.Services().Action(context.Background(), svc, "activate", nil)
	if err != nil || got.State != "activating" {
		t.Fatalf("%+v %v", got, err)
	}
	if n := f.count("POST"); n != 1 {
		t.Errorf("activate posted %d times, want 1: %v", n, f.log())
	}
}

// TestEveryCallEndsWithItsContext stalls every answer after the headers, with a read timeout too long to
// matter: each kind of call must end when its context is cancelled (an interrupt), however it is retried.
func TestEveryCallEndsWithItsContext(t *testing.T) {
	f := newFakeAPI(t)
	f.add("service", map[string]any{"name": "web", "state": "inactive", "transitioning": "no"})
	cfg := f.config()
	cfg.ReadTimeout = time.Hour
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := c.Services().Get(context.Background(), "1x1")
	if err != nil {
		t.Fatal(err)
	}
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		stallAfterHeaders(w, r)
		return true
	}
	calls := map[string]func(ctx context.Context) error{
		"get":  func(ctx context.Context) error { _, err := c.Services().Get(ctx, "1x1"); return err },
		"list": func(ctx context.Context) error { _, err := c.Services().List(ctx, Filters{}); return err },
		"create": func(ctx context.Context) error {
			_, err := c.Services().Create(ctx, map[string]any{"name": "db"})
			return err
		},
		"update": func(ctx context.Context) error {
			_, err := c.Services().Update(ctx, svc, map[string]any{"scale": 2})
			return err
		},
		"delete": func(ctx context.Context) error { _, err := c.Services().Delete(ctx, svc); return err },
		"action": func(ctx context.Context) error { _, err := c.Services().Action(ctx, svc, "activate", nil); return err },
	}
	for name, call := range calls {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(30*time.Millisecond, cancel)
		if err := call(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("%s: err = %v, want the context's cancellation", name, err)
		}
		cancel()
	}
}
