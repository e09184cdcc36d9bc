package sim

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// Tests named TestChecklistNN follow rancher-api.md §7.4, one per item.

func TestChecklist01SchemasHeaderOnEveryAnswerAndScopedLowerCaseLinks(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	settle(t, s)
	answers := map[string]reply{
		"root":       c.do("GET", "/v2-beta", nil),
		"collection": c.do("GET", "/v2-beta/stacks", nil),
		"resource":   c.do("GET", "/v2-beta/stacks/"+st["id"].(string), nil),
		"404":        c.do("GET", "/v2-beta/stacks/1st999", nil),
		"422":        c.do("POST", "/v2-beta/stacks", map[string]any{"name": "app"}),
		"405":        c.do("DELETE", "/v2-beta/settings/rancher.compose.version", nil),
		"action":     c.do("POST", "/v2-beta/stacks/"+st["id"].(string)+"/?action=exportconfig", nil),
	}
	c.pass = "bad"
	answers["401"] = c.do("GET", "/v2-beta", nil)
	c.pass = s.SecretKey()
	for name, a := range answers {
		if want := s.URL() + "/v2-beta/schemas"; a.header.Get("X-API-Schemas") != want {
			t.Errorf("%s (%d): X-API-Schemas %q, want %q", name, a.status, a.header.Get("X-API-Schemas"), want)
		}
	}
	scoped := c.do("GET", "/v2-beta/projects/1a5/stacks", nil)
	if h := scoped.header.Get("X-API-Schemas"); h != s.URL()+"/v2-beta/projects/1a5/schemas" {
		t.Errorf("scoped X-API-Schemas %q", h)
	}
	self := strOf(asMap(asList(scoped.body["data"])[0].(map[string]any)["links"])["self"])
	if !strings.HasPrefix(self, s.URL()+"/v2-beta/projects/1a5/stacks/") {
		t.Errorf("scoped self link %q lacks the sub-context", self)
	}
	if h := c.do("GET", "/v2-beta/projects/1a5", nil).header.Get("X-API-Schemas"); h != s.URL()+"/v2-beta/schemas" {
		t.Errorf("GET project (4 segments) X-API-Schemas %q, want the unscoped one", h)
	}
	schemas := c.get("/v2-beta/projects/1a5/schemas")
	found := 0
	for _, d := range asList(schemas["data"]) {
		m := asMap(d)
		coll := strOf(asMap(m["links"])["collection"])
		if coll != "" && coll != strings.ToLower(coll) {
			t.Errorf("schema %v collection link not lower-case: %s", m["id"], coll)
		}
		switch m["id"] {
		case "loadBalancerService":
			found++
			if coll != s.URL()+"/v2-beta/projects/1a5/loadbalancerservices" {
				t.Errorf("loadBalancerService collection %q", coll)
			}
		case "stack":
			found++
			if !contains(stringList(m["collectionMethods"]), "POST") {
				t.Errorf("stack schema must allow POST for an environment key: %v", m["collectionMethods"])
			}
		}
	}
	if found != 2 {
		t.Fatalf("schemas lack stack or loadBalancerService")
	}
}

func TestChecklist02FiltersUnknownIgnoredNilAcceptedPagination(t *testing.T) {
	s, c := startSim(t, Options{})
	for i := 0; i < 105; i++ {
		c.createStack(fmt.Sprintf("s%03d", i))
	}
	settle(t, s)
	all := c.get("/v2-beta/stacks?limit=1000")
	if n := len(asList(all["data"])); n != 105 {
		t.Fatalf("limit=1000 gave %d stacks", n)
	}
	unknown := c.get("/v2-beta/stacks?bogusFilter=x&limit=1000")
	if n := len(asList(unknown["data"])); n != 105 {
		t.Errorf("an unknown filter should be ignored, got %d stacks", n)
	}
	byName := c.get("/v2-beta/stacks?name=S007&removed_null=%3Cnil%3E")
	if d := asList(byName["data"]); len(d) != 1 || asMap(d[0])["name"] != "s007" {
		t.Errorf("name filter (case-insensitive) with removed_null=<nil>: %v", d)
	}
	like := c.get("/v2-beta/stacks?name_like=s10%25")
	if n := len(asList(like["data"])); n != 5 {
		t.Errorf("name_like=s10%% gave %d, want 5", n)
	}
	page := c.get("/v2-beta/stacks")
	p := asMap(page["pagination"])
	if len(asList(page["data"])) != 100 || p["partial"] != true || !strings.Contains(strOf(p["next"]), "marker=m100") {
		t.Fatalf("first page: %d items, pagination %v", len(asList(page["data"])), p)
	}
	next := c.get(strOf(p["next"]))
	if n := len(asList(next["data"])); n != 5 || asMap(next["pagination"])["partial"] != false {
		t.Errorf("second page: %d items, pagination %v", n, next["pagination"])
	}
}

func TestChecklist03ErrorJSONShapeAndCodes(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	dup := c.do("POST", "/v2-beta/stacks", map[string]any{"name": "APP"})
	assertError(t, dup, 422, "NotUnique", "name")
	for k, want := range map[string]any{"type": "error", "baseType": "error", "message": nil} {
		if dup.body[k] != want {
			t.Errorf("%s = %v, want %v", k, dup.body[k], want)
		}
	}
	if id := strOf(dup.body["id"]); len(id) != 36 || len(asMap(dup.body["links"])) != 0 || len(asMap(dup.body["actions"])) != 0 {
		t.Errorf("error id/links/actions: %v %v %v", dup.body["id"], dup.body["links"], dup.body["actions"])
	}
	assertError(t, c.do("POST", "/v2-beta/services", map[string]any{"stackId": st["id"]}), 422, "MissingRequired", "name")
	assertError(t, c.do("POST", "/v2-beta/services", map[string]any{"name": "web"}), 422, "InvalidState", "stackId")
	assertError(t, c.do("POST", "/v2-beta/services", map[string]any{"name": "we--b", "stackId": st["id"]}), 422, "InvalidCharacters", "name")
	assertError(t, c.do("POST", "/v2-beta/services", map[string]any{"name": "web", "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "nginx"}}), 422, "InvalidReference", "imageUuid")
	svc := c.must(201, "POST", "/v2-beta/services", map[string]any{"name": "web", "stackId": st["id"], "retainIp": true,
		"launchConfig": map[string]any{"imageUuid": "docker:nginx"}})
	settle(t, s)
	svc = c.reload(svc)
	quirk := c.do("POST", strOf(asMap(svc["actions"])["upgrade"]), map[string]any{"inServiceStrategy": map[string]any{
		"startFirst": true, "launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}})
	assertError(t, quirk, 422, "InvalidOption", "StartFirst option can't be used for service with retainIp field set")
	notFound := c.do("GET", "/v2-beta/services/1s999", nil)
	if notFound.status != 404 || notFound.body["code"] != "Not Found" || notFound.body["message"] != "Not Found" {
		t.Errorf("404: %s", notFound.raw)
	}
	if r := c.do("POST", "/v2-beta/hosts", map[string]any{"hostname": "x"}); r.status != 405 {
		t.Errorf("POST hosts: %d", r.status)
	}
	if r := c.do("POST", "/v2-beta/stacks", "{not json"); r.status != 422 || r.body["code"] != "InvalidBodyContent" {
		t.Errorf("bad JSON: %d %s", r.status, r.raw)
	}
	if st := s.Stats(); st.ByStatus["422"] < 5 {
		t.Errorf("byStatus %v", st.ByStatus)
	}
}

func assertError(t *testing.T, r reply, status int, code, field string) {
	t.Helper()
	if r.status != status || r.body["code"] != code || r.body["fieldName"] != field || r.body["type"] != "error" ||
		toInt(r.body["status"]) != int64(status) {
		t.Errorf("want %d %s/%s, got %d %s", status, code, field, r.status, r.raw)
	}
}

func actionNames(r map[string]any) string {
	var out []string
	for k := range asMap(r["actions"]) {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, " ")
}

func TestChecklist04ActionsPerStateAndActionNotAvailable(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:nginx"})
	if got := actionNames(svc); got != "addservicelink remove removeservicelink setservicelinks" {
		t.Errorf("registering: %s", got)
	}
	settle(t, s)
	svc = c.reload(svc)
	if got := actionNames(svc); got != "activate addservicelink remove removeservicelink setservicelinks update upgrade" {
		t.Errorf("inactive: %s", got)
	}
	assertError(t, c.do("POST", strOf(asMap(svc["links"])["self"])+"/?action=finishupgrade", nil), 422, "ActionNotAvailable", "action")
	assertError(t, c.do("POST", strOf(asMap(svc["links"])["self"])+"/?action=explode", nil), 422, "InvalidAction", "action")
	c.action(svc, "activate", nil, 202)
	settle(t, s)
	svc = c.reload(svc)
	if got := actionNames(svc); got != "addservicelink deactivate remove removeservicelink restart setservicelinks update upgrade" {
		t.Errorf("active: %s", got)
	}
	up := c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}}, 202)
	if got := actionNames(up); got != "addservicelink cancelupgrade remove removeservicelink rollback setservicelinks update" {
		t.Errorf("upgrading: %s", got)
	}
	settle(t, s)
	svc = c.reload(svc)
	if got := actionNames(svc); got != "addservicelink finishupgrade remove removeservicelink rollback setservicelinks" {
		t.Errorf("upgraded: %s", got)
	}
	stack := c.reload(st)
	if got := actionNames(stack); got != "activateservices addoutputs deactivateservices exportconfig remove update upgrade" {
		t.Errorf("active stack: %s", got)
	}
}

func TestChecklist05PutIgnoresLaunchConfigAppliesScale409InUpgraded(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:nginx"})
	settle(t, s)
	c.action(c.reload(svc), "activate", nil, 202)
	settle(t, s)
	self := strOf(asMap(svc["links"])["self"])
	put := c.must(200, "PUT", self, map[string]any{"scale": 3, "launchConfig": map[string]any{"imageUuid": "docker:evil"},
		"description": "d"})
	if put["state"] != "updating-active" || asMap(put["launchConfig"])["imageUuid"] != "docker:nginx" || put["description"] != "d" {
		t.Errorf("PUT answer: state %v image %v description %v", put["state"], asMap(put["launchConfig"])["imageUuid"], put["description"])
	}
	settle(t, s)
	if got := c.reload(svc); got["state"] != "active" || toInt(got["currentScale"]) != 3 || len(s.Containers(svc["id"].(string))) != 3 {
		t.Errorf("after scale: state %v currentScale %v containers %d", got["state"], got["currentScale"], len(s.Containers(svc["id"].(string))))
	}
	c.must(200, "PUT", self, map[string]any{"scale": 1})
	settle(t, s)
	if n := len(s.Containers(svc["id"].(string))); n != 1 {
		t.Errorf("scale down left %d containers", n)
	}
	c.action(c.reload(svc), "upgrade", map[string]any{"inServiceStrategy": map[string]any{"launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}}, 202)
	settle(t, s)
	if r := c.do("PUT", self, map[string]any{"scale": 2}); r.status != 409 || r.body["code"] != "Conflict" {
		t.Errorf("PUT scale in upgraded: %d %s", r.status, r.raw)
	}
	if r := c.do("PUT", self, map[string]any{"description": "still fine"}); r.status != 200 {
		t.Errorf("PUT of a non-scheduling field in upgraded: %d", r.status)
	}
}

// upgradeFixture activates a 4-container service on a manual clock with 1s steps.
func upgradeFixture(t *testing.T, opts Options, hc map[string]any) (*Server, *client, map[string]any) {
	opts.Clock = ManualClock
	opts.Step = time.Second
	opts.Hosts = 4
	s, c := startSim(t, opts)
	st := c.createStack("app")
	lc := map[string]any{"imageUuid": "docker:nginx:1"}
	if hc != nil {
		lc["healthCheck"] = hc
	}
	svc := c.createService(st["id"].(string), "web", 4, lc)
	advance(t, s, 2*time.Second)
	c.action(c.reload(svc), "activate", nil, 202)
	advance(t, s, time.Minute)
	svc = c.reload(svc)
	if svc["state"] != "active" {
		t.Fatalf("fixture: %v", svc["state"])
	}
	return s, c, svc
}

func advance(t *testing.T, s *Server, d time.Duration) {
	t.Helper()
	if err := s.Advance(d); err != nil {
		t.Fatal(err)
	}
}

func firstTime(ci ContainerInfo, state string) time.Time {
	for _, h := range ci.History {
		if h.State == state {
			return h.At
		}
	}
	return time.Time{}
}

func TestChecklist06InServiceUpgradeBatchesIntervalOldKeptFinishRollback(t *testing.T) {
	s, c, svc := upgradeFixture(t, Options{}, nil)
	id := svc["id"].(string)
	before := s.Containers(id)
	up := c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"batchSize": 2, "intervalMillis": 10000,
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}}, 202)
	if up["state"] != "upgrading" || asMap(up["launchConfig"])["imageUuid"] != "docker:nginx:2" {
		t.Fatalf("upgrade answer: %v %v", up["state"], asMap(up["launchConfig"])["imageUuid"])
	}
	advance(t, s, 5*time.Minute)
	svc = c.reload(svc)
	if svc["state"] != "upgraded" {
		t.Fatalf("state %v", svc["state"])
	}
	all := s.Containers(id)
	var old, fresh []ContainerInfo
	for _, ci := range all {
		if ci.Managed {
			fresh = append(fresh, ci)
		} else {
			old = append(old, ci)
		}
	}
	if len(old) != 4 || len(fresh) != 4 || len(asList(svc["instanceIds"])) != 8 {
		t.Fatalf("old %d new %d instanceIds %d", len(old), len(fresh), len(asList(svc["instanceIds"])))
	}
	for _, o := range old {
		if o.State != "stopped" {
			t.Errorf("old container %s is %s, want stopped", o.Name, o.State)
		}
	}
	// Batches of 2: the second batch's old containers stop at least intervalMillis after the first
	// batch's replacements run; without startFirst, each old container stops before its replacement starts.
	stops := []time.Time{}
	for _, o := range old {
		stops = append(stops, firstTime(o, "stopping"))
	}
	sort.Slice(stops, func(i, j int) bool { return stops[i].Before(stops[j]) })
	if !stops[0].Equal(stops[1]) || !stops[2].Equal(stops[3]) || stops[2].Sub(stops[1]) < 10*time.Second {
		t.Errorf("batch stop times %v", stops)
	}
	runs := []time.Time{}
	for _, f := range fresh {
		runs = append(runs, firstTime(f, "running"))
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].Before(runs[j]) })
	if !runs[0].After(stops[0]) || !runs[2].After(stops[2]) || !stops[2].After(runs[1]) {
		t.Errorf("startFirst=false ordering: stops %v runs %v", stops, runs)
	}
	// rollback: old containers restart with the same uuid, new ones go.
	c.action(svc, "rollback", nil, 202)
	advance(t, s, time.Minute)
	svc = c.reload(svc)
	after := s.Containers(id)
	if svc["state"] != "active" || len(after) != 4 || asMap(svc["launchConfig"])["imageUuid"] != "docker:nginx:1" {
		t.Fatalf("rollback: state %v, %d containers, image %v", svc["state"], len(after), asMap(svc["launchConfig"])["imageUuid"])
	}
	uuids := map[string]bool{}
	for _, b := range before {
		uuids[b.UUID] = true
	}
	for _, a := range after {
		if !uuids[a.UUID] || a.State != "running" || a.StartCount != 2 {
			t.Errorf("after rollback %s uuid known=%v state %s startCount %d", a.Name, uuids[a.UUID], a.State, a.StartCount)
		}
	}
	// upgrade again and finish: old containers are removed.
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"batchSize": 4, "intervalMillis": 100,
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:3"}}}, 202)
	advance(t, s, time.Minute)
	c.action(c.reload(svc), "finishupgrade", nil, 202)
	advance(t, s, time.Minute)
	final := s.Containers(id)
	if svc = c.reload(svc); svc["state"] != "active" || len(final) != 4 {
		t.Fatalf("finishupgrade: %v, %d containers", svc["state"], len(final))
	}
	for _, f := range final {
		if f.Image != "docker:nginx:3" || !f.Managed {
			t.Errorf("after finish: %s %s managed=%v", f.Name, f.Image, f.Managed)
		}
	}
}

func TestChecklist06StartFirstStartsNewBeforeStoppingOld(t *testing.T) {
	s, c, svc := upgradeFixture(t, Options{}, nil)
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"batchSize": 1, "intervalMillis": 2000,
		"startFirst": true, "launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}}, 202)
	advance(t, s, 5*time.Minute)
	if st := c.reload(svc)["state"]; st != "upgraded" {
		t.Fatalf("state %v", st)
	}
	var oldStops, newRuns []time.Time
	for _, ci := range s.Containers(svc["id"].(string)) {
		if ci.Managed {
			newRuns = append(newRuns, firstTime(ci, "running"))
		} else {
			oldStops = append(oldStops, firstTime(ci, "stopping"))
		}
	}
	sort.Slice(oldStops, func(i, j int) bool { return oldStops[i].Before(oldStops[j]) })
	sort.Slice(newRuns, func(i, j int) bool { return newRuns[i].Before(newRuns[j]) })
	for i := range oldStops {
		if newRuns[i].After(oldStops[i]) {
			t.Errorf("batch %d: new running at %v, old stopping at %v; startFirst wants new first", i, newRuns[i], oldStops[i])
		}
	}
}

func TestChecklist07TransitioningYesExactlyInTransitioningStatesAndErrorByFault(t *testing.T) {
	s, c := startSim(t, Options{Clock: ManualClock, Step: time.Second})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 2, map[string]any{"imageUuid": "docker:nginx"})
	advance(t, s, 2*time.Second)
	c.action(c.reload(svc), "activate", nil, 202)
	seen := map[string]bool{}
	for i := 0; i < 30; i++ {
		r := c.reload(svc)
		state, tr := strOf(r["state"]), strOf(r["transitioning"])
		seen[state] = true
		if want := map[bool]string{true: "yes", false: "no"}[transitioningStates[state]]; tr != want {
			t.Errorf("state %s: transitioning %s, want %s", state, tr, want)
		}
		if tr == "yes" && r["transitioningMessage"] == nil {
			t.Errorf("state %s: transitioningMessage null while transitioning", state)
		}
		for _, ct := range asList(c.get(strOf(asMap(r["links"])["instances"]))["data"]) {
			m := asMap(ct)
			if want := map[bool]string{true: "yes", false: "no"}[transitioningStates[strOf(m["state"])]]; m["transitioning"] != want {
				t.Errorf("container state %v: transitioning %v", m["state"], m["transitioning"])
			}
		}
		advance(t, s, 500*time.Millisecond)
	}
	if !seen["activating"] || !seen["active"] {
		t.Errorf("states seen: %v", seen)
	}
	s.SetFaults(Faults{ErrorStates: []string{"deactivating"}, ErrorMessage: "boom"})
	c.action(c.reload(svc), "deactivate", nil, 202)
	advance(t, s, 10*time.Second)
	r := c.reload(svc)
	if r["state"] != "deactivating" || r["transitioning"] != "error" || r["transitioningMessage"] != "boom" {
		t.Errorf("error fault: %v %v %v", r["state"], r["transitioning"], r["transitioningMessage"])
	}
}

func TestChecklist08HealthStateAggregation(t *testing.T) {
	code0 := 0
	s, c := startSim(t, Options{Hosts: 2, Images: []ImageBehavior{{Glob: "slow*", NeverHealthy: true}, {Glob: "job*", ExitCode: &code0}}})
	st := c.createStack("app")
	hc := map[string]any{"port": 80, "interval": 2000, "healthyThreshold": 2, "unhealthyThreshold": 3}
	mk := func(name, image string, scale int, labels map[string]any, ports []any) string {
		lc := map[string]any{"imageUuid": "docker:" + image, "healthCheck": hc}
		if labels != nil {
			lc["labels"] = labels
			delete(lc, "healthCheck")
		}
		if ports != nil {
			lc["ports"] = ports
		}
		svc := c.createService(st["id"].(string), name, scale, lc)
		settle(t, s)
		c.action(c.reload(svc), "activate", nil, 202)
		return svc["id"].(string)
	}
	ok := mk("ok", "nginx", 2, nil, nil)
	initializing := mk("init", "slow", 1, nil, nil)
	degraded := mk("half", "web", 3, map[string]any{"x": "y"}, []any{"8080:80/tcp"})
	once := mk("once", "job", 1, map[string]any{"io.rancher.container.start_once": "true"}, nil)
	settle(t, s)
	want := map[string]string{ok: "healthy", initializing: "initializing", degraded: "degraded", once: "started-once"}
	for id, w := range want {
		if got := strOf(c.get("/v2-beta/services/" + id)["healthState"]); got != w {
			t.Errorf("service %s healthState %s, want %s", id, got, w)
		}
	}
	if got := c.reload(st)["healthState"]; got != "initializing" {
		t.Errorf("stack healthState %v, want initializing (one service initializing)", got)
	}
	svc := c.get("/v2-beta/services/" + initializing)
	c.must(200, "DELETE", strOf(asMap(svc["links"])["self"]), nil)
	c.must(200, "DELETE", "/v2-beta/services/"+degraded, nil)
	settle(t, s)
	if got := c.reload(st)["healthState"]; got != "healthy" {
		t.Errorf("stack healthState %v, want healthy (healthy + started-once)", got)
	}
}

func TestChecklist09SchedulingAffinityGlobalSidekicksReservationsPorts(t *testing.T) {
	s, c := startSim(t, Options{Hosts: 3, PerHostLabels: []map[string]string{nil, {"role": "db"}}, HostMemory: 1 << 30})
	st := c.createStack("app")
	activate := func(body map[string]any) string {
		body["stackId"] = st["id"]
		svc := c.must(201, "POST", "/v2-beta/services", body)
		settle(t, s)
		c.action(c.reload(svc), "activate", nil, 202)
		settle(t, s)
		return svc["id"].(string)
	}
	db := activate(map[string]any{"name": "db", "scale": 2, "launchConfig": map[string]any{"imageUuid": "docker:redis",
		"labels": map[string]any{"io.rancher.scheduler.affinity:host_label": "role=db"}}})
	for _, ci := range s.Containers(db) {
		if ci.HostID != "1h2" {
			t.Errorf("host_label: %s on %s, want 1h2", ci.Name, ci.HostID)
		}
	}
	spread := activate(map[string]any{"name": "spread", "scale": 3, "launchConfig": map[string]any{"imageUuid": "docker:x",
		"labels": map[string]any{"io.rancher.scheduler.affinity:container_label_ne": "io.rancher.stack_service.name=${stack_name}/${service_name}"}}})
	hosts := map[string]bool{}
	for _, ci := range s.Containers(spread) {
		hosts[ci.HostID] = true
	}
	if len(hosts) != 3 {
		t.Errorf("hard anti-affinity on ${stack_name}/${service_name}: hosts %v", hosts)
	}
	ports := activate(map[string]any{"name": "web", "scale": 4, "launchConfig": map[string]any{"imageUuid": "docker:nginx", "ports": []any{"8080:80/tcp"}}})
	if svc := c.get("/v2-beta/services/" + ports); svc["transitioning"] != "error" || !strings.HasPrefix(strOf(svc["transitioningMessage"]), "Failed to allocate instance [container:1i") {
		t.Errorf("port conflict service: %v %v", svc["transitioning"], svc["transitioningMessage"])
	}
	errs := c.get("/v2-beta/containers?name_like=app-web%25&state=error")
	if d := asList(errs["data"]); len(d) == 0 || !strings.Contains(strOf(asMap(d[0])["transitioningMessage"]), "Allocation failed: host needs ports 8080/tcp available") {
		t.Errorf("error containers: %v", d)
	}
	mem := activate(map[string]any{"name": "big", "scale": 1, "launchConfig": map[string]any{"imageUuid": "docker:big", "memoryReservation": 2 << 30}})
	var memErr string
	for _, ci := range s.Containers(mem) {
		memErr = ci.TransitioningMessage
	}
	if !strings.HasPrefix(memErr, "Allocation failed: No healthy hosts meet the resource constraints") {
		t.Errorf("memory reservation: %q", memErr)
	}
	side := activate(map[string]any{"name": "app", "scale": 2, "launchConfig": map[string]any{"imageUuid": "docker:app"},
		"secondaryLaunchConfigs": []any{map[string]any{"name": "logger", "imageUuid": "docker:logger"}}})
	units := map[string]string{}
	for _, ci := range s.Containers(side) {
		if h, ok := units[ci.DeploymentUnit]; ok && h != ci.HostID {
			t.Errorf("sidekick %s not co-located", ci.Name)
		}
		units[ci.DeploymentUnit] = ci.HostID
	}
	if len(units) != 2 || len(s.Containers(side)) != 4 {
		t.Errorf("sidekick units %v, containers %d", units, len(s.Containers(side)))
	}
	global := activate(map[string]any{"name": "agent", "launchConfig": map[string]any{"imageUuid": "docker:agent",
		"labels": map[string]any{"io.rancher.scheduler.global": "true"}}})
	if n := len(s.Containers(global)); n != 3 {
		t.Errorf("global service: %d containers on 3 hosts", n)
	}
	s.AddHost(nil)
	settle(t, s)
	if n := len(s.Containers(global)); n != 4 {
		t.Errorf("global service after adding a host: %d containers", n)
	}
}

func TestChecklist10RemovedHiddenRetrievableNameStillTakenWhileRemoving(t *testing.T) {
	s, c := startSim(t, Options{Clock: ManualClock, Step: time.Second})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:nginx"})
	advance(t, s, 5*time.Second)
	self := strOf(asMap(svc["links"])["self"])
	del := c.must(200, "DELETE", self, nil)
	if del["state"] != "removing" || del["removed"] != nil {
		t.Errorf("DELETE answer: %v removed=%v", del["state"], del["removed"])
	}
	again := c.do("POST", "/v2-beta/services", map[string]any{"name": "WEB", "stackId": st["id"]})
	assertError(t, again, 422, "NotUnique", "name")
	advance(t, s, time.Minute)
	gone := c.get(self)
	if gone["state"] != "removed" || gone["removed"] == nil || gone["removedTS"] == nil {
		t.Errorf("removed service by id: %v %v", gone["state"], gone["removed"])
	}
	if n := len(asList(c.get("/v2-beta/services")["data"])); n != 0 {
		t.Errorf("removed service still listed (%d)", n)
	}
	if n := len(asList(c.get("/v2-beta/services?_removed=true")["data"])); n != 1 {
		t.Errorf("_removed should show it (%d)", n)
	}
	c.must(201, "POST", "/v2-beta/services", map[string]any{"name": "web", "stackId": st["id"]})
}

func TestRemovedVisibleFor300sLikeRancher11(t *testing.T) {
	s, c := startSim(t, Options{ShowRemovedFor: 300 * time.Second})
	st := c.createStack("old")
	advance(t, s, 5*time.Second)
	c.must(200, "DELETE", strOf(asMap(st["links"])["self"]), nil)
	advance(t, s, 10*time.Second)
	if d := asList(c.get("/v2-beta/stacks")["data"]); len(d) != 1 || asMap(d[0])["state"] != "removed" {
		t.Errorf("within 300s the removed stack is listed: %v", d)
	}
	if d := asList(c.get("/v2-beta/stacks?removed_null=%3Cnil%3E")["data"]); len(d) != 0 {
		t.Errorf("removed_null hides it: %v", d)
	}
	advance(t, s, 300*time.Second)
	if d := asList(c.get("/v2-beta/stacks")["data"]); len(d) != 0 {
		t.Errorf("after 300s it is gone from lists: %v", d)
	}
}

func TestSystemStacksAreListedAndReadOnly(t *testing.T) {
	s, c := startSim(t, Options{SystemStacks: true, Hosts: 2})
	settle(t, s)
	stacks := asList(c.get("/v2-beta/stacks")["data"])
	if len(stacks) != 4 || asMap(stacks[0])["system"] != true || len(asMap(asMap(stacks[0])["actions"])) != 0 {
		t.Fatalf("system stacks: %d, first %v", len(stacks), stacks[0])
	}
	svcs := s.Services("scheduler")
	if len(svcs) != 1 || svcs[0].State != "active" || len(s.Containers(svcs[0].ID)) != 2 {
		t.Errorf("scheduler service %+v", svcs)
	}
	r := c.do("DELETE", strOf(asMap(asMap(stacks[0])["links"])["self"]), nil)
	if r.status != 403 || r.body["message"] != "Cannot delete system stack" {
		t.Errorf("DELETE system stack: %d %s", r.status, r.raw)
	}
	c.createStack("mine")
	if n := len(asList(c.get("/v2-beta/stacks?system=false")["data"])); n != 1 {
		t.Errorf("system=false filter: %d", n)
	}
}
