package sim

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// schemasDump is a real `GET /v2-beta/schemas` answer from a Rancher 1.6 server (the go-rancher
// docs/input/schemas.json fixture, Apache-2.0), gzipped. It is served with links rewritten.
//
//go:embed schemas-v2-beta.json.gz
var schemasDump []byte

// dumpBase is the server address the dump was taken from; it is replaced by the simulator's own.
const dumpBase = "http://104.198.187.165:8080/v2-beta"

// fieldDef is one resourceFields entry we need for rendering and validation.
type fieldDef struct {
	Name     string
	Type     string
	Nullable bool
	Default  any
	Create   bool
	Update   bool
}

// schemaDef is what the simulator uses of one schema.
type schemaDef struct {
	ID                string
	PluralName        string
	Fields            []fieldDef // sorted by name
	fieldByName       map[string]fieldDef
	Filters           map[string][]string // collectionFilters: field → modifiers
	ResourceActions   map[string]bool
	CollectionMethods []string
	ResourceMethods   []string
	// renderKeys are, sorted, the keys render may give a resource of this schema: its fields, their TS
	// twins and renderedExtras (appendJSONObjectIn).
	renderKeys []string
}

// renderedExtras are the keys render adds to a resource's schema fields.
var renderedExtras = []string{"actions", "baseType", "healthState", "hostId", "id", "instanceIds", "lastExitCode",
	"linkedServices", "links", "mounts", "publicEndpoints", "serviceIds", "transitioning", "transitioningMessage",
	"transitioningProgress", "type"}

// schemaSet is the parsed dump plus the raw variants served to clients.
type schemaSet struct {
	byID     map[string]*schemaDef
	byPlural map[string]*schemaDef // lower-case collection path segment → schema
	// advertised are the schema ids whose schema links to a collection.
	advertised map[string]bool
	project    string // raw JSON, full project-role view
	user       string // raw JSON for an account key without a project: stack/service read-only
	v1         string // raw JSON for /v1: adds the "environment" type
	// withExit caches the variants above with the container field lastExitCode (exitcode.go); guarded by Server.mu.
	withExit map[string]string
}

func loadSchemas() (*schemaSet, error) {
	zr, err := gzip.NewReader(bytes.NewReader(schemasDump))
	if err != nil {
		return nil, fmt.Errorf("reading embedded schemas: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("reading embedded schemas: %w", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("parsing embedded schemas: %w", err)
	}
	set := &schemaSet{byID: map[string]*schemaDef{}, byPlural: map[string]*schemaDef{}, advertised: map[string]bool{}}
	for _, d := range asList(doc["data"]) {
		sd := parseSchema(asMap(d))
		if _, ok := asMap(asMap(d)["links"])["collection"]; ok {
			set.advertised[sd.ID] = true
		}
		set.byID[sd.ID] = sd
		set.byPlural[strings.ToLower(sd.PluralName)] = sd
	}
	set.project = variant(doc, projectRole)
	set.user = variant(doc, func(s map[string]any) {
		projectRole(s)
		if id := s["id"]; id == "stack" || id == "service" || id == "loadBalancerService" || id == "dnsService" || id == "externalService" {
			s["collectionMethods"] = []any{"GET"}
			s["resourceMethods"] = []any{"GET"}
		}
	})
	set.v1 = v1Schemas(doc, set)
	return set, nil
}

// projectRole applies the environment-key permissions of §1.5 to the admin dump: hosts are
// registered by agents (no POST), instances are read-only.
func projectRole(s map[string]any) {
	switch s["id"] {
	case "host":
		s["collectionMethods"] = []any{"GET"}
	case "instance":
		s["collectionMethods"] = []any{"GET"}
		s["resourceMethods"] = []any{"GET"}
	}
}

// variant re-serialises the dump after edit has changed each schema.
func variant(doc map[string]any, edit func(map[string]any)) string {
	c := deepCopy(doc).(map[string]any)
	for _, d := range asList(c["data"]) {
		edit(asMap(d))
	}
	b, _ := json.Marshal(c)
	return string(b)
}

// v1Schemas adds the v1 "environment" type (the v2-beta stack) to the dump.
func v1Schemas(doc map[string]any, set *schemaSet) string {
	c := deepCopy(doc).(map[string]any)
	var env map[string]any
	for _, d := range asList(c["data"]) {
		projectRole(asMap(d))
		if s := asMap(d); s["id"] == "stack" {
			env = deepCopy(s).(map[string]any)
		}
	}
	if env != nil {
		env["id"] = "environment"
		env["pluralName"] = "environments"
		env["links"] = map[string]any{"self": dumpBase + "/schemas/environment", "collection": dumpBase + "/environments"}
		c["data"] = append(asList(c["data"]), env)
		sd := parseSchema(env)
		set.byID["environment"] = sd
		set.byPlural["environments"] = sd
	}
	b, _ := json.Marshal(c)
	return string(b)
}

func parseSchema(s map[string]any) *schemaDef {
	sd := &schemaDef{
		ID:              fmt.Sprint(s["id"]),
		PluralName:      fmt.Sprint(s["pluralName"]),
		fieldByName:     map[string]fieldDef{},
		Filters:         map[string][]string{},
		ResourceActions: map[string]bool{},
	}
	for name, v := range asMap(s["resourceFields"]) {
		m := asMap(v)
		fd := fieldDef{Name: name, Type: fmt.Sprint(m["type"]), Nullable: toBool(m["nullable"]), Default: m["default"],
			Create: toBool(m["create"]), Update: toBool(m["update"])}
		sd.Fields = append(sd.Fields, fd)
		sd.fieldByName[name] = fd
	}
	sort.Slice(sd.Fields, func(i, j int) bool { return sd.Fields[i].Name < sd.Fields[j].Name })
	for name, v := range asMap(s["collectionFilters"]) {
		sd.Filters[name] = stringList(asMap(v)["modifiers"])
	}
	for name := range asMap(s["resourceActions"]) {
		sd.ResourceActions[name] = true
	}
	sd.CollectionMethods = stringList(s["collectionMethods"])
	sd.ResourceMethods = stringList(s["resourceMethods"])
	sd.renderKeys = renderKeysOf(sd.Fields)
	return sd
}

func renderKeysOf(fields []fieldDef) []string {
	keys := map[string]bool{}
	for _, fd := range fields {
		keys[fd.Name] = true
		if fd.Type == "date" {
			keys[fd.Name+"TS"] = true
		}
	}
	for _, k := range renderedExtras {
		keys[k] = true
	}
	return sortedKeys(keys)
}

func (sd *schemaDef) allows(methods []string, m string) bool {
	for _, x := range methods {
		if x == m {
			return true
		}
	}
	return false
}

// collectionPath is the lower-cased plural used in URLs.
func (sd *schemaDef) collectionPath() string { return strings.ToLower(sd.PluralName) }
