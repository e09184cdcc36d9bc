package sim

import (
	"strings"
	"testing"
)

func TestRancherStyleIDsAndPrefixAgnosticLookup(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:nginx"})
	db := c.createService(st["id"].(string), "db", 1, map[string]any{"imageUuid": "docker:redis"})
	settle(t, s)
	c.action(c.reload(svc), "setservicelinks", map[string]any{"serviceLinks": []any{map[string]any{"serviceId": db["id"]}}}, 200)
	c.action(c.reload(svc), "activate", nil, 202)
	pt := c.must(201, "POST", "/v2-beta/pulltasks", map[string]any{"image": "nginx"})
	vt := c.must(201, "POST", "/v2-beta/volumetemplates", map[string]any{"name": "data", "stackId": st["id"]})
	cert := c.must(201, "POST", "/v2-beta/certificates", map[string]any{"name": "tls", "cert": "x", "key": "y"})
	settle(t, s)
	inst := asMap(asList(c.get("/v2-beta/services/" + svc["id"].(string) + "/instances")["data"])[0])
	scm := asMap(asList(c.get("/v2-beta/serviceconsumemaps")["data"])[0])
	host := asMap(asList(c.get("/v2-beta/hosts")["data"])[0])
	setting := c.get("/v2-beta/settings/rancher.compose.version")
	for id, prefix := range map[any]string{st["id"]: "1st", svc["id"]: "1s", inst["id"]: "1i", host["id"]: "1h",
		scm["id"]: "1scm", pt["id"]: "1go", vt["id"]: "1vt", cert["id"]: "1c", setting["id"]: "1as!"} {
		if !strings.HasPrefix(strOf(id), prefix) {
			t.Errorf("id %v, want prefix %s", id, prefix)
		}
	}
	if inst["type"] != "container" || inst["baseType"] != "instance" || setting["value"] != "v0.12.5" {
		t.Errorf("container %v/%v, setting %v", inst["type"], inst["baseType"], setting["value"])
	}
	if r := c.do("GET", "/v2-beta/services/1e1", nil); r.status != 200 || r.body["id"] != "1s1" {
		t.Errorf("ids parse prefix-agnostically: %d %v", r.status, r.body["id"])
	}
	if r := c.do("GET", "/v2-beta/services/web", nil); r.status != 404 {
		t.Errorf("unparsable id: %d", r.status)
	}
	raw := c.do("GET", "/v2-beta/schemas", nil).raw
	if strings.Contains(raw, "104.198.187.165") || !strings.Contains(raw, s.URL()+"/v2-beta/schemas/service") {
		t.Errorf("schema links not rewritten to the simulator's URL")
	}
	if one := c.get("/v2-beta/projects/1a5/schemas/loadbalancerservice"); one["id"] != "loadBalancerService" ||
		asMap(one["links"])["collection"] != s.URL()+"/v2-beta/projects/1a5/loadbalancerservices" {
		t.Errorf("one schema: %v %v", one["id"], one["links"])
	}
	if r := c.do("GET", "/v2-beta/schemas/nope", nil); r.status != 404 {
		t.Errorf("unknown schema: %d", r.status)
	}
	svcJSON := c.reload(svc)
	for _, field := range []string{"assignServiceIpAddress", "createIndex", "created", "createdTS", "currentScale",
		"description", "externalId", "fqdn", "healthState", "instanceIds", "kind", "launchConfig", "lbConfig",
		"linkedServices", "metadata", "name", "publicEndpoints", "removed", "retainIp", "scale", "scalePolicy",
		"secondaryLaunchConfigs", "selectorContainer", "selectorLink", "stackId", "startOnCreate", "state", "system",
		"transitioning", "transitioningMessage", "transitioningProgress", "upgrade", "uuid", "vip", "accountId"} {
		if _, ok := svcJSON[field]; !ok {
			t.Errorf("service lacks schema field %s", field)
		}
	}
	if svcJSON["description"] != nil || svcJSON["retainIp"] != nil || svcJSON["system"] != false {
		t.Errorf("unset fields: description %v retainIp %v system %v", svcJSON["description"], svcJSON["retainIp"], svcJSON["system"])
	}
	lc := asMap(svcJSON["launchConfig"])
	if lc["type"] != "launchConfig" || lc["networkMode"] != "managed" || lc["version"] != "0" || lc["kind"] != "container" {
		t.Errorf("launchConfig defaults: %v", lc)
	}
}
