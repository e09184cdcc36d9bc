package rancher

import (
	"net/http"
	"sync/atomic"
)

// Stats counts what a client sent, for benchmarks and reports.
type Stats struct {
	Requests  int64 // HTTP attempts sent, retries included
	Mutations int64 // of which POST, PUT and DELETE
	Retries   int64 // attempts repeated by the transport
	Polls     int64 // reloads made by WaitTransition
}

type counters struct {
	requests, mutations, retries, polls atomic.Int64
}

func (c *counters) snapshot() Stats {
	return Stats{Requests: c.requests.Load(), Mutations: c.mutations.Load(), Retries: c.retries.Load(), Polls: c.polls.Load()}
}

// countingTransport counts every attempt that goes out.
type countingTransport struct {
	next  http.RoundTripper
	stats *counters
}

func (t *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.stats.requests.Add(1)
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		t.stats.mutations.Add(1)
	}
	return t.next.RoundTrip(req)
}
