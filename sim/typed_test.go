package sim

import (
	"encoding/json"
	"testing"
)

func TestEmbeddedObjectsComeBackWithTheirSchemaTypeAndOnlyTheirSchemaFields(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.createStack("app")
	lc := map[string]any{
		"imageUuid": "docker:nginx",
		"build":     map[string]any{"dockerfile": "something/other", "remote": "github.com/ibuildthecloud/tiny-build", "bogus": 1},
		"blkioDeviceOptions": map[string]any{
			"/dev/null": map[string]any{"readBps": 4000, "readIops": nil, "weight": nil, "writeBps": 200, "writeIops": nil},
		},
		"logConfig": map[string]any{"driver": "syslog", "config": map[string]any{"tag": "foo"}},
		"disks":     []any{map[string]any{"name": "root", "size": "10g"}},
		"notAField": "dropped",
	}
	svc := c.must(201, "POST", "/v2-beta/services", map[string]any{"name": "web", "stackId": st["id"], "launchConfig": lc,
		"secondaryLaunchConfigs": []any{map[string]any{"name": "side", "imageUuid": "docker:busybox"}}})
	for _, got := range []map[string]any{svc, c.reload(svc)} {
		glc := asMap(got["launchConfig"])
		if glc["type"] != "launchConfig" {
			t.Errorf("launchConfig type %v", glc["type"])
		}
		if _, ok := glc["notAField"]; ok {
			t.Errorf("a key outside the launchConfig schema came back")
		}
		assertJSON(t, "build", glc["build"], `{"dockerfile":"something/other","remote":"github.com/ibuildthecloud/tiny-build","type":"dockerBuild"}`)
		assertJSON(t, "blkio", asMap(glc["blkioDeviceOptions"])["/dev/null"],
			`{"readBps":4000,"readIops":null,"type":"blkioDeviceOption","weight":null,"writeBps":200,"writeIops":null}`)
		assertJSON(t, "logConfig", glc["logConfig"], `{"config":{"tag":"foo"},"driver":"syslog","type":"logConfig"}`)
		assertJSON(t, "disks", glc["disks"], `[{"name":"root","size":"10g","type":"virtualMachineDisk"}]`)
		side := asMap(asList(got["secondaryLaunchConfigs"])[0])
		if side["type"] != "secondaryLaunchConfig" || side["name"] != "side" {
			t.Errorf("sidekick rendered %v %v", side["type"], side["name"])
		}
	}
}

func assertJSON(t *testing.T, what string, v any, want string) {
	t.Helper()
	b, _ := json.Marshal(v)
	if string(b) != want {
		t.Errorf("%s: %s, want %s", what, b, want)
	}
}
