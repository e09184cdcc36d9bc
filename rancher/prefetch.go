package rancher

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// prefetchDiscovery sends, alongside the discovery GET of apiURL, the GETs a run sends next and whose URLs
// every Rancher server makes predictable: a version root's schemas (<root>/schemas, what X-API-Schemas
// names), and the look-up of the stack the run works on (Config.StackLookup) in the collection the schemas
// will name (<scope>/stacks). Discovery and the look-up then take their answers instead of asking again
// (exchange); a URL that turns out otherwise is asked for as usual, and the early GET is only wasted.
func (c *Client) prefetchDiscovery(ctx context.Context, apiURL string) {
	scope := strings.TrimSuffix(apiURL, "/schemas")
	if schemas := likelySchemasURL(apiURL); schemas != "" {
		c.early.send(ctx, c, schemas)
		scope = strings.TrimSuffix(apiURL, "/")
	} else if scope == apiURL {
		return
	}
	if c.cfg.StackLookup != "" && c.cfg.Environment == "" {
		if u, err := appendQuery(scope+"/stacks", byName(c.cfg.StackLookup, Filters{}).Query()); err == nil {
			c.early.send(ctx, c, u)
		}
	}
}

// likelySchemasURL is where the schemas of an API version root are bound to be (a Rancher server names
// <root>/schemas in X-API-Schemas), or "" for any other URL: discovery of a project URL starts at its
// schemas already, and an unusual path is left to the header.
func likelySchemasURL(apiURL string) string {
	u, err := url.Parse(apiURL)
	if err != nil || u.RawQuery != "" {
		return ""
	}
	segs := strings.Split(strings.TrimSuffix(u.Path, "/"), "/")
	if !versionSegment.MatchString(segs[len(segs)-1]) {
		return ""
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/schemas"
	return u.String()
}

// earlyGets are GETs sent before they are known to be needed, by URL, each answering at most one later
// GET of the same URL.
type earlyGets struct {
	mu    sync.Mutex
	byURL map[string]*earlyGet
}

// earlyGet is one GET in flight or answered.
type earlyGet struct {
	done chan struct{}
	resp *answer
	err  error
}

// send GETs rawURL in the background, once (retryNever: a failed one is asked for again when needed).
func (e *earlyGets) send(ctx context.Context, c *Client, rawURL string) {
	g := &earlyGet{done: make(chan struct{})}
	e.mu.Lock()
	if e.byURL == nil {
		e.byURL = map[string]*earlyGet{}
	}
	e.byURL[rawURL] = g
	e.mu.Unlock()
	go func() {
		defer close(g.done)
		g.resp, g.err = c.exchange(ctx, http.MethodGet, rawURL, nil, retryNever)
	}()
}

// take returns the answer of the early GET of rawURL, if one was sent and succeeded; it answers only once.
func (e *earlyGets) take(ctx context.Context, rawURL string) (*answer, bool) {
	e.mu.Lock()
	g := e.byURL[rawURL]
	delete(e.byURL, rawURL)
	e.mu.Unlock()
	if g == nil {
		return nil, false
	}
	select {
	case <-g.done:
		return g.resp, g.err == nil
	case <-ctx.Done():
		return nil, false
	}
}
