package rancher

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"time"
)

// answerTransport reads every answer whole inside its attempt and checks it, so that a broken answer (a
// truncated or cut body, an HTML page with status 200, a server gone silent) fails that attempt, which
// the retry policy repeats for idempotent requests. An attempt that receives no data for idle (waiting for
// the headers or within the body) is abandoned, and so is an answer longer than limit or an attempt that
// takes longer than timeout (0: no limit).
//
// The attempt's timeout is a context deadline here rather than http.Client.Timeout: over a RoundTripper
// that is not an *http.Transport, the client's timeout takes net/http's legacy cancel path, which parks two
// goroutines per request in flight (hundreds in a big deploy, with their stacks).
type answerTransport struct {
	next    http.RoundTripper
	idle    time.Duration
	timeout time.Duration
	limit   int64
}

func (t *answerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	attempt, cancelAttempt := req.Context(), context.CancelFunc(func() {})
	if t.timeout > 0 {
		attempt, cancelAttempt = context.WithTimeout(attempt, t.timeout)
	}
	defer cancelAttempt()
	ctx, cancel := context.WithCancel(attempt)
	defer cancel()
	dog := startWatchdog(t.idle, cancel)
	defer dog.stop()
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{ // waiting for a pooled connection is not the server's silence
		GetConn: func(string) { dog.pause() },
		GotConn: func(httptrace.GotConnInfo) { dog.kick() },
	})
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		if dog.fired() && attempt.Err() == nil {
			return nil, &answerError{Problem: fmt.Sprintf("no data for %s", t.idle)}
		}
		return nil, err
	}
	dog.kick()
	body, readErr := readAnswer(resp.Body, resp.ContentLength, dog, t.limit)
	resp.Body.Close()
	if readErr != nil && attempt.Err() != nil {
		return nil, readErr // the caller's deadline or interrupt, or the attempt's request timeout
	}
	if problem := answerProblem(resp, body, readErr, dog, t.idle); problem != "" {
		return nil, &answerError{Status: resp.StatusCode, Problem: problem}
	}
	resp.Body = &answerBody{Reader: bytes.NewReader(body), data: body}
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// answerBody is an answer read whole: Client.exchange takes its bytes as they are (see bodyOf) rather than
// reading a copy, which for the pages of a big stack's list was a second buffer of each page.
type answerBody struct {
	*bytes.Reader
	data []byte
}

func (*answerBody) Close() error { return nil }

// bodyOf returns the bytes of an answer and closes it: an answerBody's own, any other body read whole.
func bodyOf(rc io.ReadCloser) ([]byte, error) {
	if rc == nil {
		return nil, nil
	}
	defer rc.Close()
	if ab, ok := rc.(*answerBody); ok {
		return ab.data, nil
	}
	return io.ReadAll(rc)
}

// errAnswerTooLarge is a body longer than the transport's limit.
type errAnswerTooLarge struct{ limit int64 }

func (e errAnswerTooLarge) Error() string {
	return fmt.Sprintf("answer larger than %s, the limit", byteSize(e.limit))
}

// readAnswer reads a body of size bytes (-1: unknown) to its end, telling the watchdog about every byte that
// arrives; it stops with errAnswerTooLarge past limit bytes. A known size is read into a buffer of exactly
// that size (and one byte more, for the end), an unknown one into a buffer that grows as it fills; there is
// no intermediate chunk (it cost 32 KiB per request in flight).
func readAnswer(r io.Reader, size int64, dog *watchdog, limit int64) ([]byte, error) {
	capacity := int64(minAnswerBuffer)
	if size >= 0 && size < limit {
		capacity = size + 1
	}
	buf := make([]byte, 0, capacity)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // grows the buffer by the runtime's policy
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if n > 0 {
			dog.kick()
		}
		if int64(len(buf)) > limit {
			return buf, errAnswerTooLarge{limit}
		}
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// minAnswerBuffer is the first buffer of an answer of unknown size.
const minAnswerBuffer = 4 << 10

// answerProblem says what is wrong with an answer that was read (with readErr), or "" when it is usable:
// complete, and JSON when it is a success (an error page of a proxy is fine: parseAPIError shortens it).
func answerProblem(resp *http.Response, body []byte, readErr error, dog *watchdog, idle time.Duration) string {
	switch {
	case errors.As(readErr, new(errAnswerTooLarge)):
		return readErr.Error()
	case readErr != nil && dog.fired():
		return fmt.Sprintf("no data for %s (the body stalled after %d bytes)", idle, len(body))
	case errors.Is(readErr, io.ErrUnexpectedEOF) && resp.ContentLength > 0:
		return fmt.Sprintf("truncated body (got %d of %d bytes)", len(body), resp.ContentLength)
	case errors.Is(readErr, io.ErrUnexpectedEOF):
		return fmt.Sprintf("truncated body (the connection closed after %d bytes)", len(body))
	case readErr != nil:
		return fmt.Sprintf("reading the body failed after %d bytes: %v", len(body), readErr)
	case resp.StatusCode < 200 || resp.StatusCode > 299 || len(bytes.TrimSpace(body)) == 0 || looksWhole(body):
		return ""
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "" && !strings.Contains(mt, "json") {
		return fmt.Sprintf("not JSON (%s)", mt)
	}
	var v json.RawMessage
	err := json.Unmarshal(body, &v)
	return fmt.Sprintf("not valid JSON (%v, %d bytes)", err, len(body))
}

// looksWhole says whether a success body can be JSON, cheaply: an object or array must end with its closing
// bracket (what a cut body almost never does); other values are small and fully checked. A full validation
// pass here cost about a tenth of the client's CPU in big upgrades; the rare body cut right after a nested
// closing bracket is caught by the decoder instead (decodeInto reports it as an unusable answer).
func looksWhole(body []byte) bool {
	b := bytes.TrimSpace(body)
	switch b[0] {
	case '{':
		return b[len(b)-1] == '}'
	case '[':
		return b[len(b)-1] == ']'
	}
	return json.Valid(b)
}

// answerError is an attempt that got no usable answer: nothing at all within the read timeout (Status 0),
// or a broken one. Client.exchange turns it into an *UnreachableError or an *APIError with a Problem.
type answerError struct {
	Status   int
	Problem  string
	Attempts int // set once the retries are over
}

func (e *answerError) Error() string {
	if e.Attempts > 0 {
		return fmt.Sprintf("%s (%s)", e.Problem, plural(e.Attempts, "attempt"))
	}
	return e.Problem
}

// byteSize writes n in MiB when it is a whole number of them, else in bytes.
func byteSize(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// watchdog cancels an attempt when no data arrived for its duration; kick restarts the count.
type watchdog struct {
	timer *time.Timer
	idle  time.Duration
	done  atomic.Bool
}

func startWatchdog(idle time.Duration, cancel context.CancelFunc) *watchdog {
	w := &watchdog{idle: idle}
	w.timer = time.AfterFunc(idle, func() {
		w.done.Store(true)
		cancel()
	})
	return w
}

func (w *watchdog) kick() {
	if !w.done.Load() {
		w.timer.Reset(w.idle)
	}
}

// pause stops the count until the next kick.
func (w *watchdog) pause() { w.timer.Stop() }

func (w *watchdog) fired() bool { return w.done.Load() }

func (w *watchdog) stop() { w.timer.Stop() }
