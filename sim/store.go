package sim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// resource is one stored object. Its rendered fields live in f; bookkeeping the API never shows
// lives in the typed parts.
type resource struct {
	typ   string // schema id used when rendering: "service", "loadBalancerService", "container", …
	table string // id namespace: "stack", "service", "instance", …
	num   int64
	f     map[string]any

	trError bool   // transitioning "error" (errorOverride or an error state)
	trMsg   string // transitioningMessage override
	trProg  any    // transitioningProgress

	renderVer uint64 // moved on by touch: its cached rendering is stale (rendercache.go)

	idxStale    bool // a service touched since the service index last looked at it (svcindex.go)
	idxSelector bool // a service listed among the index's selector services

	gen     int                // process generation: a newer process supersedes older ones
	running bool               // a process of this resource is under way
	cancel  context.CancelFunc // cancels the running process
	ctr     *ctrData
	svc     *svcData
}

// idPrefixes are Rancher's short type codes (§1.6): "1" + code + number.
var idPrefixes = map[string]string{
	"stack": "1st", "service": "1s", "instance": "1i", "host": "1h", "project": "1a",
	"serviceConsumeMap": "1scm", "serviceExposeMap": "1sem", "certificate": "1c",
	"pullTask": "1go", "volumeTemplate": "1vt", "volume": "1v", "apiKey": "1c",
}

func (r *resource) id() string {
	if r.table == "setting" {
		return "1as!" + r.str("name")
	}
	prefix, ok := idPrefixes[r.table]
	if !ok {
		prefix = shortTypeCode(r.table)
	}
	return prefix + strconv.FormatInt(r.num, 10)
}

func (r *resource) str(k string) string {
	s, _ := r.f[k].(string)
	return s
}

func (r *resource) state() string { return r.str("state") }

func (r *resource) num64(k string) int64 { return toInt(r.f[k]) }

func (r *resource) boolean(k string) bool { return toBool(r.f[k]) }

func (r *resource) removedOrRemoving() bool {
	st := r.state()
	return st == "removed" || st == "removing" || st == "purged" || st == "purging"
}

// table holds one id namespace.
type table struct {
	next  int64
	byNum map[int64]*resource
	order []*resource
}

// store is the in-memory database. Every access holds Server.mu: changes for writing, reads at least for
// reading, so a read never writes (get and all do not create a missing table).
type store struct {
	// accountID is the project every resource belongs to.
	accountID string
	tables    map[string]*table
	keyed     map[string]*resource // derived records by table and source key (derived.go)
	// linksBy indexes service consume maps by "serviceId\x00<id>" and "consumedServiceId\x00<id>", in
	// creation order: rendering a service lists its links, and a scan of every map per service made
	// a list of N linked services cost N².  Both fields are set at creation and never updated.
	linksBy map[string][]*resource
	// inserted is told of every new resource (the server touches what shows it).
	inserted func(*resource)
}

func newStore() *store { return &store{accountID: projectID, tables: map[string]*table{}} }

func (st *store) tbl(name string) *table {
	t := st.tables[name]
	if t == nil {
		t = &table{byNum: map[int64]*resource{}}
		st.tables[name] = t
	}
	return t
}

// insert stores r with the next id of its table and the common fields every resource has.
func (st *store) insert(r *resource, now time.Time) *resource {
	t := st.tbl(r.table)
	t.next++
	r.num = t.next
	if r.f == nil {
		r.f = map[string]any{}
	}
	r.f["accountId"] = st.accountID
	r.f["created"] = now
	if _, ok := r.f["uuid"]; !ok {
		r.f["uuid"] = newUUID()
	}
	if _, ok := r.f["kind"]; !ok {
		r.f["kind"] = r.typ
	}
	t.byNum[r.num] = r
	t.order = append(t.order, r)
	if r.table == "serviceConsumeMap" {
		st.indexLink(r)
	}
	if st.inserted != nil {
		st.inserted(r)
	}
	return r
}

func (st *store) indexLink(m *resource) {
	if st.linksBy == nil {
		st.linksBy = map[string][]*resource{}
	}
	for _, field := range []string{"serviceId", "consumedServiceId"} {
		key := field + "\x00" + m.str(field)
		st.linksBy[key] = append(st.linksBy[key], m)
	}
}

// linksWith lists the consume maps whose field ("serviceId" or "consumedServiceId") is id, removed ones
// included, in creation order.
func (st *store) linksWith(field, id string) []*resource { return st.linksBy[field+"\x00"+id] }

// get finds a resource by its external id in a table, prefix-agnostic like Cattle's parseId.
func (st *store) get(tableName, id string) *resource {
	n, ok := parseID(id)
	if !ok {
		return nil
	}
	t := st.tables[tableName] // not tbl: readers share the store (a missing table is empty)
	if t == nil {
		return nil
	}
	return t.byNum[n]
}

// has reports whether r is in the store (a reset replaces the store; trim drops audit records).
func (st *store) has(r *resource) bool {
	t := st.tables[r.table]
	return t != nil && t.byNum[r.num] == r
}

// all lists a table in creation order.
func (st *store) all(tableName string) []*resource {
	if t := st.tables[tableName]; t != nil {
		return t.order
	}
	return nil
}

// parseID strips "1" and the type letters: 1st5, 1e5 and 1s5 all give 5.
func parseID(id string) (int64, bool) {
	if !strings.HasPrefix(id, "1") {
		return 0, false
	}
	rest := strings.TrimLeft(id[1:], "abcdefghijklmnopqrstuvwxyz")
	n, err := strconv.ParseInt(rest, 10, 64)
	return n, err == nil && rest != ""
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func toInt(v any) int64 {
	switch t := v.(type) {
	case int:
		return int64(t)
	case int64:
		return t
	case float64:
		return int64(t)
	case json.Number:
		n, err := t.Int64()
		if err != nil {
			f, _ := t.Float64()
			return int64(f)
		}
		return n
	case string:
		n, _ := strconv.ParseInt(t, 10, 64)
		return n
	}
	return 0
}

func toBool(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return t == "true"
	}
	return false
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func stringMap(v any) map[string]string {
	out := map[string]string{}
	for k, x := range asMap(v) {
		out[k] = fmt.Sprint(x)
	}
	return out
}

func stringList(v any) []string {
	var out []string
	for _, x := range asList(v) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// deepCopy copies a decoded JSON value so stored configs never alias request bodies.
func deepCopy(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, x := range t {
			l[i] = deepCopy(x)
		}
		return l
	}
	return v
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// jsonEqual compares two decoded JSON values by their serialisation.
func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
