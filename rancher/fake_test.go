package rancher

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeAPI is a small in-memory Rancher v2-beta API for this package's tests: schemas discovery, project
// scoping, collections with filters and pagination, create/update/delete, actions and transitions that
// settle after a number of reads.
type fakeAPI struct {
	t   *testing.T
	srv *httptest.Server

	mu          sync.Mutex
	requests    []string // "METHOD /path?query"
	objects     map[string][]map[string]any
	nextID      int
	pageSize    int
	settleAfter int // reads of a transitioning resource before it settles
	reads       map[string]int
	projects    []map[string]any
	// stackCreatable false serves account-key (user role) schemas, where stacks cannot be created.
	stackCreatable bool
	// intercept, when it returns true, has answered the request itself.
	intercept func(w http.ResponseWriter, r *http.Request) bool
	// onAction, when set, replaces the default state change of an action.
	noSchemasHeader bool
}

// plural names of the types the fake serves; the collection path is the lower-cased plural.
var fakeTypes = map[string]string{
	"stack": "stacks", "service": "services", "loadBalancerService": "loadbalancerservices",
	"project": "projects", "setting": "settings", "container": "containers", "serviceConsumeMap": "serviceconsumemaps",
	"pullTask": "pulltasks", "certificate": "certificates", "volumeTemplate": "volumetemplates", "host": "hosts",
}

func newFakeAPI(t *testing.T) *fakeAPI {
	f := &fakeAPI{t: t, objects: map[string][]map[string]any{}, pageSize: 100, settleAfter: 1, reads: map[string]int{}, stackCreatable: true}
	f.projects = []map[string]any{{"id": "1a5", "type": "project", "name": "Default", "state": "active"}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAPI) config() Config {
	return Config{URL: f.srv.URL, AccessKey: "ak", SecretKey: "sk-very-secret",
		Retry: RetryPolicy{Attempts: 4, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
		Poll:  PollPolicy{Min: time.Millisecond, Max: 4 * time.Millisecond, Factor: 2}}
}

func (f *fakeAPI) log() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string{}, f.requests...)
}

func (f *fakeAPI) count(prefix string) int {
	n := 0
	for _, r := range f.log() {
		if strings.HasPrefix(r, prefix) {
			n++
		}
	}
	return n
}

func (f *fakeAPI) add(typ string, obj map[string]any) map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.store("/v2-beta", typ, obj)
}

func (f *fakeAPI) all(typ string) []map[string]any {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]map[string]any{}, f.objects[typ]...)
}

func (f *fakeAPI) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (f *fakeAPI) apiError(w http.ResponseWriter, status int, code, fieldName string) {
	f.writeJSON(w, status, map[string]any{"id": "e1", "type": "error", "links": map[string]any{}, "actions": map[string]any{},
		"status": status, "code": code, "message": nil, "detail": nil, "fieldName": fieldName, "baseType": "error"})
}

func (f *fakeAPI) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests = append(f.requests, strings.TrimSuffix(r.Method+" "+r.URL.Path+"?"+r.URL.RawQuery, "?"))
	intercept := f.intercept
	f.mu.Unlock()
	if user, pass, ok := r.BasicAuth(); !ok || user != "ak" || pass != "sk-very-secret" {
		f.apiError(w, 401, "Unauthorized", "")
		return
	}
	if intercept != nil && intercept(w, r) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	prefix, rest := f.scope(r.URL.Path)
	switch {
	case rest == "" || rest == "/":
		f.schemasHeader(w, prefix)
		f.writeJSON(w, 200, map[string]any{"id": "v2-beta", "type": "apiVersion", "links": map[string]any{}})
	case rest == "/schemas":
		f.schemasHeader(w, prefix)
		f.writeJSON(w, 200, f.schemaCollection(prefix))
	default:
		f.resource(w, r, prefix, rest)
	}
}

// scope splits /v2-beta/projects/<id>/rest into the prefix "/v2-beta/projects/<id>" and "/rest".
func (f *fakeAPI) scope(path string) (string, string) {
	rest := strings.TrimPrefix(path, "/v2-beta")
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	if len(parts) > 2 && parts[0] == "projects" {
		return "/v2-beta/projects/" + parts[1], "/" + strings.Join(parts[2:], "/")
	}
	return "/v2-beta", rest
}

func (f *fakeAPI) schemasHeader(w http.ResponseWriter, prefix string) {
	if !f.noSchemasHeader {
		w.Header().Set("X-API-Schemas", f.srv.URL+prefix+"/schemas")
	}
}

func (f *fakeAPI) schemaCollection(prefix string) map[string]any {
	var data []map[string]any
	for typ, plural := range fakeTypes {
		methods := []string{"GET", "POST"}
		if typ == "stack" && !f.stackCreatable {
			methods = []string{"GET"}
		}
		data = append(data, map[string]any{"id": typ, "type": "schema", "pluralName": plural,
			"links":             map[string]any{"self": f.srv.URL + prefix + "/schemas/" + strings.ToLower(typ), "collection": f.srv.URL + prefix + "/" + plural},
			"collectionMethods": methods, "resourceMethods": []string{"GET", "PUT", "DELETE"}})
	}
	return map[string]any{"type": "collection", "resourceType": "schema", "links": map[string]any{"self": f.srv.URL + prefix + "/schemas"}, "data": data}
}

func typeOfPlural(plural string) string {
	for typ, p := range fakeTypes {
		if p == plural {
			return typ
		}
	}
	return ""
}

func (f *fakeAPI) resource(w http.ResponseWriter, r *http.Request, prefix, rest string) {
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	typ := typeOfPlural(parts[0])
	if typ == "" {
		f.apiError(w, 404, "Not Found", "")
		return
	}
	if len(parts) == 1 {
		switch r.Method {
		case http.MethodGet:
			f.list(w, r, prefix, typ)
		case http.MethodPost:
			var body map[string]any
			_ = json.NewDecoder(r.Body).Decode(&body)
			if typ == "stack" && !f.stackCreatable {
				f.apiError(w, 405, "Method not allowed", "")
				return
			}
			f.writeJSON(w, 201, f.store(prefix, typ, body))
		}
		return
	}
	obj := f.find(typ, parts[1])
	if obj == nil {
		f.apiError(w, 404, "Not Found", "")
		return
	}
	switch {
	case r.Method == http.MethodGet:
		f.advance(obj)
		f.writeJSON(w, 200, obj)
	case r.Method == http.MethodPut:
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		for k, v := range body {
			if k != "links" && k != "actions" && k != "id" {
				obj[k] = v
			}
		}
		f.writeJSON(w, 200, obj)
	case r.Method == http.MethodDelete:
		f.transition(obj, "removing", "removed")
		f.writeJSON(w, 200, obj)
	case r.Method == http.MethodPost && r.URL.Query().Get("action") != "":
		f.action(w, obj, r.URL.Query().Get("action"))
	}
}

func (f *fakeAPI) list(w http.ResponseWriter, r *http.Request, prefix, typ string) {
	q := r.URL.Query()
	var hits []map[string]any
	for _, o := range f.objects[typ] {
		if o["removed"] != nil && q.Has("removed_null") {
			continue
		}
		ok := true
		for _, k := range []string{"name", "stackId", "serviceId"} {
			if q.Has(k) && !strings.EqualFold(fmt.Sprint(o[k]), q.Get(k)) {
				ok = false
			}
		}
		if ok {
			hits = append(hits, o)
		}
	}
	if typ == "project" {
		hits = f.projects
	}
	offset, _ := strconv.Atoi(strings.TrimPrefix(q.Get("marker"), "m"))
	end := min(offset+f.pageSize, len(hits))
	page := map[string]any{"limit": f.pageSize, "partial": end < len(hits)}
	if end < len(hits) {
		q.Set("marker", fmt.Sprintf("m%d", end))
		page["next"] = f.srv.URL + r.URL.Path + "?" + q.Encode()
	}
	data := []map[string]any{}
	if offset < len(hits) {
		data = hits[offset:end]
	}
	f.writeJSON(w, 200, map[string]any{"type": "collection", "resourceType": typ, "data": data, "pagination": page})
}

// store adds obj as a new resource of typ (callers hold f.mu).
func (f *fakeAPI) store(prefix, typ string, obj map[string]any) map[string]any {
	f.nextID++
	id := fmt.Sprintf("1x%d", f.nextID)
	self := f.srv.URL + prefix + "/" + fakeTypes[typ] + "/" + id
	obj["id"], obj["type"] = id, typ
	obj["links"] = map[string]any{"self": self, "instances": self + "/instances"}
	if _, ok := obj["state"]; !ok {
		obj["state"], obj["transitioning"] = "registering", "yes"
		obj["next"] = "inactive"
	}
	obj["removed"] = nil
	f.setActions(obj)
	f.objects[typ] = append(f.objects[typ], obj)
	return obj
}

func (f *fakeAPI) find(typ, id string) map[string]any {
	for _, o := range f.objects[typ] {
		if o["id"] == id {
			return o
		}
	}
	return nil
}

// transition puts obj in a transitioning state that settles into done after settleAfter reads.
func (f *fakeAPI) transition(obj map[string]any, during, done string) {
	obj["state"], obj["transitioning"], obj["next"] = during, "yes", done
	f.reads[obj["id"].(string)] = 0
	f.setActions(obj)
}

func (f *fakeAPI) advance(obj map[string]any) {
	if obj["transitioning"] != "yes" {
		return
	}
	id := obj["id"].(string)
	f.reads[id]++
	if f.reads[id] >= f.settleAfter {
		obj["state"], obj["transitioning"], obj["transitioningMessage"] = obj["next"], "no", nil
		if obj["state"] == "removed" {
			obj["removed"] = "2026-11-22T00:00:00Z"
		}
		f.setActions(obj)
	}
}

var fakeActionsByState = map[string][]string{
	"inactive": {"activate", "remove", "setservicelinks", "upgrade"},
	"active":   {"deactivate", "restart", "remove", "setservicelinks", "upgrade"},
	"upgraded": {"finishupgrade", "rollback", "setservicelinks"},
}

func (f *fakeAPI) setActions(obj map[string]any) {
	actions := map[string]any{}
	if obj["transitioning"] != "yes" {
		for _, a := range fakeActionsByState[fmt.Sprint(obj["state"])] {
			actions[a] = obj["links"].(map[string]any)["self"].(string) + "/?action=" + a
		}
	}
	obj["actions"] = actions
}

func (f *fakeAPI) action(w http.ResponseWriter, obj map[string]any, name string) {
	if _, ok := obj["actions"].(map[string]any)[name]; !ok {
		f.apiError(w, 422, "ActionNotAvailable", "action")
		return
	}
	switch name {
	case "activate":
		f.transition(obj, "activating", "active")
	case "deactivate":
		f.transition(obj, "deactivating", "inactive")
	case "upgrade":
		f.transition(obj, "upgrading", "upgraded")
	case "finishupgrade":
		f.transition(obj, "finishing-upgrade", "active")
	case "restart":
		f.transition(obj, "restarting", "active")
	}
	f.writeJSON(w, 202, obj)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
