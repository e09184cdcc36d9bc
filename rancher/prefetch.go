package rancher

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

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

// earlyGet is a GET sent before it is known to be needed; drop cancels it if nobody took its answer.
type earlyGet struct {
	url    string
	done   chan struct{}
	resp   *answer
	err    error
	cancel context.CancelFunc
}

// prefetch sends a GET of rawURL in the background ("" sends nothing).
func (c *Client) prefetch(ctx context.Context, rawURL string) *earlyGet {
	if rawURL == "" {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	g := &earlyGet{url: rawURL, done: make(chan struct{}), cancel: cancel}
	go func() {
		defer close(g.done)
		g.resp, g.err = c.exchange(ctx, http.MethodGet, rawURL, nil, retryNever)
	}()
	return g
}

// answerFor is the answer of a GET of rawURL: the early one when it asked for that URL and succeeded, else
// a new one (retried as any GET).
func (g *earlyGet) answerFor(ctx context.Context, c *Client, rawURL string) (*answer, error) {
	if g != nil && g.url == rawURL {
		select {
		case <-g.done:
			if g.err == nil {
				return g.resp, nil
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	g.drop()
	return c.exchange(ctx, http.MethodGet, rawURL, nil, retryIdempotent)
}

// drop cancels the early GET (nothing when it is answered already) and waits for it to end.
func (g *earlyGet) drop() {
	if g == nil {
		return
	}
	g.cancel()
	<-g.done
}
