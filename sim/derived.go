package sim

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// advertisedCollections are the collections the schema document links to that the simulator has no
// dedicated table for (collDef in dispatch.go): each answers GET with a real collection, its content
// derived from what the simulator holds where it holds it (ports, mounts, images, networks, expose
// maps, IP addresses, storage pools, API keys, accounts), empty otherwise. They are read-only here:
// POST answers 405.
func (s *Server) advertisedCollection(segment string) (collDef, bool) {
	sd := s.schemas.byPlural[strings.ToLower(segment)]
	if sd == nil || !s.schemas.advertised[sd.ID] {
		return collDef{}, false
	}
	switch sd.ID {
	case "account":
		return collDef{schema: "account", table: "project"}, true
	case "schema":
		return collDef{}, false
	}
	return collDef{schema: sd.ID, table: sd.ID}, true
}

// derivedTables are rebuilt from the simulation before they are read.
var derivedTables = setOf("port", "image", "serviceExposeMap", "ipAddress", "storagePool", "apiKey",
	"containerEvent", "serviceEvent")

// syncDerived brings a derived table up to date: one record per source key (kept with its id while
// the source lives), removed when the source goes. Caller holds s.mu.
func (s *Server) syncDerived(table string) {
	if !derivedTables[table] {
		return
	}
	want := map[string]map[string]any{}
	switch table {
	case "port":
		s.wantPorts(want)
	case "image":
		s.wantImages(want)
	case "serviceExposeMap":
		s.wantExposeMaps(want)
	case "ipAddress":
		s.wantIPAddresses(want)
	case "storagePool":
		s.wantStoragePools(want)
	case "containerEvent":
		s.wantContainerEvents(want)
	case "serviceEvent":
		s.wantServiceEvents(want)
	case "apiKey":
		for i, k := range s.keys {
			want[k.access] = map[string]any{"name": fmt.Sprintf("key%d", i+1), "publicValue": k.access,
				"secretValue": nil, "state": "active", "kind": "apiKey"}
		}
	}
	s.st.syncKeyed(table, want, s.clk.Now())
}

// syncKeyed makes the table hold exactly one live record per key of want, updating the fields of
// existing ones and removing those whose key went away.
func (st *store) syncKeyed(table string, want map[string]map[string]any, now time.Time) {
	if st.keyed == nil {
		st.keyed = map[string]*resource{}
	}
	for _, key := range sortedKeys(want) {
		r := st.keyed[table+"\x00"+key]
		if r == nil || r.state() == "removed" {
			f := want[key]
			r = st.insert(&resource{typ: table, table: table, f: f}, now)
			st.keyed[table+"\x00"+key] = r
			continue
		}
		for k, v := range want[key] {
			r.f[k] = v
		}
	}
	for k, r := range st.keyed {
		name, key, _ := strings.Cut(k, "\x00")
		if name != table || r.state() == "removed" {
			continue
		}
		if _, ok := want[key]; !ok {
			r.f["state"] = "removed"
			r.f["removed"] = now
		}
	}
}

// wantPorts: a port record per published port of a live container, active while it runs.
func (s *Server) wantPorts(want map[string]map[string]any) {
	for _, c := range s.st.all("instance") {
		if c.removedOrRemoving() {
			continue
		}
		for _, spec := range stringList(c.f["ports"]) {
			p, err := parsePortSpec(spec)
			if err != nil || p.public == 0 {
				continue
			}
			state := "inactive"
			if c.state() == "running" {
				state = "active"
			}
			want[c.id()+"/"+p.spec()] = map[string]any{"publicPort": p.public, "privatePort": p.private,
				"protocol": p.protocol, "instanceId": c.id(), "bindAddress": nilIfEmpty(p.ip), "kind": "userPort",
				"state": state}
		}
	}
}

// wantImages: one image per image a live container uses.
func (s *Server) wantImages(want map[string]map[string]any) {
	for _, c := range s.st.all("instance") {
		if img := str(c.f["imageUuid"]); img != "" && !c.removedOrRemoving() {
			want[img] = map[string]any{"name": strings.TrimPrefix(img, "docker:"), "kind": "container", "state": "active"}
		}
	}
}

// wantExposeMaps: a serviceExposeMap per container a service manages.
func (s *Server) wantExposeMaps(want map[string]map[string]any) {
	for _, c := range s.st.all("instance") {
		if c.ctr == nil || c.ctr.service == nil || c.removedOrRemoving() {
			continue
		}
		want[c.id()] = map[string]any{"serviceId": c.ctr.service.id(), "instanceId": c.id(), "managed": true,
			"kind": "serviceExposeMap", "state": "active"}
	}
}

// wantIPAddresses: each host's agent address and each live container's primary address.
func (s *Server) wantIPAddresses(want map[string]map[string]any) {
	for _, h := range s.st.all("host") {
		if a := h.str("agentIpAddress"); a != "" && !h.removedOrRemoving() {
			want[h.id()] = map[string]any{"address": a, "kind": "hostIp", "name": nil, "state": "active"}
		}
	}
	for _, c := range s.st.all("instance") {
		if a := str(c.f["primaryIpAddress"]); a != "" && !c.removedOrRemoving() {
			want[c.id()] = map[string]any{"address": a, "kind": "containerIp", "state": "active"}
		}
	}
}

// wantStoragePools: one local pool per host.
func (s *Server) wantStoragePools(want map[string]map[string]any) {
	for _, h := range s.st.all("host") {
		if !h.removedOrRemoving() {
			want[h.id()] = map[string]any{"name": h.str("name") + " local", "kind": "sim", "hostIds": []any{h.id()},
				"state": "active", "driverName": nil, "volumeAccessMode": "singleHostRW"}
		}
	}
}

// seedNetworks creates the environment's networks, one per networkMode a launch config can name.
func (s *Server) seedNetworks(now time.Time) {
	for _, n := range []string{"managed", "host", "bridge", "none", "container"} {
		kind := "dockerNetwork"
		if n == "managed" {
			kind = "network"
		}
		s.st.insert(&resource{typ: "network", table: "network", f: map[string]any{"name": n, "kind": kind,
			"state": "active", "hostPorts": n == "host"}}, now)
	}
}

// shortTypeCode is Cattle's TypeIdFormatter short type: the first letter and the upper-case letters.
func shortTypeCode(typ string) string {
	if typ == "" {
		return ""
	}
	out := strings.ToLower(typ[:1])
	for _, c := range typ[1:] {
		if c >= 'A' && c <= 'Z' {
			out += strings.ToLower(string(c))
		}
	}
	return "1" + out
}

// dockerEvents are the docker events an agent reports for the container states the simulator walks.
var dockerEvents = map[string]string{"creating": "create", "running": "start", "stopped": "die", "removed": "destroy"}

// wantContainerEvents: a containerEvent per docker event of each known container's history.
func (s *Server) wantContainerEvents(want map[string]map[string]any) {
	for _, c := range s.st.all("instance") {
		if c.ctr == nil {
			continue
		}
		for i, h := range c.ctr.history {
			status, ok := dockerEvents[h.State]
			if !ok {
				continue
			}
			ev := map[string]any{"externalId": c.f["externalId"], "externalStatus": status,
				"externalFrom": strings.TrimPrefix(str(c.f["imageUuid"]), "docker:"), "externalTimestamp": h.At.Unix(),
				"kind": "containerEvent", "state": "processed"}
			if c.ctr.host != nil {
				ev["hostId"] = c.ctr.host.id()
				ev["reportedHostUuid"] = c.ctr.host.f["uuid"]
			}
			want[fmt.Sprintf("%s/%d", c.id(), i)] = ev
		}
	}
}

// wantServiceEvents: a serviceEvent per health-check verdict change of a container (UP / DOWN).
func (s *Server) wantServiceEvents(want map[string]map[string]any) {
	for _, c := range s.st.all("instance") {
		if c.ctr == nil {
			continue
		}
		for i, h := range c.ctr.healthLog {
			reported := map[string]string{"healthy": "UP", "unhealthy": "DOWN"}[h.State]
			ev := map[string]any{"instanceId": c.id(), "reportedHealth": reported, "externalTimestamp": h.At.Unix(),
				"healthcheckUuid": c.f["uuid"], "kind": "serviceEvent", "state": "processed"}
			if c.ctr.host != nil {
				ev["hostId"] = c.ctr.host.id()
			}
			want[fmt.Sprintf("%s/%d", c.id(), i)] = ev
		}
	}
}

// auditLogLimit bounds the audit log: the oldest entries go first.
const auditLogLimit = 5000

// recordAudit adds an auditLog entry for a request that may change state: eventType
// "api.<type>.<create|update|delete|action>", the resource's numeric id, the answer's status. The
// request body is not kept (requestObject null): it may carry secrets. Caller holds s.mu.
func (s *Server) recordAudit(rc *reqCtx, method string, segs []string, res result) {
	if len(segs) == 0 {
		return
	}
	typ := strings.ToLower(segs[0])
	if cd, ok := collections[typ]; ok {
		typ = cd.schema
	} else if sd := s.schemas.byPlural[typ]; sd != nil {
		typ = sd.ID
	}
	action := map[string]string{http.MethodPost: "create", http.MethodPut: "update", http.MethodDelete: "delete"}[method]
	if a := rc.r.URL.Query().Get("action"); a != "" {
		action = a
	}
	var id any
	ref := ""
	if len(segs) > 1 {
		ref = segs[1]
	} else if res.status < 300 {
		switch b := res.body.(type) {
		case map[string]any:
			ref = str(b["id"])
		case *pendingRender:
			ref = b.r.id()
		}
	}
	if n, ok := parseID(ref); ok {
		id = n
	}
	authType := any(nil)
	if rc.account != nil {
		authType = "apiKey"
	}
	host, _, _ := net.SplitHostPort(rc.r.RemoteAddr)
	s.st.insert(&resource{typ: "auditLog", table: "auditLog", f: map[string]any{
		"kind": "auditLog", "eventType": "api." + typ + "." + action, "resourceType": typ, "resourceId": id,
		"responseCode": strconv.Itoa(res.status), "authType": authType, "authenticatedAsAccountId": projectID,
		"clientIp": host, "requestObject": nil, "responseObject": nil,
	}}, s.clk.Now())
	s.st.trim("auditLog", auditLogLimit)
}

// trim keeps the newest n records of a table.
func (st *store) trim(table string, n int) {
	t := st.tbl(table)
	for len(t.order) > n {
		delete(t.byNum, t.order[0].num)
		t.order = t.order[1:]
	}
}
