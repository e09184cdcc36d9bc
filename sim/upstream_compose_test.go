package sim

// The rows of rancher-compose v0.12.5 tests/integration/cattletest/core/test_compose.py whose
// assertions depend on what Cattle does to a service on create (setPorts, typed embedded objects),
// ported at the API level: each posts the service bodies the original client sends (go-rancher's
// shape: "links"/"actions" null, launchConfig typed, the legacy load balancer's ports rewritten by
// rancher/lb_service.go rewritePorts, blkioDeviceOptions as scripts/transform returns them) and
// asserts what the python test asserts of the stored service. The client-side half of every row is
// ported through the CLI in e2e/original_*_test.go.

import (
	"strings"
	"testing"
)

// originalService posts one service the way go-rancher does and returns the stored service.
func originalService(c *client, stackID, kind string, body map[string]any) map[string]any {
	c.t.Helper()
	body["stackId"] = stackID
	body["links"], body["actions"] = nil, nil
	if lc := asMap(body["launchConfig"]); lc != nil {
		lc["type"], lc["links"], lc["actions"] = "launchConfig", nil, nil
	}
	path := "/v2-beta/services"
	if kind == "loadBalancerService" {
		path = "/v2-beta/loadbalancerservices"
	}
	return c.reload(c.must(201, "POST", path, body))
}

func portsOf(svc map[string]any) string {
	return strings.Join(stringList(asMap(svc["launchConfig"])["ports"]), ",")
}

// withoutType is the python test's _convert_instance: the object without its "type", which must be there.
func withoutType(t *testing.T, v any) map[string]any {
	t.Helper()
	m := asMap(v)
	if m == nil || m["type"] == nil {
		t.Fatalf("embedded object without a type: %v", v)
	}
	out := map[string]any{}
	for k, x := range m {
		if k != "type" {
			out[k] = x
		}
	}
	return out
}

func TestUpstreamComposeArgs(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.createStack("args")
	blkio := map[string]any{
		"/dev/null": map[string]any{"type": "blkioDeviceOption", "readBps": 4000, "readIops": nil, "weight": nil, "writeBps": 200, "writeIops": nil},
		"/dev/vda":  map[string]any{"type": "blkioDeviceOption", "readBps": nil, "readIops": 2000, "weight": nil, "writeBps": nil, "writeIops": 3000},
	}
	for _, withBuild := range []bool{true, false} {
		lc := map[string]any{"imageUuid": "docker:nginx", "command": []any{"/bin/sh", "-c"}, "ports": []any{"80:81", "123"},
			"dataVolumes": []any{"/tmp/foo", "/tmp/x:/tmp/y"}, "blkioDeviceOptions": blkio,
			"logConfig": map[string]any{"type": "logConfig", "driver": "syslog", "config": map[string]any{"tag": "foo"}},
			"labels": map[string]any{"a": "b", "c": "d", "io.rancher.service.selector.link": "bar in (a,b)",
				"io.rancher.service.selector.container": "foo", "io.rancher.service.hash": "0123"}}
		name := "web"
		if withBuild {
			lc["build"] = map[string]any{"dockerfile": "something/other", "remote": "github.com/ibuildthecloud/tiny-build"}
			name = "web-build"
		}
		svc := originalService(c, strOf(st["id"]), "service", map[string]any{"name": name, "scale": 1, "launchConfig": lc,
			"selectorLink": "bar in (a,b)", "selectorContainer": "foo"})
		got := asMap(svc["launchConfig"])
		if withBuild {
			assertJSON(t, "build", withoutType(t, got["build"]), `{"dockerfile":"something/other","remote":"github.com/ibuildthecloud/tiny-build"}`)
		}
		for _, p := range stringList(got["ports"]) {
			if p != "80:81/tcp" && !strings.HasSuffix(p, ":123/tcp") {
				t.Errorf("port %q", p)
			}
		}
		if _, has := got["name"]; has {
			t.Errorf("launchConfig has a name")
		}
		assertJSON(t, "logConfig", withoutType(t, got["logConfig"]), `{"config":{"tag":"foo"},"driver":"syslog"}`)
		dev := asMap(got["blkioDeviceOptions"])
		assertJSON(t, "/dev/null", withoutType(t, dev["/dev/null"]), `{"readBps":4000,"readIops":null,"weight":null,"writeBps":200,"writeIops":null}`)
		assertJSON(t, "/dev/vda", withoutType(t, dev["/dev/vda"]), `{"readBps":null,"readIops":2000,"weight":null,"writeBps":null,"writeIops":3000}`)
		if svc["selectorLink"] != "bar in (a,b)" || svc["selectorContainer"] != "foo" {
			t.Errorf("selectors %v %v", svc["selectorLink"], svc["selectorContainer"])
		}
	}
}

func TestUpstreamComposeGitBuild(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.createStack("gitbuild")
	svc := originalService(c, strOf(st["id"]), "service", map[string]any{"name": "nginx", "scale": 1, "launchConfig": map[string]any{
		"imageUuid": "docker:gitbuild_nginx_1a2b3c", "build": map[string]any{"remote": "github.com/ibuildthecloud/tiny-build"}}})
	lc := asMap(svc["launchConfig"])
	assertJSON(t, "build", withoutType(t, lc["build"]), `{"remote":"github.com/ibuildthecloud/tiny-build"}`)
	if !strings.HasPrefix(strOf(lc["imageUuid"]), "docker:gitbuild_nginx_") {
		t.Errorf("imageUuid %v", lc["imageUuid"])
	}
}

func TestUpstreamComposeVirtualMachine(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.createStack("vm")
	svc := originalService(c, strOf(st["id"]), "service", map[string]any{"name": "vm", "scale": 1, "launchConfig": map[string]any{
		"imageUuid": "docker:nginx", "kind": "virtualMachine", "vcpu": 2, "memoryMb": 1024, "userdata": "#cloud-config\nfoo\n",
		"disks": []any{map[string]any{"name": "foo", "size": "1g", "opts": map[string]any{"foo": "bar"}},
			map[string]any{"name": "foo2", "size": "2g"}}}})
	lc := asMap(svc["launchConfig"])
	if lc["kind"] != "virtualMachine" || toInt(lc["vcpu"]) != 2 || lc["userdata"] != "#cloud-config\nfoo\n" || toInt(lc["memoryMb"]) != 1024 {
		t.Errorf("vm launchConfig kind %v vcpu %v userdata %q memoryMb %v", lc["kind"], lc["vcpu"], lc["userdata"], lc["memoryMb"])
	}
	disks := asList(lc["disks"])
	assertJSON(t, "disk 0", withoutType(t, disks[0]), `{"name":"foo","opts":{"foo":"bar"},"size":"1g"}`)
	assertJSON(t, "disk 1", withoutType(t, disks[1]), `{"name":"foo2","size":"2g"}`)
}

func TestUpstreamComposeExtends(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.createStack("extends")
	local := originalService(c, strOf(st["id"]), "service", map[string]any{"name": "local", "scale": 1, "launchConfig": map[string]any{
		"imageUuid": "docker:local", "ports": []any{"80:80"}, "environment": map[string]any{"key": "value"}}})
	other := originalService(c, strOf(st["id"]), "service", map[string]any{"name": "other-base", "scale": 1, "launchConfig": map[string]any{
		"imageUuid": "docker:other", "ports": []any{"80:80", "81:81"}, "environment": map[string]any{"key": "value", "key2": "value2"}}})
	if got := portsOf(local); got != "80:80/tcp" {
		t.Errorf("local ports %s", got)
	}
	if got := portsOf(other); got != "80:80/tcp,81:81/tcp" {
		t.Errorf("other-base ports %s", got)
	}
}

// The seven legacy load balancer rows that assert launch ports: the original rewrites the compose
// ports to their source port (rewritePorts) and Cattle's setPorts makes that "src:src/tcp".
func TestUpstreamComposeLegacyLBPorts(t *testing.T) {
	for _, row := range []struct {
		test  string
		sent  []any
		rules []any
		want  string
	}{
		{"test_legacy_lb_default_port_http", []any{"7900/tcp"}, []any{rule(7900, 80)}, "7900:7900/tcp"},
		{"test_legacy_lb_default_port_with_mapped_tcp", []any{"80/tcp"}, []any{rule(80, 8080)}, "80:80/tcp"},
		{"test_legacy_lb_default_port_with_tcp", []any{"80/tcp"}, []any{rule(80, 80)}, "80:80/tcp"},
		{"test_legacy_lb_label_basic", []any{"80"}, []any{rule(80, 9090)}, "80:80/tcp"},
		{"test_legacy_lb_path_name", []any{"6000"}, []any{rule(6000, 7000), rule(6000, 8080)}, "6000:6000/tcp"},
		{"test_legacy_lb_label_override", []any{"1008", "1009"}, []any{rule(1008, 80), rule(1008, 80), rule(1009, 81), rule(1009, 81)}, "1008:1008/tcp,1009:1009/tcp"},
		{"test_legacy_lb_full_config", []any{"80"}, []any{rule(80, 80)}, "80:80/tcp"},
	} {
		t.Run(row.test, func(t *testing.T) {
			_, c := startSim(t, Options{})
			st := c.createStack("lb")
			web := originalService(c, strOf(st["id"]), "service", map[string]any{"name": "web", "scale": 1,
				"launchConfig": map[string]any{"imageUuid": "docker:nginx"}})
			for _, r := range row.rules {
				asMap(r)["serviceId"] = web["id"]
			}
			lb := originalService(c, strOf(st["id"]), "loadBalancerService", map[string]any{"name": "lb", "scale": 1,
				"type": "loadBalancerService", "lbConfig": map[string]any{"type": "lbConfig", "portRules": row.rules},
				"launchConfig": map[string]any{"imageUuid": "docker:rancher/lb-service-haproxy:v0.7.9", "ports": row.sent}})
			if got := portsOf(lb); got != row.want {
				t.Errorf("lb.launchConfig.ports %s, want %s", got, row.want)
			}
			rules := asList(asMap(lb["lbConfig"])["portRules"])
			if len(rules) != len(row.rules) || asMap(rules[0])["serviceId"] != web["id"] || asMap(rules[0])["type"] != "portRule" {
				t.Errorf("port rules %v", rules)
			}
		})
	}
}

func rule(source, target int) any {
	return map[string]any{"type": "portRule", "sourcePort": source, "targetPort": target, "protocol": "http"}
}
