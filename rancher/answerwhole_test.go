package rancher

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestLooksWholeRejectsCutObjectsAndArrays(t *testing.T) {
	cases := map[string]bool{
		`{"id":"1x1"}`:          true,
		" [1,2]\n":              true,
		`"text"`:                true,
		`42`:                    true,
		`{"id":"1x1","name":"w`: false,
		`[{"id":"1"},{"id"`:     false,
		`{"a":tru`:              false,
		`tru`:                   false,
		`<html></html>`:         false,
	}
	for body, want := range cases {
		if got := looksWhole([]byte(body)); got != want {
			t.Errorf("looksWhole(%q) = %v, want %v", body, got, want)
		}
	}
}

// A body cut right after a nested object passes the transport's quick check; the decoder still reports
// it as an unusable answer (exit 5, naming the URL), never as a silently half-filled object.
func TestBodyCutAfterANestedObjectIsAnUnusableAnswer(t *testing.T) {
	f := newFakeAPI(t)
	f.add("service", map[string]any{"name": "web", "state": "active"})
	c := faultClient(t, f)
	spoilAnswers(f, http.MethodGet, "/v2-beta/services/1x1", 1000, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"id":"1x1","launchConfig":{"imageUuid":"docker:nginx"}`))
	})
	_, err := c.Services().Get(context.Background(), "1x1")
	var apiErr *APIError
	if !errors.As(err, &apiErr) || exitCodeOf(err) != 5 {
		t.Fatalf("err = %v (exit %d), want an *APIError with exit 5", err, exitCodeOf(err))
	}
	for _, want := range []string{f.srv.URL + "/v2-beta/services/1x1", "not valid JSON"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message lacks %q: %v", want, err)
		}
	}
}

// BenchmarkAnswerCheck measures the transport's check of a big successful answer (a 1000-service list).
func BenchmarkAnswerCheck(b *testing.B) {
	items := make([]map[string]any, 1000)
	for i := range items {
		items[i] = map[string]any{"id": "1s1", "name": "web", "state": "active", "launchConfig": map[string]any{"imageUuid": "docker:nginx", "environment": map[string]string{"A": "b"}}}
	}
	body, _ := json.Marshal(map[string]any{"type": "collection", "data": items})
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if p := answerProblem(resp, body, nil, nil, 0); p != "" {
			b.Fatal(p)
		}
	}
}
