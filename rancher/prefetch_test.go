package rancher

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// holdRootUntilAsked holds the answer of the API's root (/v2-beta) until path is asked for (5 s at most),
// then serves both as usual; the channel tells whether path was asked for while the root's answer waited.
func holdRootUntilAsked(f *fakeAPI, path string) <-chan bool {
	asked := make(chan struct{}, 1)
	overlapped := make(chan bool, 1)
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		switch r.URL.Path {
		case path:
			asked <- struct{}{}
		case "/v2-beta":
			select {
			case <-asked:
				overlapped <- true
			case <-time.After(5 * time.Second):
				overlapped <- false
			}
		}
		return false
	}
	return overlapped
}

func TestDiscoveryAsksForTheSchemasBeforeTheRootAnswers(t *testing.T) {
	f := newFakeAPI(t)
	overlapped := holdRootUntilAsked(f, "/v2-beta/schemas")
	c, err := New(context.Background(), f.config())
	if err != nil {
		t.Fatal(err)
	}
	if !<-overlapped {
		t.Error("the schemas were not asked for while the root's answer was awaited")
	}
	if got := f.log(); len(got) != 2 || f.count("GET /v2-beta/schemas") != 1 {
		t.Errorf("requests = %v, want the root and its schemas once each", got)
	}
	if !c.CanCreate("stack") {
		t.Error("the schemas prefetched were not the ones used")
	}
}

func TestDiscoveryFollowsTheSchemasHeaderWhenItNamesAnotherURL(t *testing.T) {
	f := newFakeAPI(t)
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.URL.Path != "/v2-beta" {
			return false
		}
		w.Header().Set("X-API-Schemas", "http://"+r.Host+"/v2-beta/projects/1a5/schemas")
		f.writeJSON(w, 200, map[string]any{"id": "v2-beta", "type": "apiVersion"})
		return true
	}
	c, err := New(context.Background(), f.config())
	if err != nil {
		t.Fatal(err)
	}
	if f.count("GET /v2-beta/projects/1a5/schemas") != 1 {
		t.Errorf("requests = %v, want the schemas the header names", f.log())
	}
	if want := f.srv.URL + "/v2-beta/projects/1a5/schemas"; c.SchemasURL() != want {
		t.Errorf("schemas URL = %s, want %s", c.SchemasURL(), want)
	}
}

func TestAFailedEarlySchemasGetIsSentAgainWithRetries(t *testing.T) {
	f := newFakeAPI(t)
	failed := false
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		f.mu.Lock()
		defer f.mu.Unlock()
		if r.URL.Path != "/v2-beta/schemas" || failed {
			return false
		}
		failed = true
		w.WriteHeader(http.StatusBadGateway)
		return true
	}
	c, err := New(context.Background(), f.config())
	if err != nil {
		t.Fatal(err)
	}
	if n := f.count("GET /v2-beta/schemas"); n != 2 {
		t.Errorf("schemas GETs = %d, want the early one and one more (requests %v)", n, f.log())
	}
	if !c.CanCreate("stack") {
		t.Error("the schemas were not read")
	}
}

func TestLikelySchemasURL(t *testing.T) {
	for in, want := range map[string]string{
		"http://h:8080/v2-beta":                      "http://h:8080/v2-beta/schemas",
		"http://h:8080/rancher/v2-beta/":             "http://h:8080/rancher/v2-beta/schemas",
		"http://h:8080/v2-beta/projects/1a5/schemas": "",
		"http://h:8080/some/where":                   "",
		"http://h:8080/v2-beta?x=1":                  "",
	} {
		if got := likelySchemasURL(in); got != want {
			t.Errorf("likelySchemasURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTheStackLookUpGoesOutWithDiscovery(t *testing.T) {
	f := newFakeAPI(t)
	f.add("stack", map[string]any{"name": "web", "state": "active"})
	overlapped := holdRootUntilAsked(f, "/v2-beta/stacks")
	cfg := f.config()
	cfg.StackLookup = "web"
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !<-overlapped {
		t.Error("the stack was not looked up while the root's answer was awaited")
	}
	st, err := c.Stacks().ByName(context.Background(), "web", Filters{})
	if err != nil || st == nil || st.Name != "web" {
		t.Fatalf("stack = %v, %v", st, err)
	}
	if n := f.count("GET /v2-beta/stacks"); n != 1 {
		t.Errorf("look-ups = %d, want the early one only (requests %v)", n, f.log())
	}
	if _, err := c.Stacks().ByName(context.Background(), "web", Filters{}); err != nil {
		t.Fatal(err)
	}
	if n := f.count("GET /v2-beta/stacks"); n != 2 {
		t.Errorf("look-ups = %d, want a second look-up asked for anew", n)
	}
}

func TestNoStackLookUpGoesOutWithAnEnvironmentToSelect(t *testing.T) {
	f := newFakeAPI(t)
	cfg := f.config()
	cfg.StackLookup, cfg.Environment = "web", "Default"
	if _, err := New(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if n := f.count("GET /v2-beta/stacks"); n != 0 {
		t.Errorf("requests = %v: a look-up outside the environment selected is wasted", f.log())
	}
}
