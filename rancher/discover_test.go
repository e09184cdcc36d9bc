package rancher

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// notAnAPI serves what a RANCHER_URL pointing at the wrong server answers.
var wrongServers = map[string]http.HandlerFunc{
	"web server answering HTML 200": func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>"))
	},
	"web server answering HTML 404": func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(404)
		_, _ = w.Write([]byte("<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body></html>"))
	},
	"JSON without schemas": func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok","version":"1.2.3"}`))
	},
	"schemas header naming something else": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-API-Schemas", "http://"+r.Host+"/elsewhere")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"type":"apiVersion"}`))
	},
}

func TestAServerThatIsNotARancherAPIExits5WithoutItsPage(t *testing.T) {
	for name, handler := range wrongServers {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(handler)
			defer srv.Close()
			cfg := Config{URL: srv.URL, AccessKey: "ak", SecretKey: "sk",
				Retry: RetryPolicy{Attempts: 2, MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond}}
			_, err := New(context.Background(), cfg)
			var notAPI *NotAnAPIError
			if !errors.As(err, &notAPI) || exitCodeOf(err) != 5 {
				t.Fatalf("err = %v (exit %d)", err, exitCodeOf(err))
			}
			if want := "this does not look like a Rancher API (no schemas at " + srv.URL + "/"; !strings.Contains(err.Error(), want) {
				t.Errorf("message lacks %q: %s", want, err)
			}
			if strings.Contains(err.Error(), "<") || strings.Contains(err.Error(), "nginx") {
				t.Errorf("message dumps the page: %s", err)
			}
		})
	}
}

func TestARancherAPIRefusingTheKeyIsNotCalledSomethingElse(t *testing.T) {
	f := newFakeAPI(t)
	cfg := f.config()
	cfg.SecretKey = "wrong"
	_, err := New(context.Background(), cfg)
	var notAPI *NotAnAPIError
	if errors.As(err, &notAPI) || !IsUnauthorized(err) {
		t.Fatalf("err = %v", err)
	}
}
