package sim

// The five tests of rancher-compose v0.12.5 tests/integration/cattletest/core/test_service.py, ported:
// each drives the simulator with the requests the python cattle client sends (create_stack with
// dockerCompose/rancherCompose/environment, wait_success = poll until not transitioning, the stack
// actions) and asserts what the original asserts.

import (
	"sort"
	"strings"
	"testing"
)

// createComposeStack is client.create_stack(...) followed by client.wait_success.
func createComposeStack(t *testing.T, s *Server, c *client, body map[string]any) map[string]any {
	t.Helper()
	st := c.must(201, "POST", "/v2-beta/stacks", body)
	settle(t, s)
	return c.reload(st)
}

// stackServices is env.services(): the services link.
func (c *client) stackServices(stack map[string]any) []map[string]any {
	c.t.Helper()
	var out []map[string]any
	for _, x := range asList(c.get(strOf(asMap(stack["links"])["services"]))["data"]) {
		out = append(out, asMap(x))
	}
	sort.Slice(out, func(i, j int) bool { return strOf(out[i]["name"]) < strOf(out[j]["name"]) })
	return out
}

func TestUpstreamServiceStackCreateUpgradeFinish(t *testing.T) {
	s, c := startSim(t, Options{})
	env := createComposeStack(t, s, c, map[string]any{"name": "project-a", "dockerCompose": "one:\n  image: nginx\n\ntwo:\n  image: nginx\n",
		"rancherCompose": ".catalog:\n  uuid: foo\n"})
	if env["state"] != "active" || env["externalId"] != nil {
		t.Fatalf("created stack: state %v externalId %v", env["state"], env["externalId"])
	}
	names := []string{}
	for _, svc := range c.stackServices(env) {
		if svc["state"] != "inactive" {
			t.Errorf("service %v is %v right after the stack turned active, want inactive", svc["name"], svc["state"])
		}
		names = append(names, strOf(svc["name"]))
	}
	if len(names) != 2 || names[0] != "one" || names[1] != "two" {
		t.Errorf("services %v", names)
	}
	c.action(env, "activateservices", nil, 200)
	settle(t, s)
	for _, svc := range c.stackServices(env) {
		if svc["state"] != "active" {
			t.Errorf("after activateservices %v is %v", svc["name"], svc["state"])
		}
	}
	c.action(c.reload(env), "upgrade", map[string]any{"dockerCompose": "one:\n  image: nginx:2\n\ntwo:\n  image: nginx\n",
		"rancherCompose": ".catalog:\n  uuid: foo2\n", "externalId": "foo2"}, 202)
	settle(t, s)
	env = c.reload(env)
	for _, svc := range c.stackServices(env) {
		want := map[string]string{"one": "upgraded", "two": "active"}[strOf(svc["name"])]
		if svc["state"] != want {
			t.Errorf("after the stack upgrade %v is %v, want %s", svc["name"], svc["state"], want)
		}
	}
	if env["externalId"] != "foo2" || env["previousExternalId"] != "" {
		t.Errorf("upgraded stack: externalId %v previousExternalId %#v, want foo2 and \"\"", env["externalId"], env["previousExternalId"])
	}
	c.action(env, "finishupgrade", nil, 202)
	settle(t, s)
	env = c.reload(env)
	for _, svc := range c.stackServices(env) {
		if svc["state"] != "active" {
			t.Errorf("after finishupgrade %v is %v", svc["name"], svc["state"])
		}
	}
	if env["externalId"] != "foo2" || env["previousExternalId"] != nil {
		t.Errorf("finished stack: externalId %v previousExternalId %#v", env["externalId"], env["previousExternalId"])
	}
}

func TestUpstreamServiceStackCreateAndUpgrade(t *testing.T) {
	s, c := startSim(t, Options{})
	env := createComposeStack(t, s, c, map[string]any{"name": "project-b", "dockerCompose": "one:\n  image: nginx\n\ntwo:\n  image: nginx\n",
		"environment": map[string]any{"a": "b", "d": "e"}, "rancherCompose": ".catalog:\n  uuid: foo\n"})
	c.action(env, "activateservices", nil, 200)
	settle(t, s)
	env = c.reload(env)
	if env["state"] != "active" {
		t.Fatalf("stack %v", env["state"])
	}
	assertJSON(t, "environment", env["environment"], `{"a":"b","d":"e"}`)
	for _, svc := range c.stackServices(env) {
		if svc["state"] != "active" {
			t.Errorf("%v is %v", svc["name"], svc["state"])
		}
	}
	up := c.action(env, "upgrade", map[string]any{"dockerCompose": "one:\n  image: nginx:2\n\ntwo:\n  image: nginx\n",
		"environment": map[string]any{"a": "x"}, "rancherCompose": ".catalog:\n  uuid: foo2\n", "externalId": "foo2"}, 202)
	assertJSON(t, "environment in the upgrade answer", up["environment"], `{"a":"b","d":"e"}`)
	settle(t, s)
	env = c.reload(env)
	if env["state"] != "upgraded" {
		t.Errorf("stack %v after upgrade", env["state"])
	}
	for _, svc := range c.stackServices(env) {
		if svc["name"] == "one" && svc["state"] != "upgraded" {
			t.Errorf("one is %v", svc["state"])
		}
	}
	assertJSON(t, "merged environment", env["environment"], `{"a":"x","d":"e"}`)
	assertJSON(t, "previousEnvironment", env["previousEnvironment"], `{"a":"b","d":"e"}`)
	c.action(env, "rollback", nil, 202)
	settle(t, s)
	env = c.reload(env)
	if env["state"] != "active" {
		t.Errorf("stack %v after rollback", env["state"])
	}
	for _, svc := range c.stackServices(env) {
		if svc["state"] != "active" {
			t.Errorf("%v is %v after rollback", svc["name"], svc["state"])
		}
	}
	if env["externalId"] != "foo2" || env["previousExternalId"] != nil || env["previousEnvironment"] != nil {
		t.Errorf("rolled back: externalId %v previousExternalId %#v previousEnvironment %v", env["externalId"],
			env["previousExternalId"], env["previousEnvironment"])
	}
	assertJSON(t, "environment after rollback", env["environment"], `{"a":"b","d":"e"}`)
}

func TestUpstreamServiceStackChangeScaleUpgrade(t *testing.T) {
	s, c := startSim(t, Options{})
	env := createComposeStack(t, s, c, map[string]any{"name": "project-c", "dockerCompose": "one:\n  image: nginx\n",
		"rancherCompose": "one:\n  scale: 2\n"})
	c.action(env, "activateservices", nil, 200)
	settle(t, s)
	env = c.reload(env)
	if env["state"] != "active" {
		t.Fatalf("stack %v", env["state"])
	}
	svc := c.stackServices(env)[0]
	if asMap(svc["launchConfig"])["imageUuid"] != "docker:nginx" || toInt(svc["scale"]) != 2 {
		t.Errorf("service image %v scale %v", asMap(svc["launchConfig"])["imageUuid"], svc["scale"])
	}
	c.action(env, "upgrade", map[string]any{"dockerCompose": "one:\n  image: nginx:2\n",
		"rancherCompose": "one:\n  metadata:\n    foo: bar\n  scale: 4\n"}, 202)
	settle(t, s)
	env = c.reload(env)
	if env["state"] != "upgraded" {
		t.Errorf("stack %v", env["state"])
	}
	svc = c.stackServices(env)[0]
	if asMap(svc["launchConfig"])["imageUuid"] != "docker:nginx:2" || toInt(svc["scale"]) != 2 {
		t.Errorf("upgraded service image %v scale %v, want nginx:2 and the scale kept at 2", asMap(svc["launchConfig"])["imageUuid"], svc["scale"])
	}
}

func TestUpstreamServiceStackCreateCircles(t *testing.T) {
	s, c := startSim(t, Options{})
	env := createComposeStack(t, s, c, map[string]any{"name": "project-d",
		"dockerCompose": "one:\n  image: nginx\n  links:\n  - two\n\ntwo:\n  image: nginx\n  links:\n  - one\n"})
	for _, svc := range c.stackServices(env) {
		consumed := asList(c.get(strOf(asMap(svc["links"])["consumedservices"]))["data"])
		if len(consumed) != 1 {
			t.Errorf("%v consumes %d services, want 1", svc["name"], len(consumed))
		}
	}
}

func TestUpstreamServiceStackVariableInterpolation(t *testing.T) {
	s, c := startSim(t, Options{})
	env := createComposeStack(t, s, c, map[string]any{"name": "project-e",
		"dockerCompose":  "one:\n  image: nginx\n  labels:\n    a: $a\n    d: $d\n",
		"environment":    map[string]any{"a": "b"},
		"rancherCompose": ".catalog:\n  uuid: foo\n  questions:\n  - variable: d\n    default: e\n"})
	c.action(env, "activateservices", nil, 200)
	settle(t, s)
	env = c.reload(env)
	if env["state"] != "active" {
		t.Fatalf("stack %v", env["state"])
	}
	assertJSON(t, "environment", env["environment"], `{"a":"b"}`)
	for _, svc := range c.stackServices(env) {
		labels := asMap(asMap(svc["launchConfig"])["labels"])
		if svc["state"] != "active" || labels["a"] != "b" || labels["d"] != "e" {
			t.Errorf("%v: state %v labels a=%v d=%v, want active, b, e", svc["name"], svc["state"], labels["a"], labels["d"])
		}
	}
}

func TestComposeStackWhoseServiceCannotRegisterEndsInError(t *testing.T) {
	s, c := startSim(t, Options{})
	s.mu.Lock()
	s.st.get("project", "1a5").f["servicesPortRange"] = map[string]any{"startPort": 50000, "endPort": 50000}
	s.mu.Unlock()
	env := createComposeStack(t, s, c, map[string]any{"name": "ports", "dockerCompose": "web:\n  image: nginx\n  ports:\n  - \"80\"\n  - \"81\"\n"})
	if env["state"] != "error" || !strings.Contains(strOf(env["transitioningMessage"]), "Not enough environment ports") {
		t.Errorf("stack %v %v, want error with the port pool message", env["state"], env["transitioningMessage"])
	}
}
