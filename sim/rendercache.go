package sim

import (
	"encoding/json"
	"fmt"
)

// The render cache keeps each service, container and stack encoded as the API last showed it, so a
// poller listing a big stack over and over costs one encoding per change, not one per request.
//
// Correctness rests on renderGen: it moves on at every point where the simulation may change (any
// request other than a GET, every wake-up of a process, every change through the Go API), and an entry
// is only served for the generation it was made in. Derived tables, which GETs rebuild, are not cached.

// renderCached is one resource's encoded form, valid for one generation and one request context.
type renderCached struct {
	gen uint64
	key string
	raw json.RawMessage
}

var cachedTables = map[string]bool{"service": true, "instance": true, "stack": true}

// invalidate marks every cached rendering stale. Caller holds s.mu.
func (s *Server) invalidate() { s.renderGen++ }

// renderRaw returns r's encoded form for this request, from the cache when nothing changed since.
// Caller holds s.mu.
func (s *Server) renderRaw(rc *reqCtx, r *resource) (any, bool) {
	if rc.version == "v1" || !cachedTables[r.table] {
		return nil, false
	}
	key := fmt.Sprintf("%s|%p|%t", rc.prefix(), rc.account, rc.projectChosen)
	if c, ok := s.renderCache[r]; ok && c.gen == s.renderGen && c.key == key {
		return c.raw, true
	}
	raw, err := appendJSON(nil, s.render(rc, r))
	if err != nil {
		return nil, false
	}
	if s.renderCache == nil || len(s.renderCache) > 4*len(s.st.all(r.table))+1024 {
		s.renderCache = map[*resource]renderCached{}
	}
	s.renderCache[r] = renderCached{gen: s.renderGen, key: key, raw: raw}
	return json.RawMessage(raw), true
}
