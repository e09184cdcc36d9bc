package rancher

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// maxRedirects is how many redirects one request may follow (net/http's default).
const maxRedirects = 10

// sameOrigin reports whether two URLs share scheme, host and port (a missing port is the scheme's).
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && portOf(a) == portOf(b)
}

func portOf(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// checkRedirect follows at most maxRedirects redirects and drops the Authorization header as soon as one
// leaves the first request's origin. net/http keeps it for another port or scheme of the same host.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if !sameOrigin(via[0].URL, req.URL) {
		req.Header.Del("Authorization")
	}
	return nil
}

// credentialsInClearText reports whether sending key to u exposes it on the network: plain http to a
// host that is not a loopback address. Only the URL is looked at; no name is resolved.
func credentialsInClearText(u *url.URL, key string) bool {
	return key != "" && strings.EqualFold(u.Scheme, "http") && !isLoopbackHost(u.Hostname())
}

func isLoopbackHost(host string) bool {
	host = strings.ToLower(host)
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// clearTextWarner warns once, on the first request that carries the API key in clear text to another
// machine (RANCHER_URL, a link the API returned, or a redirect).
type clearTextWarner struct {
	next http.RoundTripper
	w    io.Writer
	once sync.Once
}

func (t *clearTextWarner) RoundTrip(req *http.Request) (*http.Response, error) {
	if user, _, ok := req.BasicAuth(); ok && credentialsInClearText(req.URL, user) {
		t.once.Do(func() {
			fmt.Fprintf(t.w, "warning: the API key is sent in clear text over plain http to %s (not a loopback address); "+
				"use an https RANCHER_URL\n", req.URL.Host)
		})
	}
	return t.next.RoundTrip(req)
}
