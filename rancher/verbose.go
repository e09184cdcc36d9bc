package rancher

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxLoggedBody is how much of a (redacted) body --verbose prints.
const maxLoggedBody = 2048

// exchangeLogger writes one record per HTTP attempt to the --verbose writer, secrets redacted.
type exchangeLogger struct {
	mu     sync.Mutex
	w      io.Writer
	redact *redactor
	now    func() time.Time
}

func (l *exchangeLogger) printf(format string, args ...any) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, format, args...)
}

// note logs a client decision (a retry, a lookup before re-posting), redacted like everything else.
func (l *exchangeLogger) note(format string, args ...any) {
	if l == nil {
		return
	}
	l.printf("rancher: %s\n", l.redact.literals(fmt.Sprintf(format, args...), nil))
}

// loggingTransport logs each attempt: method, URL, status, duration, and the bodies, truncated.
type loggingTransport struct {
	next http.RoundTripper
	log  *exchangeLogger
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBody, err := peekRequestBody(req)
	if err != nil {
		return nil, err
	}
	start := t.log.now()
	resp, err := t.next.RoundTrip(req)
	elapsed := t.log.now().Sub(start).Round(time.Millisecond)
	var rec strings.Builder
	fmt.Fprintf(&rec, "HTTP %s %s", req.Method, t.log.redact.url(req.URL.String()))
	if err != nil {
		fmt.Fprintf(&rec, " -> error after %s: %s\n", elapsed, t.log.redact.literals(err.Error(), nil))
	} else {
		fmt.Fprintf(&rec, " -> %d (%s)\n", resp.StatusCode, elapsed)
	}
	if s := t.log.redact.body(reqBody); s != "" {
		fmt.Fprintf(&rec, "  request: %s\n", truncate(s, maxLoggedBody))
	}
	if resp != nil {
		respBody, rerr := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Body = io.NopCloser(bytes.NewReader(respBody))
		if rerr != nil {
			return nil, rerr
		}
		if s := t.log.redact.body(respBody); s != "" {
			fmt.Fprintf(&rec, "  response: %s\n", truncate(s, maxLoggedBody))
		}
	}
	t.log.printf("%s", rec.String())
	return resp, err
}

// peekRequestBody reads a request body and puts an identical one back.
func peekRequestBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	b, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		return nil, err
	}
	req.Body = io.NopCloser(bytes.NewReader(b))
	return b, nil
}
