package sim

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	defaultLimit = 100
	maxLimit     = 3000
)

var modifiers = setOf("eq", "ne", "lt", "lte", "gt", "gte", "prefix", "like", "notlike", "null", "notnull")

// collectionParams are the query options that are not filters.
var collectionParams = setOf("limit", "marker", "sort", "order", "include", "_removed", "_method", "_format",
	"projectId", "action")

type condition struct {
	field, modifier, value string
	// ref and refOK are value parsed as an id, once for every resource compared (see matches)
	ref   int64
	refOK bool
}

// parseFilters keeps only filters the schema knows (field in collectionFilters and resourceFields);
// unknown ones are silently ignored, as Cattle does.
func parseFilters(sd *schemaDef, q url.Values) []condition {
	var out []condition
	for _, key := range sortedKeys(q) {
		if collectionParams[key] {
			continue
		}
		name, mod := key, "eq"
		if i := strings.LastIndex(key, "_"); i > 0 && modifiers[key[i+1:]] {
			name, mod = key[:i], key[i+1:]
		}
		allowed, ok := sd.Filters[name]
		if !ok {
			continue
		}
		if _, isField := sd.fieldByName[name]; !isField && name != "id" {
			continue
		}
		if !contains(allowed, mod) {
			continue
		}
		for _, v := range q[key] {
			ref, refOK := parseID(v)
			out = append(out, condition{field: name, modifier: mod, value: v, ref: ref, refOK: refOK})
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// fieldValue is the filterable value of a field ("" and false for null).
func (s *Server) fieldValue(r *resource, name string) (string, bool) {
	switch name {
	case "id":
		return r.id(), true
	case "healthState":
		switch r.table {
		case "service":
			return s.serviceHealth(r), true
		case "stack":
			return s.stackHealth(r), true
		}
	case "hostId":
		if r.ctr != nil && r.ctr.host != nil {
			return r.ctr.host.id(), true
		}
		return "", false
	}
	v, ok := r.f[name]
	if !ok || v == nil {
		return "", false
	}
	switch t := v.(type) {
	case string:
		return t, true
	case time.Time:
		return strconv.FormatInt(t.UnixMilli(), 10), true
	}
	return fmt.Sprint(v), true
}

func (s *Server) matches(sd *schemaDef, r *resource, c condition) bool {
	v, present := s.fieldValue(r, c.field)
	fd := sd.fieldByName[c.field]
	isRef := strings.HasPrefix(fd.Type, "reference") || c.field == "id"
	switch c.modifier {
	case "null":
		return !present
	case "notnull":
		return present
	}
	if isRef {
		a, okA := parseID(v)
		eq := okA && c.refOK && a == c.ref
		switch c.modifier {
		case "eq":
			return eq
		case "ne":
			return !eq
		}
	}
	switch c.modifier {
	case "eq":
		return present && strings.EqualFold(v, c.value)
	case "ne":
		return !strings.EqualFold(v, c.value)
	case "prefix":
		return present && strings.HasPrefix(strings.ToLower(v), strings.ToLower(c.value))
	case "like":
		return present && likeRegexp(c.value).MatchString(v)
	case "notlike":
		return !likeRegexp(c.value).MatchString(v)
	case "lt", "lte", "gt", "gte":
		return present && compareOrdered(v, c.value, c.modifier)
	}
	return false
}

// likeRegexp turns SQL LIKE (%, _) into an anchored, case-insensitive regexp.
func likeRegexp(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("(?i)^")
	for _, r := range p {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func compareOrdered(a, b, mod string) bool {
	fa, errA := strconv.ParseFloat(a, 64)
	fb, errB := strconv.ParseFloat(b, 64)
	var cmp int
	if errA == nil && errB == nil {
		switch {
		case fa < fb:
			cmp = -1
		case fa > fb:
			cmp = 1
		}
	} else {
		cmp = strings.Compare(a, b)
	}
	switch mod {
	case "lt":
		return cmp < 0
	case "lte":
		return cmp <= 0
	case "gt":
		return cmp > 0
	}
	return cmp >= 0
}

// collection filters, sorts and pages rs into Cattle's collection document. member, when not nil, tells
// whether a resource is still one of rs: the page may then yield s.mu to writers (renderPage).
func (s *Server) collection(rc *reqCtx, sd *schemaDef, rs []*resource, member func(*resource) bool) map[string]any {
	q := rc.r.URL.Query()
	conds := parseFilters(sd, q)
	_, showRemoved := q["_removed"]
	var kept []*resource
	for _, r := range rs {
		if s.listed(sd, r, conds, showRemoved) {
			kept = append(kept, r)
		}
	}
	sortInfo := s.sortResources(rc, sd, kept, q)
	limit := defaultLimit
	if l, err := strconv.Atoi(q.Get("limit")); err == nil {
		limit = l
		if limit <= 0 || limit > maxLimit {
			limit = maxLimit
		}
	}
	offset := 0
	if m := q.Get("marker"); strings.HasPrefix(m, "m") {
		offset, _ = strconv.Atoi(m[1:])
	}
	if offset > len(kept) {
		offset = len(kept)
	}
	end := offset + limit
	partial := end < len(kept)
	if !partial {
		end = len(kept)
	}
	page := kept[offset:end]
	var stillListed func(*resource) bool
	if member != nil {
		stillListed = func(r *resource) bool { return member(r) && s.listed(sd, r, conds, showRemoved) }
	}
	var next any
	if partial {
		nq := cloneValues(q)
		nq.Set("limit", strconv.Itoa(limit))
		nq.Set("marker", "m"+strconv.Itoa(end))
		next = rc.base + rc.r.URL.Path + "?" + nq.Encode()
	}
	return map[string]any{
		"type": "collection", "resourceType": sd.ID,
		"links":       map[string]any{"self": selfCollectionURL(rc)},
		"createTypes": map[string]any{}, "actions": map[string]any{},
		"data":           s.renderPage(rc, page, stillListed),
		"sortLinks":      sortLinks(rc, sd),
		"pagination":     map[string]any{"first": nil, "previous": nil, "next": next, "limit": limit, "total": nil, "partial": partial},
		"sort":           sortInfo,
		"filters":        filtersDoc(sd, conds),
		"createDefaults": map[string]any{},
	}
}

// listed reports whether a collection filtered by conds shows r.
func (s *Server) listed(sd *schemaDef, r *resource, conds []condition, showRemoved bool) bool {
	if !showRemoved && r.state() == "removed" && !s.recentlyRemoved(r) {
		return false
	}
	for _, c := range conds {
		if !s.matches(sd, r, c) {
			return false
		}
	}
	return true
}

func selfCollectionURL(rc *reqCtx) string {
	u := rc.base + rc.r.URL.Path
	if rc.r.URL.RawQuery != "" {
		u += "?" + rc.r.URL.RawQuery
	}
	return u
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

func sortLinks(rc *reqCtx, sd *schemaDef) map[string]any {
	out := map[string]any{}
	for name := range sd.Filters {
		out[name] = rc.base + rc.r.URL.Path + "?sort=" + name
	}
	return out
}

func filtersDoc(sd *schemaDef, conds []condition) map[string]any {
	out := map[string]any{}
	for name := range sd.Filters {
		out[name] = nil
	}
	for _, c := range conds {
		key := c.field
		list, _ := out[key].([]any)
		out[key] = append(list, map[string]any{"modifier": c.modifier, "value": c.value})
	}
	return out
}

// sortResources applies sort=<filter field>&order=asc|desc; the default order is by id.
func (s *Server) sortResources(rc *reqCtx, sd *schemaDef, rs []*resource, q url.Values) any {
	field := q.Get("sort")
	if _, ok := sd.Filters[field]; !ok || field == "" {
		sortByNum(rs)
		return nil
	}
	desc := strings.EqualFold(q.Get("order"), "desc")
	sort.SliceStable(rs, func(i, j int) bool {
		a, _ := s.fieldValue(rs[i], field)
		b, _ := s.fieldValue(rs[j], field)
		if desc {
			return compareOrdered(b, a, "lt")
		}
		return compareOrdered(a, b, "lt")
	})
	order := "asc"
	reverse := "desc"
	if desc {
		order, reverse = "desc", "asc"
	}
	return map[string]any{"name": field, "order": order,
		"reverse": rc.base + rc.r.URL.Path + "?sort=" + field + "&order=" + reverse}
}

// recentlyRemoved: a removed resource still listed under Options.ShowRemovedFor (Rancher 1.0/1.1).
func (s *Server) recentlyRemoved(r *resource) bool {
	t, ok := r.f["removed"].(time.Time)
	return ok && s.opts.ShowRemovedFor > 0 && s.clk.Now().Sub(t) < s.opts.ShowRemovedFor
}
