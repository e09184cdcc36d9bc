package rancher

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hangingTransport never answers: it waits for the request's context, like a server that accepted the
// connection and went silent.
type hangingTransport struct {
	calls  atomic.Int64 // requests of the discovery URL (/v2-beta)
	others atomic.Int64 // other requests: discovery's early GET of the schemas
}

func (h *hangingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path == "/v2-beta" {
		h.calls.Add(1)
	} else {
		h.others.Add(1)
	}
	<-req.Context().Done()
	return nil, req.Context().Err()
}

func TestRequestTimeoutIsUnreachableNotTheCommandDeadline(t *testing.T) {
	stub := &hangingTransport{}
	cfg := Config{URL: "http://127.0.0.1:9/v2-beta", AccessKey: "ak", SecretKey: "sk", Transport: stub,
		RequestTimeout: 5 * time.Millisecond, Retry: RetryPolicy{Attempts: 3, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}}
	_, err := New(context.Background(), cfg)
	if !IsUnreachable(err) || exitCodeOf(err) != 5 {
		t.Fatalf("err = %v", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a per-request timeout must not look like the command's --timeout: %v", err)
	}
	if !strings.Contains(err.Error(), "no answer within the request timeout") {
		t.Errorf("message: %s", err)
	}
	if stub.calls.Load() != 3 {
		t.Errorf("attempts = %d, want 3 (an idempotent GET is retried)", stub.calls.Load())
	}
	if n := stub.others.Load(); n > 1 {
		t.Errorf("other requests = %d, want at most the early GET of the schemas, sent once", n)
	}
}

func TestCommandDeadlineEndsRetries(t *testing.T) {
	stub := &hangingTransport{}
	cfg := Config{URL: "http://127.0.0.1:9", AccessKey: "ak", SecretKey: "sk", Transport: stub, RequestTimeout: time.Minute}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	_, err := New(ctx, cfg)
	if !errors.Is(err, context.DeadlineExceeded) || IsUnreachable(err) {
		t.Fatalf("err = %v, want the context's deadline", err)
	}
	if exitCodeOf(err) != 1 {
		t.Errorf("the deadline has no ExitCode of its own: cmd maps context.DeadlineExceeded to 4")
	}
}

func TestCreateWithUnknownOutcomeAndNoNameIsNotRetried(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	failPosts(f, "/v2-beta/pulltasks", 1, 503, true)
	_, err := c.PullTasks().Create(context.Background(), map[string]any{"image": "nginx:1.13", "mode": "all"})
	if err == nil || !strings.Contains(err.Error(), "not retried") {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("POST /v2-beta/pulltasks"); n != 1 {
		t.Errorf("posts = %d, want 1", n)
	}
}
