package rancherengine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// exchange is one request as the client sent it, with the answer's body.
type exchange struct {
	method, path string
	body, answer []byte
}

// recorder keeps every exchange of the client with the simulator; with dropOutputs, it removes the
// outputs of a stack's create before the simulator sees them (an API that ignored them).
type recorder struct {
	mu          sync.Mutex
	next        http.RoundTripper
	log         []exchange
	dropOutputs bool
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		if r.dropOutputs && req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/stacks") {
			var m map[string]any
			_ = json.Unmarshal(body, &m)
			delete(m, "outputs")
			body, _ = json.Marshal(m)
			req.ContentLength = int64(len(body))
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body = io.NopCloser(bytes.NewReader(answer))
	r.mu.Lock()
	r.log = append(r.log, exchange{method: req.Method, path: req.URL.Path, body: body, answer: answer})
	r.mu.Unlock()
	return resp, nil
}

func (r *recorder) String() string {
	var b strings.Builder
	for i, x := range r.log {
		fmt.Fprintf(&b, "%3d %s %s\n", i, x.method, x.path)
	}
	return b.String()
}

// lockIn returns the deploy lock in a stack's JSON (a create body or an answer), "" when there is none.
func lockIn(t *testing.T, raw []byte) string {
	t.Helper()
	var st struct {
		Outputs map[string]string `json:"outputs"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatalf("%v in %s", err, raw)
	}
	return st.Outputs[lock.OutputKey]
}

// A fresh up of a new stack creates it with the lock in its outputs: the API's answer to the create (the
// stack's first state) carries it, no lock is written or read back before the services are created (no
// PUT, no settle), and the only write of the stack afterwards is the release, at the end.
// deployRecorded deploys web and db, a new stack, through rec.
func deployRecorded(t *testing.T, rec *recorder) {
	t.Helper()
	yml := "version: '2'\nservices:\n  web:\n    image: nginx:1\n    links: [db]\n  db:\n    image: postgres:9\n"
	if err := deployNewStack(t, rec, "born-locked-test", yml, []string{"web", "db"}); err != nil {
		t.Fatal(err)
	}
}

func TestANewStackIsBornLocked(t *testing.T) {
	rec := &recorder{next: http.DefaultTransport}
	deployRecorded(t, rec)
	create, lastService := -1, -1
	var stackWrites []int
	for i, x := range rec.log {
		switch {
		case x.method == http.MethodPost && strings.HasSuffix(x.path, "/stacks"):
			create = i
			if l := lockIn(t, x.body); !strings.Contains(l, `"owner":"born-locked-test"`) {
				t.Errorf("the create body's lock = %q", l)
			}
			if l := lockIn(t, x.answer); !strings.Contains(l, `"owner":"born-locked-test"`) {
				t.Errorf("the created stack's first state carries no lock: %q", l)
			}
		case strings.Contains(x.path, "/services"):
			lastService = i
		case strings.Contains(x.path, "/stacks/") && x.method != http.MethodGet:
			stackWrites = append(stackWrites, i)
		case strings.Contains(x.path, "/stacks/") && lastService < 0:
			t.Errorf("request %d reads the new stack before its services are created (a lock read back):\n%s", i, rec)
		}
	}
	if create < 0 {
		t.Fatalf("no stack create:\n%s", rec)
	}
	if len(stackWrites) != 1 || stackWrites[0] < lastService || lockIn(t, rec.log[stackWrites[0]].body) != "" {
		t.Errorf("writes of the stack at %v, want one, the release, after the services' last request (%d):\n%s", stackWrites, lastService, rec)
	}
}

// An API that ignored the outputs of the stack's create (its answer shows no lock) gets the lock written
// and read back as on an existing stack, before any service is created.
func TestANewStackWhoseCreateDroppedTheLockIsLockedByAWrite(t *testing.T) {
	rec := &recorder{next: http.DefaultTransport, dropOutputs: true}
	deployRecorded(t, rec)
	for i, x := range rec.log {
		if strings.Contains(x.path, "/services") {
			t.Fatalf("request %d, to a service, comes before the lock's write:\n%s", i, rec)
		}
		if x.method == http.MethodPut && strings.Contains(x.path, "/stacks/") {
			if l := lockIn(t, x.body); !strings.Contains(l, `"owner":"born-locked-test"`) {
				t.Errorf("the first write of the stack is not the lock: %s", x.body)
			}
			return
		}
	}
	t.Fatalf("no lock write:\n%s", rec)
}
