package rancher

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

func TestNewDiscoversSchemasThroughHeader(t *testing.T) {
	f := newFakeAPI(t)
	c, err := New(context.Background(), f.config())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"GET /v2-beta", "GET /v2-beta/schemas"}
	got := f.log()
	slices.Sort(got) // asked for together, in either order
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests = %v, want %v", got, want)
	}
	if c.SchemasURL() != f.srv.URL+"/v2-beta/schemas" || !c.CanCreate("stack") {
		t.Errorf("schemas %s, stack creatable %v", c.SchemasURL(), c.CanCreate("stack"))
	}
	if got, want := c.TransformURL(), f.srv.URL+"/v2-beta/scripts/transform"; got != want {
		t.Errorf("TransformURL = %s, want %s", got, want)
	}
}

func TestNewWithSchemasURLFetchesOnce(t *testing.T) {
	f := newFakeAPI(t)
	cfg := f.config()
	cfg.URL = f.srv.URL + "/v1/projects/1a5/schemas"
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.log(); len(got) != 1 || got[0] != "GET /v2-beta/projects/1a5/schemas" {
		t.Errorf("requests = %v, want the one GET of the rewritten schemas URL", got)
	}
	if _, err := c.Stacks().List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if last := f.log()[len(f.log())-1]; last != "GET /v2-beta/projects/1a5/stacks" {
		t.Errorf("collection URL not taken from the project-scoped schemas: %s", last)
	}
}

func TestProjectURLWorksForAnAccountKey(t *testing.T) {
	f := newFakeAPI(t)
	f.stackCreatable = false // what the unscoped /v2-beta/schemas offers an account key
	cfg := f.config()
	cfg.URL = f.srv.URL + "/v2-beta/projects/1a5"
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.log(); len(got) != 1 || got[0] != "GET /v2-beta/projects/1a5/schemas" {
		t.Errorf("requests %v", got)
	}
	if !strings.HasSuffix(c.SchemasURL(), "/v2-beta/projects/1a5/schemas") {
		t.Errorf("schemas %s", c.SchemasURL())
	}
}

func TestNewFailsWithoutSchemasHeader(t *testing.T) {
	f := newFakeAPI(t)
	f.noSchemasHeader = true
	_, err := New(context.Background(), f.config())
	if err == nil || !strings.Contains(err.Error(), "this does not look like a Rancher API (no schemas at "+f.srv.URL+"/v2-beta: the answer has no X-API-Schemas header)") {
		t.Fatalf("err = %v", err)
	}
	if code := exitCodeOf(err); code != 5 {
		t.Errorf("exit code = %d, want 5", code)
	}
}

func TestUnauthorizedExitsFiveWithKeyHint(t *testing.T) {
	f := newFakeAPI(t)
	cfg := f.config()
	cfg.SecretKey = "wrong-secret-value"
	_, err := New(context.Background(), cfg)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 401 || apiErr.Code != "Unauthorized" {
		t.Fatalf("err = %#v", err)
	}
	if exitCodeOf(err) != 5 || !IsUnauthorized(err) {
		t.Errorf("exit code %d, IsUnauthorized %v", exitCodeOf(err), IsUnauthorized(err))
	}
	msg := err.Error()
	for _, want := range []string{"401 Unauthorized", `"ak"`, "environment API key", "account API key", "--env"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	if strings.Contains(msg, "wrong-secret-value") {
		t.Errorf("message leaks the secret key: %s", msg)
	}
}

func TestForbiddenHintsAtEnvironmentKeys(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(403)
		_, _ = w.Write([]byte(`{"type":"error","status":403,"code":"Forbidden","message":"Forbidden"}`))
	}))
	defer srv.Close()
	_, err := New(context.Background(), Config{URL: srv.URL + "/v2-beta/projects/1a9", AccessKey: "ak", SecretKey: "sk"})
	if exitCodeOf(err) != 5 || !strings.Contains(err.Error(), "only works in its own environment") {
		t.Fatalf("err = %v (exit %d)", err, exitCodeOf(err))
	}
}

func TestConnectionRefusedIsUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cfg := Config{URL: "http://" + addr, AccessKey: "ak", SecretKey: "sk", Retry: RetryPolicy{Attempts: 3, MinBackoff: 1, MaxBackoff: 2}}
	c := &counters{}
	cfg = cfg.withDefaults()
	cl := &Client{cfg: cfg, stats: c, url: "http://" + addr + "/v2-beta/projects/1a5/schemas"} // no early GET of the schemas
	cl.http = newHTTP(cfg, c, nil)
	err = cl.discover(context.Background(), cl.url)
	if !IsUnreachable(err) || exitCodeOf(err) != 5 {
		t.Fatalf("err = %v (exit %d), want unreachable, exit 5", err, exitCodeOf(err))
	}
	if !strings.Contains(err.Error(), "connection refused") || strings.Contains(err.Error(), `Get "`) {
		t.Errorf("message = %s", err)
	}
	if got := c.snapshot().Requests; got != 3 {
		t.Errorf("attempts = %d, want 3 (a refused connection is retried: nothing was sent)", got)
	}
}

func TestGetRetriedOn503(t *testing.T) {
	f := newFakeAPI(t)
	c, err := New(context.Background(), f.config())
	if err != nil {
		t.Fatal(err)
	}
	failures := 2
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method == "GET" && strings.HasSuffix(r.URL.Path, "/stacks") && failures > 0 {
			failures--
			w.WriteHeader(503)
			_, _ = w.Write([]byte("<html>503 Service Unavailable</html>"))
			return true
		}
		return false
	}
	if _, err := c.Stacks().List(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if n := f.count("GET /v2-beta/stacks"); n != 3 {
		t.Errorf("stack list requests = %d, want 3", n)
	}
	if c.Stats().Retries != 2 {
		t.Errorf("retries = %d", c.Stats().Retries)
	}
}

func TestPersistent503IsAnAPIErrorExitingFive(t *testing.T) {
	f := newFakeAPI(t)
	c, err := New(context.Background(), f.config())
	if err != nil {
		t.Fatal(err)
	}
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		w.WriteHeader(503)
		_, _ = w.Write([]byte("<html>down</html>"))
		return true
	}
	_, err = c.Stacks().List(context.Background(), nil)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 503 || !strings.Contains(apiErr.Message, "down") || exitCodeOf(err) != 5 {
		t.Fatalf("err = %v", err)
	}
	if n := f.count("GET /v2-beta/stacks"); n != 4 {
		t.Errorf("attempts = %d, want the 4 of the policy", n)
	}
}

func TestAPIErrorParsesTheErrorDocument(t *testing.T) {
	body := []byte(`{"id":"e0","type":"error","links":{},"actions":{},"status":422,"code":"InvalidOption","message":null,"detail":null,
		"fieldName":"StartFirst option can't be used for service with retainIp field set","baseType":"error"}`)
	e := parseAPIError("POST", "http://ak:sk@h/v2-beta/services/1s1/?action=upgrade", 422, body, "ak")
	if e.Code != "InvalidOption" || e.FieldName == "" || e.Message != "" || e.Status != 422 || e.Method != "POST" {
		t.Fatalf("%+v", e)
	}
	if strings.Contains(e.URL, "sk") || !IsUnprocessable(e, "InvalidOption") || IsUnprocessable(e, "NotUnique") {
		t.Errorf("url %s", e.URL)
	}
	want := "POST http://h/v2-beta/services/1s1/?action=upgrade: 422 Unprocessable Entity [code=InvalidOption, fieldName=StartFirst option can't be used for service with retainIp field set]"
	if e.Error() != want {
		t.Errorf("Error() =\n%s\nwant\n%s", e.Error(), want)
	}
	if e.ExitCode() != 1 {
		t.Errorf("exit code %d", e.ExitCode())
	}
}

func TestCheckCanDeployExplainsAccountKeys(t *testing.T) {
	f := newFakeAPI(t)
	f.stackCreatable = false
	f.projects = append(f.projects, map[string]any{"id": "1a7", "type": "project", "name": "prod"})
	c, err := New(context.Background(), f.config())
	if err != nil {
		t.Fatal(err)
	}
	err = c.CheckCanDeploy(context.Background())
	if err == nil || exitCodeOf(err) != 2 {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"can not create a stack, check API key [ak]", "--env", "Default (1a5), prod (1a7)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %s", want, err)
		}
	}
}

// exitCodeOf maps an error the way cmd does for the codes this package chooses.
func exitCodeOf(err error) int {
	var coder interface{ ExitCode() int }
	if errors.As(err, &coder) {
		return coder.ExitCode()
	}
	if err == nil {
		return 0
	}
	return 1
}
