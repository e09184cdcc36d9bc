package sim

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// svcIndex spares a service's create the walks over every service its name check and its selector
// links made (N² under the lock for a big stack). It is a superset, never wrong by omission: every
// service is listed under each (stack, case-folded name) it has had, and among the services with a
// selector if it has ever had one; callers apply their own tests to what it lists. It is brought up
// to date lazily from the services touched since (touch, which every change of a service calls, as
// the render cache requires), and rebuilt when renderGen moves (a change many renderings show) or the
// store is replaced. Guarded by Server.mu (for writing).
type svcIndex struct {
	st        *store // the store it indexes
	gen       uint64 // renderGen when last brought up to date
	byName    map[string][]*resource
	selectors []*resource // in creation order
	stale     []*resource // touched since (resource.idxStale set)
}

// svcTouched queues a touched service for the index. Caller holds s.mu.
func (s *Server) svcTouched(r *resource) {
	if !r.idxStale {
		r.idxStale = true
		s.svcIdx.stale = append(s.svcIdx.stale, r)
	}
}

// svcIndexed brings the index up to date. Caller holds s.mu for writing.
func (s *Server) svcIndexed() *svcIndex {
	x := &s.svcIdx
	if x.st != s.st || x.gen != s.renderGen {
		for _, r := range x.stale {
			r.idxStale = false
		}
		*x = svcIndex{st: s.st, gen: s.renderGen, byName: map[string][]*resource{}}
		for _, r := range s.st.all("service") {
			x.add(r)
		}
		return x
	}
	for _, r := range x.stale {
		r.idxStale = false
		x.add(r)
	}
	clear(x.stale)
	x.stale = x.stale[:0]
	return x
}

// add lists r under its current stack and names, and among the selector services if it has one.
func (x *svcIndex) add(r *resource) {
	sid := r.str("stackId")
	x.addName(sid, r.str("name"), r)
	for _, sl := range asList(r.f["secondaryLaunchConfigs"]) {
		x.addName(sid, str(asMap(sl)["name"]), r)
	}
	if r.str("selectorLink") != "" && !r.idxSelector {
		r.idxSelector = true
		i, _ := slices.BinarySearchFunc(x.selectors, r.num, func(e *resource, n int64) int { return cmpInt(e.num, n) })
		x.selectors = slices.Insert(x.selectors, i, r)
	}
}

func (x *svcIndex) addName(sid, name string, r *resource) {
	k := sid + "\x00" + foldKey(name)
	if !slices.Contains(x.byName[k], r) {
		x.byName[k] = append(x.byName[k], r)
	}
}

// named lists the services that may have name (case-insensitively) in stack sid.
func (x *svcIndex) named(sid, name string) []*resource { return x.byName[sid+"\x00"+foldKey(name)] }

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// foldKey maps strings equal under strings.EqualFold to the same key: each rune becomes the
// smallest of its case-folding orbit.
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(s) // an ASCII letter's orbit's smallest member is its upper case
	}
	var b strings.Builder
	for _, r := range s {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(least)
	}
	return b.String()
}
