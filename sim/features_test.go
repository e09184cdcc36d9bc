package sim

import (
	"bufio"
	"crypto/sha1"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// activeService creates and activates a service and returns its JSON.
func activeService(t *testing.T, s *Server, c *client, body map[string]any) map[string]any {
	t.Helper()
	svc := c.must(201, "POST", "/v2-beta/services", body)
	settle(t, s)
	c.action(c.reload(svc), "activate", nil, 202)
	settle(t, s)
	return c.reload(svc)
}

func TestServiceLinksConsumeMapsAndLinkedServices(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	db := activeService(t, s, c, map[string]any{"name": "db", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:redis"}})
	web := activeService(t, s, c, map[string]any{"name": "web", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:nginx"}})
	got := c.action(web, "setservicelinks", map[string]any{"serviceLinks": []any{map[string]any{"serviceId": db["id"], "name": "database"}}}, 200)
	if ls := asMap(got["linkedServices"]); ls["database"] != db["id"] {
		t.Errorf("linkedServices %v", ls)
	}
	maps := c.get("/v2-beta/serviceconsumemaps?serviceId=" + web["id"].(string))
	if d := asList(maps["data"]); len(d) != 1 || asMap(d[0])["consumedServiceId"] != db["id"] || asMap(d[0])["name"] != "database" {
		t.Errorf("consume maps %v", d)
	}
	if d := asList(c.get(strOf(asMap(db["links"])["consumedbyservices"]))["data"]); len(d) != 1 || asMap(d[0])["id"] != web["id"] {
		t.Errorf("consumedbyservices %v", d)
	}
	assertError(t, c.do("POST", strOf(asMap(web["actions"])["addservicelink"]), map[string]any{"serviceLink": map[string]any{"serviceId": db["id"]}}),
		422, "NotUnique", "serviceId")
	assertError(t, c.do("POST", strOf(asMap(web["actions"])["setservicelinks"]), map[string]any{"serviceLinks": []any{
		map[string]any{"serviceId": db["id"], "name": "a"}, map[string]any{"serviceId": db["id"], "name": "a"}}}),
		422, "NotUnique", "serviceId and link name combination")
	c.action(web, "removeservicelink", map[string]any{"serviceLink": map[string]any{"serviceId": db["id"]}}, 200)
	if ls := asMap(c.reload(web)["linkedServices"]); len(ls) != 0 {
		t.Errorf("after removeservicelink: %v", ls)
	}
	c.must(200, "DELETE", strOf(asMap(db["links"])["self"]), nil)
	assertError(t, c.do("POST", strOf(asMap(web["actions"])["setservicelinks"]), map[string]any{"serviceLinks": []any{
		map[string]any{"serviceId": db["id"]}}}), 422, "InvalidReference", "Service db is removed")
}

func TestToServiceUpgradeMovesScaleAndLinks(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	a := activeService(t, s, c, map[string]any{"name": "a", "scale": 3, "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:v1"}})
	b := c.must(201, "POST", "/v2-beta/services", map[string]any{"name": "b", "scale": 0, "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:v2"}})
	client := activeService(t, s, c, map[string]any{"name": "client", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:c"}})
	c.action(client, "setservicelinks", map[string]any{"serviceLinks": []any{map[string]any{"serviceId": a["id"], "name": "backend"}}}, 200)
	settle(t, s)
	c.action(c.reload(b), "activate", nil, 202)
	settle(t, s)
	up := c.action(c.reload(a), "upgrade", map[string]any{"toServiceStrategy": map[string]any{"toServiceId": b["id"], "finalScale": 2,
		"batchSize": 1, "intervalMillis": 500, "updateLinks": true}}, 202)
	if up["state"] != "upgrading" {
		t.Fatalf("state %v", up["state"])
	}
	settle(t, s)
	a, b = c.reload(a), c.reload(b)
	if a["state"] != "upgraded" || toInt(a["scale"]) != 0 || toInt(b["scale"]) != 2 {
		t.Fatalf("a %v scale %v, b scale %v", a["state"], a["scale"], b["scale"])
	}
	if len(s.Containers(a["id"].(string))) != 0 || len(s.Containers(b["id"].(string))) != 2 {
		t.Errorf("containers a %d b %d", len(s.Containers(a["id"].(string))), len(s.Containers(b["id"].(string))))
	}
	maps := asList(c.get("/v2-beta/serviceconsumemaps?serviceId=" + client["id"].(string))["data"])
	if len(maps) != 2 || asMap(maps[1])["consumedServiceId"] != b["id"] || asMap(maps[1])["name"] != "backend" {
		t.Errorf("updateLinks should clone the inbound link to b: %v", maps)
	}
}

func TestRetainIPKeepsAddressAcrossUpgrade(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "scale": 2, "retainIp": true, "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:v1"}})
	before := map[string]string{}
	for _, ci := range s.Containers(svc["id"].(string)) {
		got, _ := s.Container(ci.ID)
		before[got.Name] = strOf(c.get("/v2-beta/containers/" + ci.ID)["primaryIpAddress"])
	}
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"launchConfig": map[string]any{"imageUuid": "docker:v2"}}}, 202)
	settle(t, s)
	for _, ci := range s.Containers(svc["id"].(string)) {
		if !ci.Managed {
			continue
		}
		if ip := strOf(c.get("/v2-beta/containers/" + ci.ID)["primaryIpAddress"]); ip != before[ci.Name] {
			t.Errorf("%s: new ip %s, before %s", ci.Name, ip, before[ci.Name])
		}
	}
}

func TestScalePolicyGrowsToMaxAndValidates(t *testing.T) {
	s, c := startSim(t, Options{Hosts: 3})
	st := c.createStack("app")
	assertError(t, c.do("POST", "/v2-beta/services", map[string]any{"name": "x", "stackId": st["id"],
		"scalePolicy": map[string]any{"min": 3, "max": 1}}), 422, "MaxLimitExceeded", "Min scale can't exceed scale")
	svc := activeService(t, s, c, map[string]any{"name": "web", "stackId": st["id"], "scalePolicy": map[string]any{"min": 1, "max": 5, "increment": 1},
		"launchConfig": map[string]any{"imageUuid": "docker:nginx", "ports": []any{"80:80/tcp"}}})
	if n := len(s.Containers(svc["id"].(string))); n != 3 || toInt(svc["currentScale"]) != 3 {
		t.Errorf("scalePolicy 1..5 on 3 hosts with a fixed host port: %d containers, currentScale %v", n, svc["currentScale"])
	}
	if svc["healthState"] != "healthy" {
		t.Errorf("healthState %v (expected counts scalePolicy.min)", svc["healthState"])
	}
}

func TestSelectorLinkAndSelectorOnlyService(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	db := activeService(t, s, c, map[string]any{"name": "db", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:redis",
		"labels": map[string]any{"tier": "data", "env": "prod"}}})
	sel := activeService(t, s, c, map[string]any{"name": "sel", "stackId": st["id"], "selectorLink": "tier in (data,cache), env!=dev",
		"selectorContainer": "tier=data"})
	if ls := asMap(sel["linkedServices"]); ls["db"] != db["id"] {
		t.Errorf("selectorLink: %v", ls)
	}
	if sel["state"] != "active" || sel["healthState"] != "healthy" || len(s.Containers(sel["id"].(string))) != 0 {
		t.Errorf("selector-only service: %v %v %d containers", sel["state"], sel["healthState"], len(s.Containers(sel["id"].(string))))
	}
	ct := c.must(201, "POST", "/v2-beta/containers", map[string]any{"name": "standalone", "imageUuid": "docker:redis",
		"labels": map[string]any{"tier": "data"}})
	settle(t, s)
	if ids := asList(c.reload(sel)["instanceIds"]); len(ids) != 1 || ids[0] != ct["id"] {
		t.Errorf("selectorContainer adopts the matching standalone container: %v", ids)
	}
	if c.reload(ct)["state"] != "running" {
		t.Errorf("standalone container: %v", c.reload(ct)["state"])
	}
	for sel, want := range map[string]bool{"a=b": true, "a!=b": false, "a in (x,b)": true, "a notin (b)": false, "c": false, "a": true, "a=b, c=d": false} {
		if got := matchSelector(sel, map[string]string{"a": "b"}); got != want {
			t.Errorf("matchSelector(%q) = %v", sel, got)
		}
	}
}

func TestStackExportConfigActivateDeactivateRemove(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	c.must(201, "POST", "/v2-beta/services", map[string]any{"name": "web", "scale": 2, "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:1.13", "ports": []any{"8080:80/tcp"},
			"healthCheck": map[string]any{"port": 80, "interval": 2000}}})
	settle(t, s)
	st = c.reload(st)
	c.action(st, "activateservices", nil, 200)
	settle(t, s)
	if svcs := s.Services("app"); len(svcs) != 1 || svcs[0].State != "active" {
		t.Fatalf("activateservices: %+v", svcs)
	}
	cfg := c.action(st, "exportconfig", map[string]any{}, 200)
	dc, rc := strOf(cfg["dockerComposeConfig"]), strOf(cfg["rancherComposeConfig"])
	if cfg["type"] != "composeConfig" || !strings.Contains(dc, "image: nginx:1.13") || !strings.Contains(dc, "8080:80/tcp") ||
		!strings.Contains(rc, "scale: 2") || !strings.Contains(rc, "health_check") {
		t.Errorf("exportconfig:\n%s\n%s", dc, rc)
	}
	c.action(st, "deactivateservices", nil, 200)
	settle(t, s)
	if svcs := s.Services("app"); svcs[0].State != "inactive" {
		t.Errorf("deactivateservices: %s", svcs[0].State)
	}
	c.must(200, "DELETE", strOf(asMap(st["links"])["self"]), nil)
	settle(t, s)
	if st = c.reload(st); st["state"] != "removed" || len(s.Services("app")) != 0 {
		t.Errorf("stack remove: %v, services %v", st["state"], s.Services("app"))
	}
}

func TestRestartRollingKeepsContainersAndCountsStarts(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "scale": 3, "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:nginx"}})
	assertError(t, c.do("POST", strOf(asMap(svc["actions"])["restart"]), map[string]any{}), 422, "MissingRequired", "rollingRestartStrategy")
	before := s.Containers(svc["id"].(string))
	r := c.action(svc, "restart", map[string]any{"rollingRestartStrategy": map[string]any{"batchSize": 1}}, 202)
	if r["state"] != "restarting" {
		t.Errorf("restart answer state %v", r["state"])
	}
	settle(t, s)
	after := s.Containers(svc["id"].(string))
	if c.reload(svc)["state"] != "active" || len(after) != 3 {
		t.Fatalf("after restart: %d containers", len(after))
	}
	for i := range after {
		if after[i].UUID != before[i].UUID || after[i].StartCount != 2 || after[i].State != "running" {
			t.Errorf("%s: uuid same=%v startCount %d state %s", after[i].Name, after[i].UUID == before[i].UUID, after[i].StartCount, after[i].State)
		}
	}
	var stops []time.Time
	for _, ci := range after {
		stops = append(stops, firstTime(ci, "stopping"))
	}
	if !stops[1].After(stops[0].Add(2*time.Second)) || !stops[2].After(stops[1].Add(2*time.Second)) {
		t.Errorf("batches of 1 with the default 2s interval: stop times %v", stops)
	}
}

func TestCancelAndContinueUpgrade(t *testing.T) {
	s, c, svc := upgradeFixture(t, Options{}, nil)
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"batchSize": 1, "intervalMillis": 30000,
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}}, 202)
	advance(t, s, 40*time.Second)
	c.action(c.reload(svc), "cancelupgrade", nil, 202)
	advance(t, s, 5*time.Minute)
	svc = c.reload(svc)
	if svc["state"] != "canceled-upgrade" || actionNames(svc) != "addservicelink continueupgrade remove removeservicelink rollback setservicelinks" {
		t.Fatalf("canceled: %v %s", svc["state"], actionNames(svc))
	}
	old, fresh := 0, 0
	for _, ci := range s.Containers(svc["id"].(string)) {
		if ci.Managed && ci.Image == "docker:nginx:2" {
			fresh++
		} else if !ci.Managed {
			old++
		}
	}
	if old == 0 || fresh == 0 || fresh == 4 {
		t.Errorf("a canceled upgrade leaves a mix: %d old, %d new", old, fresh)
	}
	c.action(svc, "continueupgrade", nil, 202)
	advance(t, s, 10*time.Minute)
	if st := c.reload(svc)["state"]; st != "upgraded" {
		t.Errorf("continueupgrade: %v", st)
	}
}

func TestLoadBalancerDNSExternalServices(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	web := activeService(t, s, c, map[string]any{"name": "web", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:nginx"}})
	assertError(t, c.do("POST", "/v2-beta/loadbalancerservices", map[string]any{"name": "lb", "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:rancher/lb-service-haproxy"}}), 422, "MissingRequired", "lbConfig")
	assertError(t, c.do("POST", "/v2-beta/loadbalancerservices", map[string]any{"name": "lb", "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:rancher/lb-service-haproxy"},
		"lbConfig":     map[string]any{"portRules": []any{map[string]any{"sourcePort": 42, "targetPort": 80, "serviceId": web["id"]}}}}),
		422, "InvalidOption", "Port 42 is reserved for service health check")
	lb := c.must(201, "POST", "/v2-beta/loadbalancerservices", map[string]any{"name": "lb", "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:rancher/lb-service-haproxy", "ports": []any{"80:80/tcp"}},
		"lbConfig":     map[string]any{"portRules": []any{map[string]any{"sourcePort": 80, "targetPort": 80, "serviceId": web["id"]}}}})
	if lb["type"] != "loadBalancerService" || lb["baseType"] != "service" || asMap(asMap(lb["launchConfig"])["labels"])["io.rancher.container.agent.role"] != "environmentAdmin" {
		t.Errorf("lb: %v %v %v", lb["type"], lb["baseType"], asMap(lb["launchConfig"])["labels"])
	}
	ext := c.must(201, "POST", "/v2-beta/externalservices", map[string]any{"name": "ext", "stackId": st["id"], "externalIpAddresses": []any{"1.2.3.4"}})
	dns := c.must(201, "POST", "/v2-beta/dnsservices", map[string]any{"name": "alias", "stackId": st["id"]})
	settle(t, s)
	for _, r := range []map[string]any{lb, ext, dns} {
		c.action(c.reload(r), "activate", nil, 202)
	}
	settle(t, s)
	if n := len(asList(c.get("/v2-beta/services")["data"])); n != 4 {
		t.Errorf("/services lists every kind: %d", n)
	}
	if n := len(asList(c.get("/v2-beta/loadbalancerservices")["data"])); n != 1 {
		t.Errorf("/loadbalancerservices: %d", n)
	}
	if lb = c.reload(lb); lb["state"] != "active" || len(s.Containers(lb["id"].(string))) != 1 {
		t.Errorf("lb %v containers %d", lb["state"], len(s.Containers(lb["id"].(string))))
	}
	if e := c.reload(ext); e["state"] != "active" || e["healthState"] != "healthy" || len(s.Containers(e["id"].(string))) != 0 {
		t.Errorf("external %v %v", e["state"], e["healthState"])
	}
}

func TestContainerLogsWebsocket(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:nginx"}})
	inst := asMap(asList(c.get(strOf(asMap(svc["links"])["instances"]))["data"])[0])
	access := c.action(inst, "logs", nil, 200)
	if access["type"] != "hostAccess" || strOf(access["token"]) == "" || !strings.HasPrefix(strOf(access["url"]), "ws://") {
		t.Fatalf("logs action: %v", access)
	}
	u := strings.TrimPrefix(strOf(access["url"]), "ws://")
	conn, err := net.Dial("tcp", u[:strings.Index(u, "/")])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	key := "dGhlIHNhbXBsZSBub25jZQ=="
	req, _ := http.NewRequest("GET", strings.Replace(strOf(access["url"]), "ws://", "http://", 1)+"?token="+strOf(access["token"])+"&follow=false", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Key", key)
	req.Header.Set("Sec-WebSocket-Version", "13")
	_ = req.Write(conn)
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, req)
	if err != nil || resp.StatusCode != 101 {
		t.Fatalf("handshake: %v %v", err, resp)
	}
	sum := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if resp.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(sum[:]) {
		t.Errorf("bad Sec-WebSocket-Accept")
	}
	var frames []string
	for {
		hdr := make([]byte, 2)
		if _, err := io.ReadFull(br, hdr); err != nil {
			break
		}
		payload := make([]byte, int(hdr[1]&0x7f))
		_, _ = io.ReadFull(br, payload)
		if hdr[0]&0x0f == 0x8 {
			break
		}
		frames = append(frames, string(payload))
	}
	if len(frames) < 2 || !strings.HasPrefix(frames[0], "01 ") || !strings.Contains(frames[0], "app-web-1") {
		t.Errorf("frames %q", frames)
	}
}

func TestV1ViewEnvironments(t *testing.T) {
	s, c := startSim(t, Options{})
	env := c.must(201, "POST", "/v1/environments", map[string]any{"name": "legacy"})
	if env["type"] != "environment" || !strings.HasPrefix(strOf(env["id"]), "1e") || !strings.Contains(strOf(asMap(env["links"])["self"]), "/v1/environments/1e") {
		t.Fatalf("v1 environment: %v %v %v", env["type"], env["id"], asMap(env["links"])["self"])
	}
	if _, has := env["serviceIds"]; has {
		t.Errorf("v1 environments have no serviceIds")
	}
	svc := c.must(201, "POST", "/v1/projects/1a5/services", map[string]any{"name": "web", "environmentId": env["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:nginx"}})
	if svc["environmentId"] != env["id"] || asMap(svc["links"])["environment"] == nil {
		t.Errorf("v1 service: environmentId %v links %v", svc["environmentId"], svc["links"])
	}
	settle(t, s)
	list := c.get("/v1/projects/1a5/environments/" + env["id"].(string) + "/services?limit=1000")
	if n := len(asList(list["data"])); n != 1 {
		t.Errorf("v1 environment services: %d", n)
	}
	if c.do("GET", "/v1", nil).header.Get("X-API-Schemas") != s.URL()+"/v1/schemas" {
		t.Errorf("v1 schemas header")
	}
	if r := c.do("POST", "/v1/projects/1a5/services/"+svc["id"].(string)+"/?action=activate", nil); r.status != 202 {
		t.Errorf("GLD-style /?action= on v1: %d %s", r.status, r.raw)
	}
	if r := c.do("GET", "/v2-beta/stacks/"+strings.Replace(env["id"].(string), "1e", "1st", 1), nil); r.status != 200 || r.body["type"] != "stack" {
		t.Errorf("same stack in v2-beta: %d", r.status)
	}
}

func TestPullTaskWalksHostsToDone(t *testing.T) {
	s, c := startSim(t, Options{Hosts: 2, Images: []ImageBehavior{{Glob: "big*", PullDelay: Duration(30 * time.Second)}}})
	task := c.must(201, "POST", "/v2-beta/pulltasks", map[string]any{"image": "bigimage:1", "mode": "all"})
	if task["state"] != "activating" || task["transitioning"] != "yes" {
		t.Errorf("pull task answer %v %v", task["state"], task["transitioning"])
	}
	advance(t, s, 20*time.Second)
	if st := asMap(c.reload(task)["status"]); st["sim-host-1"] != "Pulling" {
		t.Errorf("slow pull status after 20s: %v", st)
	}
	settle(t, s)
	task = c.reload(task)
	if task["state"] != "active" || !jsonEqual(task["status"], map[string]any{"sim-host-1": "Done", "sim-host-2": "Done"}) {
		t.Errorf("pull task: %v %v", task["state"], task["status"])
	}
}

func TestTransformEndpoint(t *testing.T) {
	_, c := startSim(t, Options{})
	out := c.must(200, "POST", "/v2-beta/scripts/transform", map[string]any{"Name": "/web",
		"Config":     map[string]any{"Image": "nginx:1.13", "Env": []any{"A=1", "B"}, "ExposedPorts": map[string]any{"80/tcp": map[string]any{}}},
		"HostConfig": map[string]any{"PortBindings": map[string]any{"80/tcp": []any{map[string]any{"HostPort": "8080"}}}, "NetworkMode": "host"}})
	if out["imageUuid"] != "docker:nginx:1.13" || !jsonEqual(out["ports"], []any{"8080:80/tcp"}) || !jsonEqual(out["environment"], map[string]any{"A": "1", "B": ""}) {
		t.Errorf("transform: %v", out)
	}
	bad := c.do("POST", "/v2-beta/scripts/transform", map[string]any{"Config": map[string]any{"Image": "x"}, "HostConfig": map[string]any{"NetworkMode": "container:abc"}})
	if bad.status != 422 || bad.body["code"] != "InvalidOption" {
		t.Errorf("container network mode: %d %s", bad.status, bad.raw)
	}
	if st := c.s.Stats(); st.Mutations != 0 {
		t.Errorf("transform is not a mutation: %+v", st)
	}
}

func TestAuthEnvKeyAccountKeyAccessControlOff(t *testing.T) {
	s, c := startSim(t, Options{AccountKeys: []AccountKey{{AccessKey: "acct", SecretKey: "pw", Projects: []string{"1a5"}}}})
	c.user = ""
	if r := c.do("GET", "/v2-beta", nil); r.status != 401 || r.header.Get("WWW-Authenticate") != authRealm {
		t.Errorf("no key: %d %q", r.status, r.header.Get("WWW-Authenticate"))
	}
	c.user, c.pass = s.AccessKey(), s.SecretKey()
	if r := c.do("GET", "/v2-beta/projects/1a7/stacks", nil); r.status != 403 || r.body["code"] != "Forbidden" {
		t.Errorf("other project: %d %s", r.status, r.raw)
	}
	if r := c.do("GET", "/v2-beta/projects", nil); len(asList(r.body["data"])) != 1 || asMap(asList(r.body["data"])[0])["id"] != "1a5" {
		t.Errorf("projects with an env key: %s", r.raw)
	}
	c.user, c.pass = "acct", "pw"
	if r := c.do("POST", "/v2-beta/stacks", map[string]any{"name": "x"}); r.status != 405 {
		t.Errorf("account key without a project must not create stacks: %d", r.status)
	}
	schemas := c.get("/v2-beta/schemas")
	for _, d := range asList(schemas["data"]) {
		if m := asMap(d); m["id"] == "stack" && contains(stringList(m["collectionMethods"]), "POST") {
			t.Errorf("user-role stack schema is creatable")
		}
	}
	c.must(201, "POST", "/v2-beta/projects/1a5/stacks", map[string]any{"name": "x"})
	c.must(201, "POST", "/v2-beta/stacks?projectId=1a5", map[string]any{"name": "y"})
	if r := c.do("POST", "/v2-beta/stacks?projectId=1a9", map[string]any{"name": "z"}); r.status != 403 {
		t.Errorf("projectId of a foreign project: %d", r.status)
	}
	if r := c.do("GET", "/v2-beta/projects/1a7/stacks", nil); r.status != 403 {
		t.Errorf("account key, foreign project: %d", r.status)
	}
	off, oc := startSim(t, Options{AccessControlOff: true})
	oc.user = ""
	oc.must(201, "POST", "/v2-beta/stacks", map[string]any{"name": "open"})
	oc.user, oc.pass = "wrong", "wrong"
	oc.must(200, "GET", "/v2-beta/stacks", nil)
	if len(off.Stacks()) != 1 {
		t.Errorf("access control off: %v", off.Stacks())
	}
	if r := c.do("GET", "/ping", nil); r.raw != "pong" {
		t.Errorf("ping: %q", r.raw)
	}
}

func TestFastClockRunsIntervalsWithoutWallTime(t *testing.T) {
	s, c := startSim(t, Options{Clock: FastClock, Step: time.Second})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 2, map[string]any{"imageUuid": "docker:nginx",
		"healthCheck": map[string]any{"port": 80, "interval": 60000, "healthyThreshold": 3}})
	settle(t, s)
	c.action(c.reload(svc), "activate", nil, 202)
	settle(t, s)
	if got := c.reload(svc); got["state"] != "active" || got["healthState"] != "healthy" {
		t.Errorf("fast clock: %v %v", got["state"], got["healthState"])
	}
	if s.Now().Sub(time.Now()) < 2*time.Minute {
		t.Errorf("simulated time should be ≥3 minutes ahead (3 checks of 60s), is %s", s.Now().Sub(time.Now()))
	}
}

func TestRealClockStepZero(t *testing.T) {
	s, c := startSim(t, Options{Step: 0, StepSet: true})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 3, map[string]any{"imageUuid": "docker:nginx"})
	waitState(t, c, svc, "inactive")
	c.action(c.reload(svc), "activate", nil, 202)
	waitState(t, c, svc, "active")
	if n := len(s.Containers(svc["id"].(string))); n != 3 {
		t.Errorf("%d containers", n)
	}
}

// waitState polls on the real clock (no timing assertion: it fails only if the state never comes).
func waitState(t *testing.T, c *client, r map[string]any, state string) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		if c.reload(r)["state"] == state {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%v never reached %s", r["id"], state)
}

func TestContainerActionsAndComposeConfigZip(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:nginx"}})
	inst := asMap(asList(c.get(strOf(asMap(svc["links"])["instances"]))["data"])[0])
	if got := actionNames(inst); got != "console execute logs migrate proxy restart stop update" {
		t.Errorf("running container actions: %s", got)
	}
	if r := c.action(inst, "stop", map[string]any{"timeout": 10}, 202); r["state"] != "stopping" {
		t.Errorf("stop answer %v", r["state"])
	}
	settle(t, s)
	inst = c.reload(inst)
	if inst["state"] != "stopped" || !strings.Contains(actionNames(inst), "start") {
		t.Fatalf("after stop: %v %s", inst["state"], actionNames(inst))
	}
	c.action(inst, "start", nil, 202)
	settle(t, s)
	inst = c.reload(inst)
	c.action(inst, "restart", nil, 202)
	settle(t, s)
	if inst = c.reload(inst); inst["state"] != "running" || toInt(inst["startCount"]) != 3 {
		t.Errorf("after start+restart: %v startCount %v", inst["state"], inst["startCount"])
	}
	c.action(inst, "stop", nil, 202)
	settle(t, s)
	c.must(200, "DELETE", strOf(asMap(inst["links"])["self"]), nil)
	settle(t, s)
	if got := c.reload(inst); got["state"] != "removed" {
		t.Errorf("removed container: %v", got["state"])
	}
	if cs := s.Containers(svc["id"].(string)); len(cs) != 1 || cs[0].ID == inst["id"] || cs[0].State != "running" {
		t.Errorf("the service replaces a removed container: %+v", cs)
	}
	zip := c.do("GET", strOf(asMap(c.reload(st)["links"])["composeConfig"]), nil)
	if zip.status != 200 || zip.header.Get("Content-Type") != "application/zip" || !strings.HasPrefix(zip.raw, "PK") {
		t.Errorf("composeconfig: %d %s", zip.status, zip.header.Get("Content-Type"))
	}
}

func TestSidekickReferencesAndPartialUpgrade(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	assertError(t, c.do("POST", "/v2-beta/services", map[string]any{"name": "x", "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:a", "networkLaunchConfig": "nope"}}), 422, "InvalidReference", "networkLaunchConfig")
	assertError(t, c.do("POST", "/v2-beta/services", map[string]any{"name": "y", "stackId": st["id"],
		"launchConfig":           map[string]any{"imageUuid": "docker:a", "networkLaunchConfig": "s"},
		"secondaryLaunchConfigs": []any{map[string]any{"name": "s", "imageUuid": "docker:b", "networkLaunchConfig": "y"}}}),
		422, "InvalidReference", "networkLaunchConfig")
	c.must(201, "POST", "/v2-beta/services", map[string]any{"name": "z", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:a"},
		"secondaryLaunchConfigs": []any{map[string]any{"name": "s", "imageUuid": "docker:b", "networkMode": "container", "networkLaunchConfig": "z"}}})
	svc := activeService(t, s, c, map[string]any{"name": "app", "scale": 2, "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:app:1", "dataVolumesFromLaunchConfigs": []any{"data"}},
		"secondaryLaunchConfigs": []any{
			map[string]any{"name": "data", "imageUuid": "docker:data:1"},
			map[string]any{"name": "log", "imageUuid": "docker:log:1"}}})
	id := svc["id"].(string)
	units := map[string]string{}
	for _, ci := range s.Containers(id) {
		units[ci.Name] = ci.DeploymentUnit
	}
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"batchSize": 2,
		"secondaryLaunchConfigs": []any{map[string]any{"name": "data", "imageUuid": "docker:data:2"}}}}, 202)
	settle(t, s)
	svc = c.reload(svc)
	if svc["state"] != "upgraded" {
		t.Fatalf("state %v", svc["state"])
	}
	replaced := map[string]int{}
	for _, ci := range s.Containers(id) {
		if !ci.Managed {
			replaced[ci.LaunchConfig]++
		} else if units[ci.Name] != ci.DeploymentUnit {
			t.Errorf("%s left its deployment unit in a partial upgrade", ci.Name)
		}
	}
	if replaced["data"] != 2 || replaced[""] != 2 || replaced["log"] != 0 {
		t.Errorf("the data sidekick and the primary using its volumes are replaced, the log sidekick is not: %v", replaced)
	}
	c.action(svc, "finishupgrade", nil, 202)
	settle(t, s)
	up := strOf(asMap(c.reload(svc)["actions"])["upgrade"])
	assertError(t, c.do("POST", up, map[string]any{"inServiceStrategy": map[string]any{}}), 422, "InvalidOption",
		"LaunchConfig/secondaryLaunchConfigs need to be specified for inService strategy")
	assertError(t, c.do("POST", up, map[string]any{}), 422, "MissingRequired", "Upgrade strategy needs to be set")
	assertError(t, c.do("POST", up, map[string]any{"inServiceStrategy": map[string]any{"launchConfig": map[string]any{
		"imageUuid": "docker:app:2", "labels": map[string]any{"io.rancher.scheduler.global": "true"}}}}), 422, "InvalidOption",
		"Switching from global scale to fixed (and vice versa)")
	if n := len(s.Containers(id)); n != 6 {
		t.Errorf("after finishupgrade: %d containers", n)
	}
}

func TestStackCreateWithComposeTextRunsTheExecutor(t *testing.T) {
	s, c := startSim(t, Options{})
	dc := `version: '2'
services:
  web:
    image: nginx:1.13
    ports: ["8080:80/tcp"]
    links: [db:database]
    labels:
      io.rancher.sidekicks: log
  log:
    image: busybox
    command: tail -f /dev/null
  db:
    image: redis:3.2
    environment: [A=1]
  lb:
    image: rancher/lb-service-haproxy:v0.7.9
    ports: ["80:80/tcp"]
`
	rc := `version: '2'
services:
  web:
    scale: 2
    health_check: {port: 80, interval: 2000, healthy_threshold: 2}
  lb:
    lb_config:
      port_rules: [{source_port: 80, target_port: 80, service: web}]
`
	st := c.must(201, "POST", "/v2-beta/stacks", map[string]any{"name": "full", "dockerCompose": dc, "rancherCompose": rc, "startOnCreate": true})
	settle(t, s)
	if st = c.reload(st); st["state"] != "active" || st["healthState"] != "healthy" {
		t.Fatalf("stack %v %v %v", st["state"], st["healthState"], st["transitioningMessage"])
	}
	byName := map[string]ServiceInfo{}
	for _, svc := range s.Services("full") {
		byName[svc.Name] = svc
	}
	if len(byName) != 3 || byName["web"].State != "active" || byName["web"].Scale != 2 || byName["lb"].Kind != "loadBalancerService" {
		t.Fatalf("services %+v", byName)
	}
	if n := len(s.Containers(byName["web"].ID)); n != 4 {
		t.Errorf("web with a sidekick at scale 2: %d containers", n)
	}
	web := c.get("/v2-beta/services/" + byName["web"].ID)
	if ls := asMap(web["linkedServices"]); ls["database"] != byName["db"].ID {
		t.Errorf("links %v", ls)
	}
	rule := asMap(asList(asMap(c.get("/v2-beta/services/" + byName["lb"].ID)["lbConfig"])["portRules"])[0])
	if rule["serviceId"] != byName["web"].ID || toInt(rule["sourcePort"]) != 80 {
		t.Errorf("lb rule %v", rule)
	}
	up := c.action(st, "upgrade", map[string]any{"dockerCompose": strings.Replace(dc, "redis:3.2", "redis:4", 1), "rancherCompose": rc}, 202)
	if up["state"] != "upgrading" {
		t.Errorf("stack upgrade answer %v", up["state"])
	}
	settle(t, s)
	if st = c.reload(st); st["state"] != "upgraded" {
		t.Fatalf("stack after upgrade: %v %v", st["state"], st["transitioningMessage"])
	}
	db, _ := s.Service(byName["db"].ID)
	webAfter, _ := s.Service(byName["web"].ID)
	if db.State != "upgraded" || db.Image != "docker:redis:4" || webAfter.State != "active" {
		t.Errorf("only db changed: db %s %s, web %s", db.State, db.Image, webAfter.State)
	}
	c.action(st, "finishupgrade", nil, 202)
	settle(t, s)
	if db, _ = s.Service(byName["db"].ID); db.State != "active" || c.reload(st)["state"] != "active" {
		t.Errorf("finishupgrade: db %s stack %v", db.State, c.reload(st)["state"])
	}
	bad := c.must(201, "POST", "/v2-beta/stacks", map[string]any{"name": "bad", "dockerCompose": "web:\n  ports: [80]\n"})
	settle(t, s)
	if bad = c.reload(bad); bad["state"] != "error" || bad["transitioning"] != "error" || !strings.Contains(strOf(bad["transitioningMessage"]), "image is required") {
		t.Errorf("bad compose: %v %v %v", bad["state"], bad["transitioning"], bad["transitioningMessage"])
	}
}

func TestStackUpgradeRollbackCancel(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:v1"}})
	st = c.reload(st)
	up := c.action(st, "upgrade", map[string]any{}, 202)
	if up["state"] != "upgrading" {
		t.Fatalf("stack upgrade: %v", up["state"])
	}
	settle(t, s)
	st = c.reload(st)
	if st["state"] != "upgraded" || actionNames(st) != "activateservices addoutputs deactivateservices exportconfig finishupgrade remove rollback" {
		t.Fatalf("upgraded stack: %v %s", st["state"], actionNames(st))
	}
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"launchConfig": map[string]any{"imageUuid": "docker:v2"}}}, 202)
	settle(t, s)
	c.action(st, "rollback", nil, 202)
	settle(t, s)
	got, _ := s.Service(svc["id"].(string))
	if st = c.reload(st); st["state"] != "active" || got.State != "active" || got.Image != "docker:v1" {
		t.Errorf("stack rollback: stack %v, service %s %s", st["state"], got.State, got.Image)
	}
	c.action(st, "addoutputs", map[string]any{"outputs": map[string]any{"url": "http://x"}}, 200)
	if out := asMap(c.reload(st)["outputs"]); out["url"] != "http://x" {
		t.Errorf("outputs %v", out)
	}
	c.action(c.reload(st), "upgrade", map[string]any{}, 202)
	c.action(c.reload(st), "cancelupgrade", nil, 202)
	settle(t, s)
	if st = c.reload(st); st["state"] != "canceled-upgrade" || actionNames(st) != "activateservices addoutputs deactivateservices exportconfig remove rollback upgrade" {
		t.Errorf("canceled stack: %v %s", st["state"], actionNames(st))
	}
}

// TestReadmeWorkedExample follows the README's curl example: a stack, a service with startOnCreate,
// watched until it is active with its two containers on two hosts.
func TestReadmeWorkedExample(t *testing.T) {
	s, c := startSim(t, Options{Hosts: 3})
	st := c.must(201, "POST", "/v2-beta/stacks", map[string]any{"name": "demo"})
	if st["id"] != "1st1" || st["state"] != "activating" {
		t.Errorf("stack %v %v", st["id"], st["state"])
	}
	svc := c.must(201, "POST", "/v2-beta/services", `{"name":"web","stackId":"1st1","scale":2,"startOnCreate":true,
  "launchConfig":{"imageUuid":"docker:nginx:1.13","ports":["8080:80/tcp"]}}`)
	if svc["id"] != "1s1" || svc["state"] != "registering" {
		t.Errorf("service %v %v", svc["id"], svc["state"])
	}
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		advance(t, s, 300*time.Millisecond)
		r := c.get("/v2-beta/services/1s1")
		seen[strOf(r["state"])+"/"+strOf(r["transitioning"])+"/"+strOf(r["healthState"])] = true
	}
	if !seen["activating/yes/unhealthy"] || !seen["active/no/healthy"] {
		t.Errorf("states seen %v", seen)
	}
	hosts := map[string]bool{}
	for _, d := range asList(c.get("/v2-beta/services/1s1/instances")["data"]) {
		m := asMap(d)
		if !strings.HasPrefix(strOf(m["name"]), "demo-web-") || m["state"] != "running" {
			t.Errorf("container %v %v", m["name"], m["state"])
		}
		hosts[strOf(m["hostId"])] = true
	}
	if len(hosts) != 2 {
		t.Errorf("two containers with host port 8080 need two hosts: %v", hosts)
	}
}

// Outputs given at a stack's create (create: true in the schema) are its first state: in the create's
// answer and in every read after it (the deploy lock of a stack a run creates travels this way).
func TestStackCreateStoresOutputs(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.must(201, "POST", "/v2-beta/stacks", map[string]any{"name": "app", "outputs": map[string]any{"lock": "run-1"}})
	if out := asMap(st["outputs"]); out["lock"] != "run-1" {
		t.Errorf("create answer outputs %v", st["outputs"])
	}
	if out := asMap(c.reload(st)["outputs"]); out["lock"] != "run-1" {
		t.Errorf("outputs read back %v", out)
	}
	dup := c.do("POST", "/v2-beta/stacks", map[string]any{"name": "App", "outputs": map[string]any{"lock": "run-2"}})
	assertError(t, dup, 422, "NotUnique", "name")
	if out := asMap(c.reload(st)["outputs"]); out["lock"] != "run-1" {
		t.Errorf("a refused duplicate changed the outputs: %v", out)
	}
}
