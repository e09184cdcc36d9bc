package sim

import (
	"fmt"
	"io"
	"net/http"
	"testing"
)

// benchEnv is one stack of 20 services × scale 5 (100 containers), all active.
func benchEnv(b *testing.B) (*Server, string) {
	b.Helper()
	s, err := Start(Options{Clock: ManualClock, Hosts: 10})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	c := &client{t: b, s: s, user: s.AccessKey(), pass: s.SecretKey()}
	st := c.createStack("bench")
	var first string
	for i := 0; i < 20; i++ {
		svc := c.createService(st["id"].(string), fmt.Sprintf("svc%d", i), 5, map[string]any{"imageUuid": "docker:nginx"})
		if first == "" {
			first = svc["id"].(string)
		}
	}
	_ = s.Advance(SettleHorizon)
	for _, svc := range s.Services("bench") {
		c.do("POST", "/v2-beta/services/"+svc.ID+"/?action=activate", nil)
	}
	_ = s.Advance(SettleHorizon)
	return s, first
}

func benchGet(b *testing.B, s *Server, path string) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		req, _ := http.NewRequest("GET", s.URL()+path, nil)
		req.SetBasicAuth(s.AccessKey(), s.SecretKey())
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("GET %s: %v %v", path, err, resp)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkGetService measures one service GET (the client's 150 ms poll).
func BenchmarkGetService(b *testing.B) {
	s, id := benchEnv(b)
	b.ResetTimer()
	benchGet(b, s, "/v2-beta/services/"+id)
}

// BenchmarkListContainers measures a page of 100 containers.
func BenchmarkListContainers(b *testing.B) {
	s, _ := benchEnv(b)
	b.ResetTimer()
	benchGet(b, s, "/v2-beta/containers")
}
