package sim

import (
	"net/http"
	"strings"
	"time"
)

// reqCtx is what a request needs to build URLs and apply its scope.
type reqCtx struct {
	base    string // scheme://host
	version string // "v2-beta" or "v1"
	sub     string // "" or "/projects/1a5"
	account *apiKey
	r       *http.Request
	body    []byte
	// projectChosen: the X-API-Project-Id header or projectId parameter named an accessible project.
	projectChosen bool
	cacheKey      string // see renderKey
	// lockWait is how long the request waited for the simulation's lock (the request log shows it).
	lockWait time.Duration
	// readLocked: the request is served holding s.mu for reading, which a long list may yield (renderPage).
	readLocked bool
	early      *earlyBody // the body, decoded before the lock (decodeEarly)
}

// prefix is the root every generated URL starts with, e.g. http://h:8080/v2-beta/projects/1a5.
func (rc *reqCtx) prefix() string { return rc.base + "/" + rc.version + rc.sub }

// unscopedPrefix is the version root without the project sub-context.
func (rc *reqCtx) unscopedPrefix() string { return rc.base + "/" + rc.version }

func (rc *reqCtx) schemasURL() string { return rc.prefix() + "/schemas" }

func (rc *reqCtx) url(parts ...string) string {
	return strings.ToLower(rc.prefix() + "/" + strings.Join(parts, "/"))
}

func requestBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		scheme = p
	}
	return scheme + "://" + r.Host
}
