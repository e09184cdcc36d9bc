package sim

import (
	"sort"
	"time"
)

const dateLayout = "2006-01-02T15:04:05Z"

var baseTypes = map[string]string{
	"service": "service", "stack": "stack", "instance": "instance", "host": "host", "project": "project",
	"serviceConsumeMap": "serviceConsumeMap", "certificate": "certificate", "pullTask": "genericObject",
	"volumeTemplate": "volumeTemplate", "volume": "volume", "mount": "mount", "network": "network", "port": "port",
	"image": "image", "serviceExposeMap": "serviceExposeMap", "ipAddress": "ipAddress", "storagePool": "storagePool",
	"apiKey": "credential",
}

// render turns r into its API JSON: every schema field (nulls included, dates with a TS twin),
// id, type, baseType, links, actions and the computed transitioning fields.
func (s *Server) render(rc *reqCtx, r *resource) map[string]any {
	sd := s.schemas.byID[r.typ]
	size := len(r.f) + 16
	if sd != nil {
		size = 2*len(sd.Fields) + 16 // fields, their TS twins, the computed ones
	}
	out := make(map[string]any, size)
	var times []string // keys holding a time.Time, written with their TS twins once every field is in
	if sd != nil {
		for _, fd := range sd.Fields {
			v, ok := r.f[fd.Name]
			if !ok || v == nil {
				v = nil
				if fd.Type == "boolean" && !fd.Nullable {
					v = false
					if b, isBool := fd.Default.(bool); isBool {
						v = b
					}
				}
			}
			if fd.Type == "date" {
				out[fd.Name+"TS"] = nil
			}
			fv := s.formatField(fd.Type, v)
			if _, isTime := fv.(time.Time); isTime {
				times = append(times, fd.Name)
			}
			out[fd.Name] = fv
		}
	} else {
		for k, v := range r.f {
			if _, isTime := v.(time.Time); isTime {
				times = append(times, k)
			}
			out[k] = v
		}
	}
	for _, k := range times {
		if t, ok := out[k].(time.Time); ok {
			out[k] = t.UTC().Format(dateLayout)
			out[k+"TS"] = t.UnixMilli()
		}
	}
	s.addComputed(rc, r, out)
	s.addExitCode(r, out)
	out["id"] = r.id()
	out["type"] = r.typ
	if bt := baseTypes[r.table]; bt != "" {
		out["baseType"] = bt
	}
	out["links"] = s.links(rc, r)
	actions := map[string]any{}
	self := s.selfURL(rc, r)
	for _, a := range s.legalActions(r) {
		actions[a] = self + "/?action=" + a
	}
	out["actions"] = actions
	s.addTransitioning(r, out)
	return out
}

func (s *Server) addTransitioning(r *resource, out map[string]any) {
	if _, has := out["transitioning"]; !has && r.table == "setting" {
		return
	}
	switch {
	case r.trError:
		out["transitioning"] = "error"
		out["transitioningMessage"] = nilIfEmpty(r.trMsg)
		out["transitioningProgress"] = nil
	case transitioningStates[r.state()]:
		out["transitioning"] = "yes"
		msg := r.trMsg
		if msg == "" {
			msg = "In Progress"
		}
		out["transitioningMessage"] = msg
		out["transitioningProgress"] = r.trProg
	default:
		out["transitioning"] = "no"
		out["transitioningMessage"] = nil
		out["transitioningProgress"] = nil
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// collectionPathFor is the URL segment of r's own collection.
func (s *Server) collectionPathFor(r *resource) string {
	if sd := s.schemas.byID[r.typ]; sd != nil && r.typ != "instance" {
		return sd.collectionPath()
	}
	switch r.table {
	case "instance":
		return "containers"
	case "setting":
		return "settings"
	}
	return r.table + "s"
}

func (s *Server) selfURL(rc *reqCtx, r *resource) string {
	if r.table == "project" {
		return rc.unscopedPrefix() + "/projects/" + r.id()
	}
	return rc.url(s.collectionPathFor(r), r.id())
}

// links are the per-type link maps of real 1.6 output (keys camelCase, URLs lower-case).
func (s *Server) links(rc *reqCtx, r *resource) map[string]any {
	self := s.selfURL(rc, r)
	l := map[string]any{"self": self}
	if r.table != "setting" && r.table != "project" {
		l["account"] = rc.unscopedPrefix() + "/accounts/" + s.env.id
	}
	sub := func(names ...string) {
		for _, n := range names {
			l[n] = self + "/" + lowerName(n)
		}
	}
	switch r.table {
	case "stack":
		sub("services", "volumes", "volumeTemplates", "composeConfig")
		if r.f["binding"] == nil {
			delete(l, "binding")
		}
	case "service":
		sub("instances", "consumedservices", "consumedbyservices", "serviceExposeMaps", "serviceLogs",
			"networkDrivers", "storageDrivers", "containerStats")
		if st := s.st.get("stack", r.str("stackId")); st != nil {
			l["stack"] = rc.url("stacks", st.id())
		}
	case "instance":
		sub("hosts", "services", "instanceLabels", "mounts", "volumes", "containerStats")
	case "volume":
		sub("mounts")
	case "host":
		sub("instances", "hostLabels", "ipAddresses", "hostStats", "containerStats")
	case "serviceConsumeMap":
		l["service"] = rc.url("services", r.str("serviceId"))
		l["consumedService"] = rc.url("services", r.str("consumedServiceId"))
	case "project":
		l["schemas"] = rc.unscopedPrefix() + "/projects/" + r.id() + "/schemas"
	}
	return l
}

// lowerNames are lower(n) of the link names, made once.
var lowerNames = map[string]string{}

func init() {
	for _, n := range []string{"services", "volumes", "volumeTemplates", "composeConfig", "instances", "consumedservices",
		"consumedbyservices", "serviceExposeMaps", "serviceLogs", "networkDrivers", "storageDrivers", "containerStats",
		"hosts", "instanceLabels", "mounts", "hostLabels", "ipAddresses", "hostStats"} {
		lowerNames[n] = lower(n)
	}
}

func lowerName(n string) string {
	if l, ok := lowerNames[n]; ok {
		return l
	}
	return lower(n)
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// addComputed fills the read-only fields Rancher derives from other resources.
func (s *Server) addComputed(rc *reqCtx, r *resource, out map[string]any) {
	switch r.table {
	case "service":
		out["healthState"] = s.serviceHealth(r)
		ids := []any{}
		for _, c := range append(s.serviceContainers(r), s.selectedContainers(r)...) {
			ids = append(ids, c.id())
		}
		if _, has := out["instanceIds"]; has {
			out["instanceIds"] = ids
		}
		if _, has := out["linkedServices"]; has {
			out["linkedServices"] = s.linkedServices(r)
		}
		if _, has := out["publicEndpoints"]; has {
			out["publicEndpoints"] = s.publicEndpoints(rc, r)
		}
	case "stack":
		out["healthState"] = s.stackHealth(r)
		if rc.version == "v1" {
			delete(out, "serviceIds")
		} else {
			ids := []any{}
			for _, svc := range s.stackServices(r) {
				ids = append(ids, svc.id())
			}
			out["serviceIds"] = ids
		}
	case "host":
		ids := []any{}
		for _, c := range s.st.all("instance") {
			if c.ctr != nil && c.ctr.host == r && !c.removedOrRemoving() {
				ids = append(ids, c.id())
			}
		}
		out["instanceIds"] = ids
	case "instance":
		if c := r.ctr; c != nil && c.host != nil {
			out["hostId"] = c.host.id()
		}
	case "project":
		out["healthState"] = s.projectHealth()
	case "volume":
		entries := []any{}
		for _, m := range s.mountsOf("volumeId", r.id()) {
			name := ""
			if c := s.st.get("instance", m.str("instanceId")); c != nil {
				name = c.str("name")
			}
			entries = append(entries, map[string]any{"type": "mountEntry", "instanceId": m.str("instanceId"),
				"instanceName": name, "path": m.str("path"), "permissions": m.str("permissions"),
				"volumeId": r.id(), "volumeName": r.str("name")})
		}
		out["mounts"] = entries
	}
}

// renderOne is r's answer body: its cached encoding where there is one, else its rendering, encoded
// once s.mu is released where it can be (renderLater).
func (s *Server) renderOne(rc *reqCtx, r *resource) any { return s.renderLater(rc, r) }

// yieldAfter is how long a page renders holding s.mu for reading before it lets a waiting writer in
// (a variable for the tests).
var yieldAfter = 500 * time.Microsecond

// renderPage renders a collection's page. A big page whose resources changed takes milliseconds to
// render (some 3 ms per 100 services on one core, more on a busy one); held for reading all along, s.mu
// kept every change waiting, and through them (a waiting writer holds new readers back) every request
// that came after. So when the request holds s.mu
// for reading and still is not nil, every yieldAfter the page lets waiting writers in (s.mu released and
// taken again), then renders the rest as it then is, leaving out those still no longer reports listed.
//
// Such a page is not one snapshot, but each item in it is, and is still one the request's filters
// select. Cattle's pages are not one moment either: it selects the rows with one query, then fills each
// item's computed fields with queries of its own (a service's instanceIds from ServiceDaoImpl.getInstances,
// its linkedServices in ServiceOutputFilter: rancher-api.md §4.2, its read-only fields) while its
// processes keep committing. An item that changed out of the filter is left out rather than shown as it
// now is because Cattle's stored fields come from the listing query: it never shows, say, a service in a
// state its filter excluded. Without a waiting writer the page is one snapshot, as before.
func (s *Server) renderPage(rc *reqCtx, rs []*resource, still func(*resource) bool) []any {
	out := make([]any, 0, len(rs))
	yielded := false
	since := time.Now()
	for _, r := range rs {
		if still != nil && rc.readLocked && s.writersWaiting.Load() > 0 && time.Since(since) >= yieldAfter {
			s.mu.RUnlock()
			s.mu.RLock()
			yielded, since = true, time.Now()
		}
		if yielded && !still(r) {
			continue
		}
		out = append(out, s.renderLater(rc, r))
	}
	return out
}

func sortByNum(rs []*resource) {
	sort.Slice(rs, func(i, j int) bool { return rs[i].num < rs[j].num })
}
