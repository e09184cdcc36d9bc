package sim

import (
	"encoding/json"
	"testing"
)

// jobStack starts a simulator whose migrate:ok and migrate:bad images exit 0 and 1, and runs one
// start-once service of each plus a long-running web service. It returns the containers' JSON by service.
func jobStack(t *testing.T, opts Options) (*Server, *client, map[string]map[string]any) {
	t.Helper()
	zero, one := 0, 1
	opts.Images = []ImageBehavior{{Glob: "migrate:ok", ExitCode: &zero}, {Glob: "migrate:bad", ExitCode: &one}}
	s, c := startSim(t, opts)
	st := c.createStack("app")
	out := map[string]map[string]any{}
	for name, img := range map[string]string{"ok": "migrate:ok", "bad": "migrate:bad", "web": "nginx:1"} {
		lc := map[string]any{"imageUuid": "docker:" + img}
		if name != "web" {
			lc["labels"] = map[string]any{"io.rancher.container.start_once": "true"}
		}
		svc := activeService(t, s, c, map[string]any{"name": name, "stackId": st["id"], "launchConfig": lc})
		list := asList(c.get(asMap(svc["links"])["instances"].(string))["data"])
		if len(list) != 1 {
			t.Fatalf("%s: %d containers", name, len(list))
		}
		out[name] = asMap(list[0])
	}
	return s, c, out
}

func containerSchemaFields(t *testing.T, c *client, path string) map[string]any {
	t.Helper()
	for _, d := range asList(c.get(path)["data"]) {
		if m := asMap(d); m["id"] == "container" {
			return asMap(m["resourceFields"])
		}
	}
	t.Fatalf("%s has no container schema", path)
	return nil
}

func TestExitCodeHiddenByDefaultAsInStock16(t *testing.T) {
	_, c, cs := jobStack(t, Options{})
	for name, ctr := range cs {
		if _, has := ctr["lastExitCode"]; has {
			t.Errorf("%s renders lastExitCode without ExposeExitCode: %v", name, ctr["lastExitCode"])
		}
		if _, has := ctr["exitCode"]; has {
			t.Errorf("%s renders exitCode", name)
		}
	}
	if cs["bad"]["state"] != "stopped" {
		t.Errorf("the failing job is %v, want stopped", cs["bad"]["state"])
	}
	if _, has := containerSchemaFields(t, c, "/v2-beta/schemas")["lastExitCode"]; has {
		t.Error("the default container schema has lastExitCode; the captured 1.6 schema has none")
	}
}

func TestExposeExitCodeRendersLastExitCode(t *testing.T) {
	_, c, cs := jobStack(t, Options{ExposeExitCode: true})
	for name, want := range map[string]any{"ok": json.Number("0"), "bad": json.Number("1"), "web": nil} {
		got, has := cs[name]["lastExitCode"]
		if !has || got != want {
			t.Errorf("%s (%v): lastExitCode %v (present %v), want %v", name, cs[name]["state"], got, has, want)
		}
	}
	for _, path := range []string{"/v2-beta/schemas", "/v1/schemas"} {
		f := asMap(containerSchemaFields(t, c, path)["lastExitCode"])
		if f["type"] != "int" || f["nullable"] != true || f["create"] != false || f["update"] != false {
			t.Errorf("%s: container.lastExitCode = %v, want a read-only nullable int", path, f)
		}
	}
	one := c.get("/v2-beta/schemas/container")
	if _, has := asMap(one["resourceFields"])["lastExitCode"]; !has {
		t.Error("/v2-beta/schemas/container lacks lastExitCode")
	}
	if _, has := containerSchemaFields(t, c, "/v2-beta/schemas")["startCount"]; !has {
		t.Error("the edited schema lost startCount")
	}
}

func TestLastExitCodeOfACrashIsKeptAcrossTheRestart(t *testing.T) {
	s, c := startSim(t, Options{ExposeExitCode: true})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:nginx"}})
	victim := s.Containers(svc["id"].(string))[0]
	if err := s.CrashContainer(victim.ID, 137); err != nil {
		t.Fatal(err)
	}
	settle(t, s)
	got := c.get("/v2-beta/containers/" + victim.ID)
	if got["state"] != "running" || got["lastExitCode"] != json.Number("137") || got["startCount"] != json.Number("2") {
		t.Errorf("restarted container: state %v lastExitCode %v startCount %v", got["state"], got["lastExitCode"], got["startCount"])
	}
}

func TestFeaturesControlSwitchesExitCodesAtRunTime(t *testing.T) {
	s, c, cs := jobStack(t, Options{})
	ctl := &client{t: t, s: s}
	if f := ctl.get("/_sim/features"); f["exposeExitCode"] != false {
		t.Errorf("features %v", f)
	}
	if f := ctl.must(200, "PUT", "/_sim/features", map[string]any{"exposeExitCode": true}); f["exposeExitCode"] != true || !s.ExposeExitCode() {
		t.Errorf("after PUT: %v", f)
	}
	bad := c.get("/v2-beta/containers/" + cs["bad"]["id"].(string))
	if bad["lastExitCode"] != json.Number("1") {
		t.Errorf("an exit before the switch is reported once on: lastExitCode %v", bad["lastExitCode"])
	}
	if _, has := containerSchemaFields(t, c, "/v2-beta/schemas")["lastExitCode"]; !has {
		t.Error("schema lacks lastExitCode once switched on")
	}
	if r := ctl.do("PUT", "/_sim/features", map[string]any{"exposeExitCodes": true}); r.status != 400 {
		t.Errorf("unknown feature: status %d", r.status)
	}
	ctl.must(200, "PUT", "/_sim/features", map[string]any{"exposeExitCode": false})
	if _, has := c.get("/v2-beta/containers/" + cs["bad"]["id"].(string))["lastExitCode"]; has {
		t.Error("lastExitCode still rendered after switching off")
	}
	if _, has := containerSchemaFields(t, c, "/v2-beta/schemas")["lastExitCode"]; has {
		t.Error("schema still has lastExitCode after switching off")
	}
}
