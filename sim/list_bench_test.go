package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"
)

// BenchmarkListStackOf500Services lists a settled 500-service stack (scale 2, so 1000 containers) the way
// the client's poller does, every page; lists/s is the figure issue 10 asks to be at least 50 on one core
// (go test -bench ListStack -cpu 1 ./sim/).
func BenchmarkListStackOf500Services(b *testing.B) {
	s, err := Start(Options{Clock: ManualClock, Step: time.Second, StepSet: true, Hosts: 10})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	c := &client{t: b, s: s, user: s.AccessKey(), pass: s.SecretKey()}
	st := deploy500(b, s, c, func(int) map[string]any { return map[string]any{"imageUuid": "docker:nginx:1"} })
	url := s.URL() + "/v2-beta/services?stackId=" + strOf(st["id"]) + "&removed_null=1"
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if n := listAll(b, s, url); n != 500 {
			b.Fatalf("listed %d services, want 500", n)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "lists/s")
}

// listAll follows pagination.next and counts the items.
func listAll(b *testing.B, s *Server, url string) int {
	n := 0
	for url != "" {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.SetBasicAuth(s.AccessKey(), s.SecretKey())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		raw, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
		}
		// cheaper than decoding the page, to time the server: count the items, decode only the pagination
		n += bytes.Count(raw, []byte(`"baseType":"service"`))
		var pagination struct {
			Next string `json:"next"`
		}
		at := bytes.LastIndex(raw, []byte(`"pagination":`))
		if at < 0 {
			b.Fatalf("no pagination in %.200s", raw)
		}
		if err := json.NewDecoder(bytes.NewReader(raw[at+len(`"pagination":`):])).Decode(&pagination); err != nil {
			b.Fatal(err)
		}
		url = pagination.Next
	}
	return n
}

// deploy500 creates stack "big" of 500 services at scale 2, each with the launch config lc gives it, and
// activates them all, advancing s's manual clock until everything settled; it returns the stack.
func deploy500(b *testing.B, s *Server, c *client, lc func(i int) map[string]any) map[string]any {
	st := c.createStack("big")
	var svcs []map[string]any
	for i := 0; i < 500; i++ {
		svcs = append(svcs, c.createService(strOf(st["id"]), fmt.Sprintf("s%d", i), 2, lc(i)))
	}
	if err := s.Advance(time.Minute); err != nil {
		b.Fatal(err)
	}
	for _, svc := range svcs {
		c.action(c.reload(svc), "activate", nil, 202)
	}
	if err := s.Advance(10 * time.Minute); err != nil {
		b.Fatal(err)
	}
	return st
}
