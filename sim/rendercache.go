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
// at. A rendering is made under s.mu but encoded and stored after it is released (pendingRender), with
// the renderGen and renderVer read when it was made: stored late, it is still the rendering of that
// version, and a change since has moved a counter on. Derived tables, which GETs rebuild, are not cached.

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
		s.svcTouched(r)
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

// renderLater is r's answer for this request: its cached encoding when nothing it shows changed since, else
// its rendering, to be encoded once s.mu is released (pendingRender). Caller holds s.mu, for reading at
// least: readers share the cache under s.cacheMu.
func (s *Server) renderLater(rc *reqCtx, r *resource) any {
	if rc.version == "v1" || !cachedTables[r.table] {
		return s.render(rc, r)
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
		return json.RawMessage(c.raw)
	}
	p := &pendingRender{s: s, r: r, out: s.render(rc, r), gen: s.renderGen, ver: r.renderVer, key: key,
		size: len(s.st.all(r.table))}
	if sd := s.schemas.byID[r.typ]; sd != nil {
		p.order = sd.renderKeys
	}
	return p
}

// pendingRender is a rendering made under s.mu and encoded after it is released (encoding is some 40% of
// a service's rendering; under the lock it held every writer back). That is safe because render builds
// its output of fresh maps and slices (formatField copies every map and list the schema types, the
// computed fields are built anew) and of values nothing changes in place (strings, numbers, times, the
// metadata a client sent). Its encoding goes into the render cache for the generation and version it was
// rendered at: if anything it shows changed since, the entry is stale on arrival and never served.
type pendingRender struct {
	s        *Server
	r        *resource
	out      map[string]any
	order    []string // the schema's key order, nil without a schema
	gen, ver uint64
	key      string
	size     int // resources in r's table when rendered: bounds the cache
}

// appendTo encodes the rendering onto b and keeps it in the render cache.
func (p *pendingRender) appendTo(b []byte) []byte {
	buf := encBuffers.Get().(*[]byte)
	var raw []byte
	var err error
	if p.order != nil {
		raw, err = appendJSONObjectIn((*buf)[:0], p.out, p.order)
	} else {
		raw, err = appendJSON((*buf)[:0], p.out)
	}
	if err != nil {
		*buf = raw[:0]
		encBuffers.Put(buf)
		raw, _ = json.Marshal(p.out)
		return append(b, raw...)
	}
	kept := append([]byte(nil), raw...) // one allocation of the right size, not a slice grown from nothing
	*buf = raw[:0]
	encBuffers.Put(buf)
	p.s.keepRendered(p, kept)
	return append(b, kept...)
}

// MarshalJSON encodes the rendering (encoding/json meets one when appendJSON gave up on an answer).
func (p *pendingRender) MarshalJSON() ([]byte, error) { return p.appendTo(nil), nil }

// keepRendered stores an encoded rendering in the render cache.
func (s *Server) keepRendered(p *pendingRender, raw []byte) {
	s.cacheMu.Lock()
	defer s.cacheMu.Unlock()
	if s.renderCache == nil || len(s.renderCache) > 4*p.size+1024 {
		s.renderCache = map[*resource]renderCached{}
	}
	s.renderCache[p.r] = renderCached{gen: p.gen, ver: p.ver, key: p.key, raw: raw}
}

// fillHoles encodes an answer's pending renderings into their holes. It runs after s.mu is released.
func fillHoles(res result) result {
	h := res.holes
	if h == nil || len(h.at) == 0 {
		res.holes = nil
		return res
	}
	enc := *res.enc
	buf := encBuffers.Get().(*[]byte)
	b := (*buf)[:0]
	from := 0
	for i, at := range h.at {
		b = append(b, enc[from:at]...)
		b = h.pending[i].appendTo(b)
		from = at
	}
	b = append(b, enc[from:]...)
	*res.enc = enc[:0]
	encBuffers.Put(res.enc)
	*buf = b
	res.enc, res.holes = buf, nil
	return res
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
