package sim

import (
	"strings"
	"testing"
)

func TestServiceCreateRewritesPortsAndAllocatesFromTheEnvironmentRange(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:nginx",
		"ports": []any{"123", "80:81", "10.0.0.1:8080:80/udp", "456/udp"}})
	got := stringList(asMap(svc["launchConfig"])["ports"])
	want := []string{"80:81/tcp", "10.0.0.1:8080:80/udp", "49153:123/tcp", "49154:456/udp"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ports %v, want %v", got, want)
	}
	other := c.createService(st["id"].(string), "db", 1, map[string]any{"imageUuid": "docker:redis", "ports": []any{"6379"}})
	if got := stringList(asMap(other["launchConfig"])["ports"]); len(got) != 1 || got[0] != "49155:6379/tcp" {
		t.Errorf("second service took %v, want the next free port 49155", got)
	}
	if rng := asMap(c.get("/v2-beta/projects/1a5")["servicesPortRange"]); toInt(rng["startPort"]) != 49153 || toInt(rng["endPort"]) != 65535 {
		t.Errorf("project servicesPortRange %v", rng)
	}
}

func TestPortsAllocatedToARemovedServiceAreFreedAgain(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:nginx", "ports": []any{"80"}})
	settle(t, s)
	c.must(200, "DELETE", strOf(asMap(svc["links"])["self"]), nil)
	settle(t, s)
	again := c.createService(st["id"].(string), "web2", 1, map[string]any{"imageUuid": "docker:nginx", "ports": []any{"80"}})
	if got := stringList(asMap(again["launchConfig"])["ports"]); got[0] != "49153:80/tcp" {
		t.Errorf("port not released: %v", got)
	}
}

func TestLoadBalancerPortsGetTheirPrivatePortAsPublic(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.createStack("app")
	lb := c.must(201, "POST", "/v2-beta/loadbalancerservices", map[string]any{"name": "lb", "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:rancher/lb-service-haproxy:v0.7.9", "ports": []any{"7900/tcp", "80"}},
		"lbConfig":     map[string]any{"portRules": []any{map[string]any{"sourcePort": 7900, "targetPort": 80, "protocol": "http"}}}})
	if got := stringList(asMap(lb["launchConfig"])["ports"]); strings.Join(got, ",") != "7900:7900/tcp,80:80/tcp" {
		t.Errorf("lb ports %v", got)
	}
}

func TestBadPortSpecIsRefusedLikePortSpec(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.createStack("app")
	for spec, code := range map[string]string{"abc": "PortWrongFormat", "70000": "PortInvalidPrivatePort",
		"0:80": "PortInvalidPublicPort", "80/sctp": "PortInvalidProtocol"} {
		r := c.do("POST", "/v2-beta/services", map[string]any{"name": "web", "stackId": st["id"],
			"launchConfig": map[string]any{"imageUuid": "docker:nginx", "ports": []any{spec}}})
		if r.status != 422 || r.body["code"] != code {
			t.Errorf("port %q: %d %v, want 422 %s", spec, r.status, r.body["code"], code)
		}
	}
	if n := len(c.get("/v2-beta/services")["data"].([]any)); n != 0 {
		t.Errorf("a refused service was stored (%d services)", n)
	}
}

func TestPortPoolExhaustionLeavesTheServiceInError(t *testing.T) {
	s, c := startSim(t, Options{})
	s.mu.Lock()
	s.st.get("project", "1a5").f["servicesPortRange"] = map[string]any{"startPort": 50000, "endPort": 50000}
	s.mu.Unlock()
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:nginx", "ports": []any{"80", "81"}})
	if svc["transitioning"] != "error" || !strings.Contains(strOf(svc["transitioningMessage"]), "Needed: 2, available: 1") {
		t.Errorf("exhausted pool: transitioning %v %v", svc["transitioning"], svc["transitioningMessage"])
	}
}

func TestInServiceUpgradeKeepsAllocatedPublicPortsLikePreserveOldRandomPorts(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:nginx", "ports": []any{"123"}})
	settle(t, s)
	upgrade := func(ports ...any) string {
		c.action(c.reload(svc), "upgrade", map[string]any{"inServiceStrategy": map[string]any{
			"launchConfig": map[string]any{"imageUuid": "docker:nginx:2", "ports": ports}}}, 202)
		got := portsOf(c.reload(svc))
		settle(t, s)
		c.action(c.reload(svc), "finishupgrade", nil, 202)
		settle(t, s)
		return got
	}
	if got := upgrade("123", "80:80"); got != "49153:123/tcp,80:80/tcp" {
		t.Errorf("upgrade keeping port 123: %s, want the allocated 49153 kept and every port rewritten", got)
	}
	if got := upgrade("80:80", "8080"); got != "80:80,8080" {
		t.Errorf("upgrade with no port to preserve: %s, want the ports as sent (Cattle allocates only on create)", got)
	}
	r := c.do("POST", strOf(asMap(c.reload(svc)["actions"])["upgrade"]), map[string]any{"inServiceStrategy": map[string]any{
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:3", "ports": []any{"x"}}}})
	if r.status != 422 || r.body["code"] != "PortWrongFormat" {
		t.Errorf("upgrade with a bad port: %d %v", r.status, r.body["code"])
	}
}
