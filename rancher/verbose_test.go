package rancher

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

func TestVerboseLogsExchangesWithoutSecrets(t *testing.T) {
	f := newFakeAPI(t)
	var out bytes.Buffer
	cfg := f.config()
	cfg.Verbose = &out
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{cfg.SecretKey, "hunter2-db-pass", "tok-123456", "pw-in-env-list", "s3cr3t-label"}
	_, err = c.Stacks().Create(context.Background(), &resources.Stack{Name: "demo",
		Environment: map[string]any{"DB_PASSWORD": "hunter2-db-pass", "API_TOKEN": "tok-123456", "PLAIN": "visible-value"}})
	if err != nil {
		t.Fatal(err)
	}
	lc := &resources.LaunchConfig{ImageUuid: "docker:nginx", Environment: map[string]interface{}{"X": "pw-in-env-list"},
		Labels: map[string]interface{}{"io.rancher.secret": "s3cr3t-label"}}
	_ = c.Transform(context.Background(), map[string]any{"Config": map[string]any{"Env": []string{"MYSQL_PASSWORD=pw-in-env-list"}}}, nil)
	_, _ = c.Services().Create(context.Background(), &resources.Service{Name: "web", LaunchConfig: lc})
	log := out.String()
	for _, s := range secrets {
		if strings.Contains(log, s) {
			t.Errorf("verbose output contains secret %q:\n%s", s, log)
		}
	}
	for _, want := range []string{"HTTP GET " + f.srv.URL + "/v2-beta -> 200", "HTTP POST " + f.srv.URL + "/v2-beta/stacks -> 201", `"visible-value"`, `"DB_PASSWORD":"<redacted>"`, "MYSQL_PASSWORD=<redacted>"} {
		if !strings.Contains(log, want) {
			t.Errorf("verbose output lacks %q:\n%s", want, log)
		}
	}
	if strings.Contains(strings.ToLower(log), "authorization") || strings.Contains(log, "Basic ") {
		t.Errorf("verbose output shows the Authorization header:\n%s", log)
	}
}

func TestRedactorBody(t *testing.T) {
	r := newRedactor("sk-literal")
	cases := map[string]string{
		`{"accessKey":"ak","secretKey":"x1","name":"web","nested":{"password":"p1"},"env":["A=1","GITHUB_TOKEN=t1"]}`: `{"accessKey":"<redacted>","env":["A=1","GITHUB_TOKEN=<redacted>"],"name":"web","nested":{"password":"<redacted>"},"secretKey":"<redacted>"}`,
		`{"message":"the key sk-literal was refused"}`:                                                                `{"message":"the key <redacted> was refused"}`,
		`password=abc123&user=bob`: `password=<redacted>&user=bob`,
		``:                         ``,
	}
	for in, want := range cases {
		if got := r.body([]byte(in)); got != want {
			t.Errorf("body(%s)\n got %s\nwant %s", in, got, want)
		}
	}
	if got := r.url("http://u:p@h/v2-beta/x?token=abc&name=web"); got != "http://h/v2-beta/x?name=web&token=%3Credacted%3E" {
		t.Errorf("url: %s", got)
	}
}

func TestClientIsSafeForConcurrentUse(t *testing.T) {
	f := newFakeAPI(t)
	var out bytes.Buffer
	cfg := f.config()
	cfg.Verbose = &out
	c, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 20)
	for i := 0; i < 20; i++ {
		go func(i int) {
			svc, err := c.Services().Create(context.Background(), &resources.Service{Name: fmt.Sprintf("s%d", i), StackId: "1st1"})
			if err == nil {
				_, err = c.Services().Wait(context.Background(), svc)
			}
			errs <- err
		}(i)
	}
	for i := 0; i < 20; i++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := len(f.all("service")); n != 20 {
		t.Errorf("%d services, want 20", n)
	}
	if got := strings.Count(out.String(), "HTTP POST "); got != 20 {
		t.Errorf("%d POST records in the verbose log, want 20", got)
	}
}

func TestRedactorDoesNotLearnStructuredValuesUnderSecretNames(t *testing.T) {
	r := newRedactor()
	schema := `{"resourceFields":{"secretKey":{"type":"string","nullable":true},"privateKey":{"type":"password","default":null}}}`
	got := r.body([]byte(schema))
	if !strings.Contains(got, `"type":"string"`) {
		t.Errorf("a schema field definition was redacted wholesale: %s", got)
	}
	later := `{"type":"service","kind":"service","removed_null":"x","entryPoint":"string"}`
	if got := r.body([]byte(later)); got != `{"entryPoint":"string","kind":"service","removed_null":"x","type":"service"}` {
		t.Errorf("values learned from a schema leaked into another body: %s", got)
	}
	if got := r.body([]byte(`{"environment":{"DB_PASSWORD":"hunter22"},"command":"login hunter22"}`)); strings.Contains(got, "hunter22") {
		t.Errorf("secret value printed: %s", got)
	}
}
