package sim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// collDef maps a URL collection to a table and the schema its resources render with.
type collDef struct {
	schema string // schema id for filters and methods
	table  string
	kind   string // only this kind ("" = all kinds of the table)
}

var collections = map[string]collDef{
	"stacks":               {"stack", "stack", ""},
	"environments":         {"environment", "stack", ""},
	"services":             {"service", "service", ""},
	"loadbalancerservices": {"loadBalancerService", "service", "loadBalancerService"},
	"dnsservices":          {"dnsService", "service", "dnsService"},
	"externalservices":     {"externalService", "service", "externalService"},
	"containers":           {"container", "instance", "container"},
	"instances":            {"instance", "instance", ""},
	"hosts":                {"host", "host", ""},
	"projects":             {"project", "project", ""},
	"settings":             {"setting", "setting", ""},
	"serviceconsumemaps":   {"serviceConsumeMap", "serviceConsumeMap", ""},
	"certificates":         {"certificate", "certificate", ""},
	"pulltasks":            {"pullTask", "pullTask", ""},
	"volumetemplates":      {"volumeTemplate", "volumeTemplate", ""},
	"volumes":              {"volume", "volume", ""},
}

func (s *Server) dispatch(rc *reqCtx, method string, segs []string) result {
	if len(segs) == 0 {
		if method != http.MethodGet {
			return errResult(httpErr(http.StatusMethodNotAllowed))
		}
		return result{status: 200, body: s.versionRoot(rc)}
	}
	switch segs[0] {
	case "schemas":
		return s.serveSchemas(rc, method, segs[1:])
	case "scripts":
		if len(segs) == 2 && segs[1] == "transform" && method == http.MethodPost {
			return s.transformHandler(rc)
		}
		return errResult(httpErr(http.StatusNotFound))
	}
	cd, ok := collections[strings.ToLower(segs[0])]
	derived := false
	if !ok {
		cd, ok = s.advertisedCollection(segs[0])
		derived = ok
	}
	if !ok || (cd.schema == "environment" && rc.version != "v1") {
		return errResult(httpErr(http.StatusNotFound))
	}
	if derived && method != http.MethodGet {
		return errResult(httpErr(http.StatusMethodNotAllowed))
	}
	s.syncDerived(cd.table)
	sd := s.schemas.byID[cd.schema]
	switch len(segs) {
	case 1:
		return s.serveCollection(rc, method, cd, sd)
	case 2:
		return s.serveResource(rc, method, cd, sd, segs[1])
	case 3:
		if method != http.MethodGet {
			return errResult(httpErr(http.StatusMethodNotAllowed))
		}
		r := s.lookup(cd, segs[1])
		if r == nil {
			return errResult(httpErr(http.StatusNotFound))
		}
		return s.serveLink(rc, r, strings.ToLower(segs[2]))
	}
	return errResult(httpErr(http.StatusNotFound))
}

// lookup finds a resource of a collection by id (settings by name), or nil.
func (s *Server) lookup(cd collDef, id string) *resource {
	if cd.table == "setting" {
		return s.setting(id)
	}
	r := s.st.get(cd.table, id)
	if r == nil || (cd.kind != "" && r.typ != cd.kind) {
		return nil
	}
	return r
}

// members lists the resources of a collection.
func (s *Server) members(cd collDef) []*resource {
	var out []*resource
	for _, r := range s.st.all(cd.table) {
		if cd.kind == "" || r.typ == cd.kind {
			out = append(out, r)
		}
	}
	return out
}

func (s *Server) serveCollection(rc *reqCtx, method string, cd collDef, sd *schemaDef) result {
	switch method {
	case http.MethodGet:
		return result{status: 200, body: s.collection(rc, sd, s.members(cd), func(r *resource) bool { return s.st.has(r) })}
	case http.MethodPost:
		if !sd.allows(sd.CollectionMethods, "POST") || !rc.canWrite() {
			return errResult(httpErr(http.StatusMethodNotAllowed))
		}
		body, aerr := rc.decodedBody()
		if aerr != nil {
			return errResult(aerr)
		}
		if rc.version == "v1" {
			fromV1Body(body)
		}
		r, aerr := s.create(rc, cd, body)
		if aerr != nil {
			return errResult(aerr)
		}
		return result{status: http.StatusCreated, body: s.renderOne(rc, r)}
	}
	return errResult(httpErr(http.StatusMethodNotAllowed))
}

func (s *Server) serveResource(rc *reqCtx, method string, cd collDef, sd *schemaDef, id string) result {
	r := s.lookup(cd, id)
	if r == nil {
		return errResult(httpErr(http.StatusNotFound))
	}
	if action := rc.r.URL.Query().Get("action"); action != "" && method == http.MethodPost {
		return s.serveAction(rc, r, action)
	}
	if isSystem(r) && (method == http.MethodPut || method == http.MethodDelete) {
		verb := map[string]string{http.MethodPut: "update", http.MethodDelete: "delete"}[method]
		return errResult(httpErrMsg(http.StatusForbidden, "Cannot "+verb+" system "+r.table))
	}
	switch method {
	case http.MethodGet:
		return result{status: 200, body: s.renderOne(rc, r)}
	case http.MethodPut:
		if !sd.allows(sd.ResourceMethods, "PUT") || !rc.canWrite() {
			return errResult(httpErr(http.StatusMethodNotAllowed))
		}
		body, aerr := rc.decodedBody()
		if aerr != nil {
			return errResult(aerr)
		}
		if aerr := s.update(rc, r, body); aerr != nil {
			return errResult(aerr)
		}
		return result{status: 200, body: s.renderOne(rc, r)}
	case http.MethodDelete:
		if !sd.allows(sd.ResourceMethods, "DELETE") || !rc.canWrite() {
			return errResult(httpErr(http.StatusMethodNotAllowed))
		}
		if aerr := s.remove(r); aerr != nil {
			return errResult(aerr)
		}
		return result{status: 200, body: s.renderOne(rc, r)}
	}
	return errResult(httpErr(http.StatusMethodNotAllowed))
}

// serveAction runs ?action=name: 422 InvalidAction for unknown names, ActionNotAvailable when the
// state does not allow it, 202 for process actions and 200 for API handler actions.
func (s *Server) serveAction(rc *reqCtx, r *resource, name string) result {
	sd := s.schemas.byID[r.typ]
	if sd == nil || !sd.ResourceActions[name] {
		return errResult(invalid(codeInvalidAction, "action"))
	}
	if !s.actionLegal(r, name) {
		return errResult(invalid(codeActionNotAvailable, "action"))
	}
	if !rc.canWrite() && name != "exportconfig" && name != "logs" {
		return errResult(httpErr(http.StatusForbidden))
	}
	body, aerr := rc.decodedBody()
	if aerr != nil {
		return errResult(aerr)
	}
	if rc.version == "v1" {
		fromV1Body(body)
	}
	return s.runAction(rc, r, name, body)
}

// decodeEarly decodes a POST's or PUT's body before the request waits for s.mu (decoding a service's
// create took a fifth of its hold); decodedBody hands the result to the handler.
func (rc *reqCtx) decodeEarly(method string) {
	if method == http.MethodPost || method == http.MethodPut {
		rc.early = &earlyBody{}
		rc.early.body, rc.early.err = decodeBody(rc.body)
	}
}

// earlyBody is a body decodeEarly decoded.
type earlyBody struct {
	body map[string]any
	err  *apiError
}

// decodedBody is the request's body as decodeBody reads it, decoded early if it was (once: a second call
// decodes again, the handler may have changed the first map).
func (rc *reqCtx) decodedBody() (map[string]any, *apiError) {
	if e := rc.early; e != nil {
		rc.early = nil
		return e.body, e.err
	}
	return decodeBody(rc.body)
}

// decodeBody reads a JSON object keeping numbers exact; an empty body or null is an empty object.
func decodeBody(b []byte) (map[string]any, *apiError) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, invalid(codeInvalidBodyContent, "body")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalid(codeInvalidBodyContent, "body")
	}
	delete(m, "links")
	delete(m, "actions")
	return m, nil
}

func (s *Server) versionRoot(rc *reqCtx) map[string]any {
	links := map[string]any{"self": rc.prefix(), "schemas": rc.schemasURL()}
	for path, cd := range collections {
		if cd.schema == "environment" && rc.version != "v1" {
			continue
		}
		if cd.schema == "stack" && rc.version == "v1" {
			continue
		}
		if sd := s.schemas.byID[cd.schema]; sd != nil {
			links[sd.PluralName] = rc.prefix() + "/" + path
		}
	}
	for id := range s.schemas.advertised {
		sd := s.schemas.byID[id]
		if _, done := links[sd.PluralName]; !done && id != "schema" {
			links[sd.PluralName] = rc.prefix() + "/" + sd.collectionPath()
		}
	}
	return map[string]any{"id": rc.version, "type": "apiVersion", "links": links, "actions": map[string]any{}}
}

func (s *Server) serveSchemas(rc *reqCtx, method string, rest []string) result {
	if method != http.MethodGet {
		return errResult(httpErr(http.StatusMethodNotAllowed))
	}
	raw := s.schemas.project
	switch {
	case rc.version == "v1":
		raw = s.schemas.v1
	case !rc.canWrite():
		raw = s.schemas.user
	}
	if s.exposeExit {
		raw = s.schemas.withExitCode(raw)
	}
	raw = strings.ReplaceAll(raw, dumpBase, rc.prefix())
	if len(rest) == 0 {
		return result{status: 200, raw: raw}
	}
	var doc map[string]any
	_ = json.Unmarshal([]byte(raw), &doc)
	for _, d := range asList(doc["data"]) {
		if m := asMap(d); strings.EqualFold(m["id"].(string), rest[0]) {
			b, _ := json.Marshal(m)
			return result{status: 200, raw: string(b)}
		}
	}
	return errResult(httpErr(http.StatusNotFound))
}
