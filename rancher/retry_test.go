package rancher

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// failPosts makes the next n POSTs to path fail with status; when store is true the fake creates the
// resource first (the failure comes after the mutation, as when a proxy times out).
func failPosts(f *fakeAPI, path string, n, status int, store bool) {
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || r.URL.Path != path || n == 0 {
			return false
		}
		n--
		if store {
			var body map[string]any
			_ = json.NewDecoder(r.Body).Decode(&body)
			f.mu.Lock()
			f.store("/v2-beta", typeOfPlural(strings.TrimPrefix(path, "/v2-beta/")), body)
			f.mu.Unlock()
		}
		if status == 0 { // drop the connection without an answer
			conn, _, _ := w.(http.Hijacker).Hijack()
			conn.Close()
			return true
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<html>Service Unavailable</html>"))
		return true
	}
}

func TestCreateRetriedOn503BeforeMutation(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	failPosts(f, "/v2-beta/stacks", 1, 503, false)
	stack, err := c.Stacks().Create(context.Background(), &resources.Stack{Name: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	if stack.Name != "demo" || len(f.all("stack")) != 1 {
		t.Fatalf("stack %+v, %d stacks stored", stack, len(f.all("stack")))
	}
	want := []string{"POST /v2-beta/stacks", "GET /v2-beta/stacks?name=demo&removed_null=%3Cnil%3E", "POST /v2-beta/stacks"}
	if got := f.log()[2:]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests %v\nwant %v", got, want)
	}
}

// TestCreateConflictIsRetriedAfterALookup: a 409 on a create (the server busy, or another run creating
// the same stack) is retried, looking the resource up first.
func TestCreateConflictIsRetriedAfterALookup(t *testing.T) {
	for name, store := range map[string]bool{"refused": false, "created by another run": true} {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t)
			c := newTestClient(t, f)
			failPosts(f, "/v2-beta/stacks", 1, http.StatusConflict, store)
			stack, err := c.Stacks().Create(context.Background(), &resources.Stack{Name: "demo"})
			if err != nil {
				t.Fatal(err)
			}
			if stack.Name != "demo" || len(f.all("stack")) != 1 {
				t.Fatalf("stack %+v, %d stacks stored", stack, len(f.all("stack")))
			}
			want := []string{"POST /v2-beta/stacks", "GET /v2-beta/stacks?name=demo&removed_null=%3Cnil%3E"}
			if !store {
				want = append(want, "POST /v2-beta/stacks")
			}
			if got := f.log()[2:]; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("requests %v\nwant %v", got, want)
			}
		})
	}
}

func TestCreateAfterMutationNeverDuplicates(t *testing.T) {
	for name, status := range map[string]int{"503": 503, "504": 504, "connection dropped": 0} {
		t.Run(name, func(t *testing.T) {
			f := newFakeAPI(t)
			c := newTestClient(t, f)
			failPosts(f, "/v2-beta/services", 1, status, true)
			svc, err := c.Services().Create(context.Background(), &resources.Service{Name: "web", StackId: "1st1", Scale: 2})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(f.all("service")); n != 1 {
				t.Fatalf("%d services stored, want 1", n)
			}
			if svc.Id != "1x1" || svc.Name != "web" {
				t.Errorf("returned %+v", svc)
			}
			want := []string{"POST /v2-beta/services", "GET /v2-beta/services?name=web&removed_null=%3Cnil%3E&stackId=1st1"}
			if got := f.log()[2:]; strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("requests %v\nwant %v", got, want)
			}
		})
	}
}

func TestCreateOfKindPostsToItsCollection(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	lb, err := c.ServiceKind("loadBalancerService").Create(context.Background(), map[string]any{"name": "lb", "stackId": "1st1"})
	if err != nil || lb.Type != "loadBalancerService" {
		t.Fatalf("%+v %v", lb, err)
	}
	if got := f.log()[2]; got != "POST /v2-beta/loadbalancerservices" {
		t.Errorf("posted to %s", got)
	}
}

func TestCreateGivesUpAfterTheBudget(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	failPosts(f, "/v2-beta/stacks", 100, 503, false)
	_, err := c.Stacks().Create(context.Background(), &resources.Stack{Name: "demo"})
	if err == nil || !strings.Contains(err.Error(), "giving up after 4 attempts") || exitCodeOf(err) != 5 {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("POST /v2-beta/stacks"); n != 4 {
		t.Errorf("posts = %d, want 4", n)
	}
}

func TestCreateValidationErrorIsNotRetried(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost {
			f.apiError(w, 422, "InvalidCharacters", "name")
			return true
		}
		return false
	}
	_, err := c.Stacks().Create(context.Background(), &resources.Stack{Name: "bad_name"})
	if !IsUnprocessable(err, "InvalidCharacters") || f.count("POST") != 1 {
		t.Fatalf("err = %v, posts %d", err, f.count("POST"))
	}
	if !strings.Contains(err.Error(), `creating stack "bad_name"`) || !strings.Contains(err.Error(), "fieldName=name") {
		t.Errorf("message: %s", err)
	}
}

func activeService(t *testing.T, f *fakeAPI, c *Client, state string) *resources.Service {
	t.Helper()
	f.add("service", map[string]any{"name": "web", "state": state, "transitioning": "no"})
	svc, err := c.Services().Get(context.Background(), "1x1")
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.requests = nil
	f.mu.Unlock()
	return svc
}

func TestActionNotAvailableSendsNothing(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	svc := activeService(t, f, c, "active")
	_, err := c.Services().Action(context.Background(), svc, "finishupgrade", nil)
	var unavailable *ActionUnavailableError
	if !errors.As(err, &unavailable) || unavailable.State != "active" {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), `action "finishupgrade" is not available on service "web" (1x1) in state "active" (available: deactivate, remove, restart, setservicelinks, upgrade)`) {
		t.Errorf("message: %s", err)
	}
	if len(f.log()) != 0 {
		t.Errorf("requests sent: %v", f.log())
	}
}

func TestActionConflictIsRetried(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	svc := activeService(t, f, c, "inactive")
	conflicts := 2
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost && conflicts > 0 {
			conflicts--
			f.apiError(w, 409, "Conflict", "")
			return true
		}
		return false
	}
	got, err := c.Services().Action(context.Background(), svc, "activate", nil)
	if err != nil || got.State != "activating" {
		t.Fatalf("%+v %v", got, err)
	}
	want := []string{"POST /v2-beta/services/1x1/?action=activate", "GET /v2-beta/services/1x1",
		"POST /v2-beta/services/1x1/?action=activate", "GET /v2-beta/services/1x1", "POST /v2-beta/services/1x1/?action=activate"}
	if strings.Join(f.log(), "|") != strings.Join(want, "|") {
		t.Errorf("requests %v\nwant %v", f.log(), want)
	}
}

func TestActionWhoseAnswerWasLostIsNotRepeated(t *testing.T) {
	f := newFakeAPI(t)
	f.settleAfter = 100
	c := newTestClient(t, f)
	svc := activeService(t, f, c, "inactive")
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost {
			f.mu.Lock()
			f.transition(f.find("service", "1x1"), "activating", "active")
			f.mu.Unlock()
			w.WriteHeader(502)
			return true
		}
		return false
	}
	got, err := c.Services().Action(context.Background(), svc, "activate", nil)
	if err != nil || got.State != "activating" {
		t.Fatalf("%+v %v", got, err)
	}
	if n := f.count("POST"); n != 1 {
		t.Errorf("activate posted %d times, want 1: %v", n, f.log())
	}
}

func TestActionTransientBeforeMutationIsRepeated(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	svc := activeService(t, f, c, "inactive")
	failures := 1
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost && failures > 0 {
			failures--
			w.WriteHeader(503)
			return true
		}
		return false
	}
	got, err := c.Services().Action(context.Background(), svc, "activate", nil)
	if err != nil || got.State != "activating" || f.count("POST") != 2 {
		t.Fatalf("%+v %v, posts %d", got, err, f.count("POST"))
	}
}

func TestActionErrorIsReturned(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	svc := activeService(t, f, c, "active")
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == http.MethodPost {
			f.apiError(w, 422, "InvalidOption", "LaunchConfig/secondaryLaunchConfigs need to be specified for inService strategy")
			return true
		}
		return false
	}
	_, err := c.Services().Action(context.Background(), svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{}})
	if !IsUnprocessable(err, "InvalidOption") || !strings.Contains(err.Error(), `upgrade on service "web" (1x1)`) {
		t.Fatalf("err = %v", err)
	}
}

// TestUpdateConflictIsRetriedAfterAReread: a 409 on a PUT of changes is retried after re-reading the
// resource; a 409 that lasts is returned once the attempts are spent.
func TestUpdateConflictIsRetriedAfterAReread(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	svc, err := c.Services().Create(context.Background(), &resources.Service{Name: "web", StackId: "1st1", Scale: 2})
	if err != nil {
		t.Fatal(err)
	}
	conflicts := 1
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPut || conflicts == 0 {
			return false
		}
		conflicts--
		f.apiError(w, http.StatusConflict, "Conflict", "")
		return true
	}
	before := len(f.log())
	got, err := c.Services().Update(context.Background(), svc, map[string]any{"scale": 3})
	if err != nil || got.Scale != 3 {
		t.Fatalf("update after one 409: %+v, %v", got, err)
	}
	want := []string{"PUT /v2-beta/services/1x1", "GET /v2-beta/services/1x1", "PUT /v2-beta/services/1x1"}
	if got := f.log()[before:]; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests %v\nwant %v", got, want)
	}
	conflicts = 100
	if _, err := c.Services().Update(context.Background(), svc, map[string]any{"scale": 4}); !IsConflict(err) {
		t.Errorf("a lasting conflict: %v", err)
	}
}
