package sim

import (
	"strings"
	"testing"
)

func TestEveryAdvertisedCollectionAnswers(t *testing.T) {
	_, c := startSim(t, Options{})
	schemas := c.get("/v2-beta/schemas")
	n := 0
	for _, x := range asList(schemas["data"]) {
		sd := asMap(x)
		url := strOf(asMap(sd["links"])["collection"])
		if url == "" {
			continue
		}
		n++
		r := c.do("GET", url, nil)
		if r.status != 200 || r.body["type"] != "collection" {
			t.Errorf("%s (%s): %d %.80s", sd["id"], url, r.status, r.raw)
			continue
		}
		if sd["id"] != "schema" && r.body["resourceType"] != sd["id"] && !(sd["id"] == "account") {
			t.Errorf("%s: resourceType %v", sd["id"], r.body["resourceType"])
		}
		if _, ok := r.body["data"].([]any); !ok {
			t.Errorf("%s: data is not a list", sd["id"])
		}
	}
	if n != 67 {
		t.Errorf("%d schemas advertise a collection, want the dump's 67", n)
	}
	root := asMap(c.get("/v2-beta")["links"])
	for _, name := range []string{"networks", "ports", "mounts", "images", "serviceExposeMaps", "registries", "auditLogs"} {
		if root[name] == nil {
			t.Errorf("version root has no %s link", name)
		}
	}
	if r := c.do("POST", "/v2-beta/registries", map[string]any{"serverAddress": "r.example.com"}); r.status != 405 {
		t.Errorf("POST to an unmodelled collection: %d, want 405", r.status)
	}
}

func TestDerivedCollectionsFollowTheSimulation(t *testing.T) {
	s, c := startSim(t, Options{Hosts: 2})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "scale": 2, "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:1.25", "ports": []any{"8080:80"}}})
	ports := asList(c.get("/v2-beta/ports")["data"])
	if len(ports) != 2 {
		t.Fatalf("%d ports, want one per container", len(ports))
	}
	p := asMap(ports[0])
	if toInt(p["publicPort"]) != 8080 || toInt(p["privatePort"]) != 80 || p["protocol"] != "tcp" || p["state"] != "active" ||
		!strings.HasPrefix(strOf(p["id"]), "1p") {
		t.Errorf("port %v", p)
	}
	if got := c.get("/v2-beta/ports/" + strOf(p["id"])); got["id"] != p["id"] {
		t.Errorf("port by id: %v", got["id"])
	}
	imgs := asList(c.get("/v2-beta/images?name=nginx:1.25")["data"])
	if len(imgs) != 1 {
		t.Errorf("images named nginx:1.25: %d", len(imgs))
	}
	if maps := asList(c.get("/v2-beta/serviceexposemaps?serviceId=" + strOf(svc["id"]))["data"]); len(maps) != 2 {
		t.Errorf("expose maps of the service: %d, want 2", len(maps))
	}
	if nets := asList(c.get("/v2-beta/networks?name=managed")["data"]); len(nets) != 1 {
		t.Errorf("managed network: %d", len(nets))
	}
	if pools := asList(c.get("/v2-beta/storagepools")["data"]); len(pools) != 2 {
		t.Errorf("storage pools: %d, want one per host", len(pools))
	}
	keys := asList(c.get("/v2-beta/apikeys")["data"])
	if len(keys) == 0 || asMap(keys[0])["secretValue"] != nil || asMap(keys[0])["publicValue"] != s.AccessKey() {
		t.Errorf("api keys %v", keys)
	}
	c.must(200, "PUT", strOf(asMap(svc["links"])["self"]), map[string]any{"scale": 1})
	settle(t, s)
	left := asList(c.get("/v2-beta/ports")["data"])
	if len(left) != 1 {
		t.Fatalf("after scaling to 1: %d ports listed", len(left))
	}
	for _, x := range ports {
		if id := strOf(asMap(x)["id"]); id != asMap(left[0])["id"] {
			if got := c.get("/v2-beta/ports/" + id)["state"]; got != "removed" {
				t.Errorf("port %s of the removed container is %v, want removed", id, got)
			}
		}
	}
}

func TestNamedVolumesBecomeVolumesAndMounts(t *testing.T) {
	s, c := startSim(t, Options{Hosts: 2})
	st := c.createStack("app")
	stID := strOf(st["id"])
	c.must(201, "POST", "/v2-beta/volumetemplates", map[string]any{"name": "shared", "stackId": stID})
	c.must(201, "POST", "/v2-beta/volumetemplates", map[string]any{"name": "own", "stackId": stID, "perContainer": true})
	svc := activeService(t, s, c, map[string]any{"name": "db", "scale": 2, "stackId": stID, "launchConfig": map[string]any{
		"imageUuid": "docker:postgres", "dataVolumes": []any{"shared:/shared", "own:/own:ro", "plain:/plain", "/anon", "/host:/bind"}}})
	vols := asList(c.get("/v2-beta/volumes")["data"])
	names := map[string]int{}
	for _, x := range vols {
		n := strOf(asMap(x)["name"])
		switch {
		case strings.HasPrefix(n, "app_shared_"):
			names["shared"]++
		case strings.HasPrefix(n, "app_own_"):
			names["own"]++
		case n == "plain":
			names["plain"]++
		default:
			t.Errorf("unexpected volume %s", n)
		}
	}
	if names["shared"] != 1 || names["own"] != 2 || names["plain"] != 1 {
		t.Errorf("volumes %v: want one stack-wide shared, one own per container, one plain", names)
	}
	if got := asList(c.get(strOf(asMap(st["links"])["volumes"]))["data"]); len(got) != 3 {
		t.Errorf("stack volumes link: %d, want the 3 template volumes", len(got))
	}
	ctrs := asList(c.get(strOf(asMap(svc["links"])["instances"]))["data"])
	ctr := asMap(ctrs[0])
	mounts := asList(c.get(strOf(asMap(ctr["links"])["mounts"]))["data"])
	if len(mounts) != 3 {
		t.Fatalf("container mounts: %d, want 3 (named volumes only)", len(mounts))
	}
	for _, x := range mounts {
		m := asMap(x)
		if m["path"] == "/own" && m["permissions"] != "ro" {
			t.Errorf("own mounted %v", m["permissions"])
		}
	}
	if dvm := asMap(ctr["dataVolumeMounts"]); len(dvm) != 3 {
		t.Errorf("dataVolumeMounts %v", dvm)
	}
	if got := len(asList(c.get(strOf(asMap(ctr["links"])["volumes"]))["data"])); got != 3 {
		t.Errorf("container volumes link: %d", got)
	}
	c.must(200, "DELETE", strOf(asMap(svc["links"])["self"]), nil)
	settle(t, s)
	if got := asList(c.get("/v2-beta/mounts")["data"]); len(got) != 0 {
		t.Errorf("%d mounts left after the service was removed", len(got))
	}
	for _, x := range asList(c.get("/v2-beta/volumes")["data"]) {
		if asMap(x)["state"] != "inactive" {
			t.Errorf("volume %v is %v with nothing mounting it", asMap(x)["name"], asMap(x)["state"])
		}
	}
}

func TestExternalVolumeTemplateNeedsTheVolume(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	c.must(201, "POST", "/v2-beta/volumetemplates", map[string]any{"name": "data", "stackId": st["id"], "external": true})
	svc := c.createService(strOf(st["id"]), "db", 1, map[string]any{"imageUuid": "docker:postgres", "dataVolumes": []any{"data:/data"}})
	settle(t, s)
	c.action(c.reload(svc), "activate", nil, 202)
	settle(t, s)
	got := c.reload(svc)
	if got["transitioning"] != "error" || !strings.Contains(strOf(got["transitioningMessage"]), "Failed to allocate instance") {
		t.Errorf("missing external volume: %v %v", got["transitioning"], got["transitioningMessage"])
	}
	ci := s.Containers(strOf(svc["id"]))
	if len(ci) == 0 || !strings.Contains(ci[0].TransitioningMessage, "Failed to locate volume") {
		t.Errorf("container error: %+v", ci)
	}
}

func TestContainerAndServiceEventsComeFromWhatContainersWentThrough(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "scale": 1, "stackId": st["id"], "launchConfig": map[string]any{
		"imageUuid": "docker:nginx", "healthCheck": map[string]any{"port": 80, "interval": 2000, "healthyThreshold": 2, "unhealthyThreshold": 3}}})
	ctr := asMap(asList(c.get(strOf(asMap(svc["links"])["instances"]))["data"])[0])
	var statuses []string
	for _, x := range asList(c.get("/v2-beta/containerevents?externalId=" + strOf(ctr["externalId"]))["data"]) {
		statuses = append(statuses, strOf(asMap(x)["externalStatus"]))
	}
	if strings.Join(statuses, ",") != "create,start" {
		t.Errorf("container events %v, want create,start", statuses)
	}
	evs := asList(c.get("/v2-beta/serviceevents?instanceId=" + strOf(ctr["id"]))["data"])
	if len(evs) != 1 || asMap(evs[0])["reportedHealth"] != "UP" {
		t.Errorf("service events %v, want one UP", evs)
	}
	c.must(200, "DELETE", strOf(asMap(ctr["links"])["self"]), nil)
	settle(t, s)
	statuses = nil
	for _, x := range asList(c.get("/v2-beta/containerevents?externalId=" + strOf(ctr["externalId"]))["data"]) {
		statuses = append(statuses, strOf(asMap(x)["externalStatus"]))
	}
	if strings.Join(statuses, ",") != "create,start,destroy" {
		t.Errorf("container events after removal %v", statuses)
	}
}

func TestAuditLogRecordsEveryMutatingRequestWithoutItsBody(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := c.createService(strOf(st["id"]), "web", 1, map[string]any{"imageUuid": "docker:nginx",
		"environment": map[string]any{"DB_PASSWORD": "hunter2"}})
	settle(t, s)
	c.action(c.reload(svc), "activate", nil, 202)
	c.do("PUT", strOf(asMap(svc["links"])["self"]), map[string]any{"scale": 2})
	c.do("POST", "/v2-beta/services", map[string]any{"name": "bad name!", "stackId": st["id"]})
	c.get("/v2-beta/services")
	logs := c.get("/v2-beta/auditlogs")
	var got []string
	for _, x := range asList(logs["data"]) {
		l := asMap(x)
		got = append(got, strOf(l["eventType"])+" "+strOf(l["responseCode"]))
		if l["requestObject"] != nil {
			t.Errorf("audit log keeps a request body: %v", l["requestObject"])
		}
	}
	want := "api.stack.create 201,api.service.create 201,api.service.activate 202,api.service.update 200,api.service.create 422"
	if strings.Join(got, ",") != want {
		t.Errorf("audit log %v, want %s", got, want)
	}
	if strings.Contains(c.do("GET", "/v2-beta/auditlogs", nil).raw, "hunter2") {
		t.Errorf("a secret reached the audit log")
	}
	first := asMap(asList(logs["data"])[1])
	if first["resourceType"] != "service" || toInt(first["resourceId"]) != toInt(strings.TrimPrefix(strOf(svc["id"]), "1s")) {
		t.Errorf("service create entry: %v %v", first["resourceType"], first["resourceId"])
	}
}
