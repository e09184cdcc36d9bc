package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"sync/atomic"
)

// The render cache keeps each service, container and stack encoded as the API last showed it, so a
// poller listing a big stack over and over costs one encoding per change of each resource, not one per
// request, even while hundreds of other resources move.
//
// Correctness rests on two counters. Every resource has a renderVer that touch moves on whenever
// something its rendering shows may have changed: touch is called in the same locked section as every
// change (setState and changedAbout do it; so do store.insert and applyFields; the remaining direct
// writes call it themselves), and it also marks what renders the resource as a part: a container its
// service, a service its stack, a link its service. Changes that many renderings show (hosts, names,
// standalone containers a selector may adopt, the Go API, exposed exit codes) move renderGen instead,
// which makes every entry stale. An entry is served only for the renderGen and renderVer it was made
// at. Derived tables, which GETs rebuild, are not cached.

// renderCached is one resource's encoded form, valid for one generation, one version of the resource
// and one request context.
type renderCached struct {
	gen, ver uint64
	key      string
	raw      []byte
}

var cachedTables = map[string]bool{"service": true, "instance": true, "stack": true}

// uncachedTables are shown by no cached rendering: changing them stales nothing.
var uncachedTables = setOf("volume", "volumeTemplate", "mount", "certificate", "pullTask", "setting", "apiKey",
	"network", "auditLog", "port", "image", "serviceExposeMap", "ipAddress", "storagePool", "containerEvent", "serviceEvent")

// invalidate marks every cached rendering stale. Caller holds s.mu.
func (s *Server) invalidate() { s.renderGen++ }

// touch marks r's rendering stale, and those that show r: its service for a container, its stack for a
// service, its consuming service for a link. Caller holds s.mu.
func (s *Server) touch(r *resource) {
	switch {
	case r.table == "instance":
		r.renderVer++
		if r.ctr != nil && r.ctr.service != nil {
			s.touch(r.ctr.service)
		} else {
			s.invalidate() // a standalone container may be adopted by any selector service
		}
	case r.table == "service":
		r.renderVer++
		if st := s.st.get("stack", r.str("stackId")); st != nil {
			st.renderVer++
		}
	case r.table == "stack":
		r.renderVer++
	case r.table == "serviceConsumeMap":
		if svc := s.st.get("service", r.str("serviceId")); svc != nil {
			s.touch(svc)
		}
	case uncachedTables[r.table]:
	default: // hosts, projects: shown by many renderings (health, endpoints)
		s.invalidate()
	}
}

// touchAll touches each of rs. Caller holds s.mu.
func (s *Server) touchAll(rs []*resource) {
	for _, r := range rs {
		s.touch(r)
	}
}

// renderKey names what a rendering depends on in the request: its URL prefix and its account's view.
func (rc *reqCtx) renderKey() string {
	if rc.cacheKey == "" {
		rc.cacheKey = fmt.Sprintf("%s|%p|%t", rc.prefix(), rc.account, rc.projectChosen)
	}
	return rc.cacheKey
}

// renderRaw returns r's encoded form for this request, from the cache when nothing it shows changed
// since. Caller holds s.mu, for reading at least: readers share the cache under s.cacheMu, each rendering
// its misses without it (two readers may render the same resource; the second entry replaces the first).
func (s *Server) renderRaw(rc *reqCtx, r *resource) ([]byte, bool) {
	if rc.version == "v1" || !cachedTables[r.table] {
		return nil, false
	}
	key := rc.renderKey()
	s.cacheMu.Lock()
	c, ok := s.renderCache[r]
	if !ok || c.gen != s.renderGen || c.ver != r.renderVer || c.key != key {
		s.renderMisses++
		ok = false
	}
	s.cacheMu.Unlock()
	if ok {
		if verifyRenderCache {
			s.verifyCached(rc, r, c.raw)
		}
		return c.raw, true
	}
	raw, err := s.encodeRendered(rc, r)
	if err != nil {
		return nil, false
	}
	size := len(s.st.all(r.table))
	s.cacheMu.Lock()
	if s.renderCache == nil || len(s.renderCache) > 4*size+1024 {
		s.renderCache = map[*resource]renderCached{}
	}
	s.renderCache[r] = renderCached{gen: s.renderGen, ver: r.renderVer, key: key, raw: raw}
	s.cacheMu.Unlock()
	return raw, true
}

// encodeRendered renders r and encodes it, its keys in the order its schema gives them.
func (s *Server) encodeRendered(rc *reqCtx, r *resource) ([]byte, error) {
	out := s.render(rc, r)
	if sd := s.schemas.byID[r.typ]; sd != nil {
		return appendJSONObjectIn(nil, out, sd.renderKeys)
	}
	return appendJSON(nil, out)
}

// verifyRenderCache makes every cache hit render afresh and compare, encoded by encoding/json
// (RANCHER_SIM_VERIFY_RENDER_CACHE=1; the package's tests turn it on): a change that forgot to touch
// what it changed, or an encoding that differs from encoding/json's, shows as a stale entry.
var verifyRenderCache = os.Getenv("RANCHER_SIM_VERIFY_RENDER_CACHE") == "1"

// staleRenders counts the stale entries verifyRenderCache found.
var staleRenders atomic.Int64

func (s *Server) verifyCached(rc *reqCtx, r *resource, cached []byte) {
	fresh, err := json.Marshal(s.render(rc, r)) // encoding/json: the reference the fast encoder follows
	if err != nil || bytes.Equal(fresh, cached) {
		return
	}
	staleRenders.Add(1)
	fmt.Fprintf(os.Stderr, "sim: stale cached rendering of %s %s:\n cached: %s\n fresh:  %s\n", r.table, r.id(), cached, fresh)
}
