package transform

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// decode turns a JSON literal into the map form the simulator hands to Transform.
func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return m
}

// roundTrip normalises a value through JSON so int64/float64 differences do not matter in comparisons.
func roundTrip(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// A request exactly as rancher-compose v0.12.5 sends it (goldens community-catalog-infra/dnsimple),
// trimmed of the keys Cattle never reads.
const dnsimpleRequest = `{"Name":"/dnsimple",
 "Config":{"Hostname":"","Domainname":"","User":"","ExposedPorts":{"1000/tcp":{}},"Tty":false,"OpenStdin":false,
  "Env":["NAME_TEMPLATE=%{{service_name}}.%{{stack_name}}","ROOT_DOMAIN=","TTL=60"],
  "Cmd":["-provider=dnsimple"],"Image":"rancher/external-dns:v0.6.0","Volumes":{},"WorkingDir":"","Entrypoint":null,
  "Labels":{"io.rancher.container.agent.role":"external-dns","io.rancher.container.create_agent":"true"}},
 "HostConfig":{"Binds":[],"LogConfig":{"Type":"","Config":null},"NetworkMode":"","PortBindings":{},
  "RestartPolicy":{"Name":"","MaximumRetryCount":0},"CapAdd":null,"CapDrop":null,"Dns":null,"DnsOptions":null,
  "DnsSearch":null,"ExtraHosts":null,"GroupAdd":null,"IpcMode":"","OomScoreAdj":0,"PidMode":"","Privileged":false,
  "PublishAllPorts":false,"ReadonlyRootfs":false,"SecurityOpt":null,"UTSMode":"","ShmSize":0,"Isolation":"",
  "CpuShares":0,"Memory":0,"CgroupParent":"","BlkioWeight":0,"BlkioWeightDevice":[],"CpuPeriod":0,"CpuQuota":0,
  "CpusetCpus":"","CpusetMems":"","Devices":[],"KernelMemory":0,"MemoryReservation":0,"MemorySwap":0,
  "MemorySwappiness":0,"OomKillDisable":false,"PidsLimit":0,"Ulimits":[]}}`

// §4.12: the whole answer for a typical request, field by field.
func TestTransformTypicalRequest(t *testing.T) {
	got, err := Transform(decode(t, dnsimpleRequest))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"type": "launchConfig", "kind": "container",
		"imageUuid":   "docker:rancher/external-dns:v0.6.0",
		"command":     []any{"-provider=dnsimple"},
		"entryPoint":  []any{},
		"environment": map[string]any{"NAME_TEMPLATE": "%{{service_name}}.%{{stack_name}}", "ROOT_DOMAIN": "", "TTL": "60"},
		"labels":      map[string]any{"io.rancher.container.agent.role": "external-dns", "io.rancher.container.create_agent": "true"},
		"tty":         false, "stdinOpen": false, "privileged": false, "publishAllPorts": false,
		"readOnly": false, "oomKillDisable": false,
		"dataVolumes": []any{}, "ports": []any{}, "dns": []any{}, "dnsSearch": []any{},
		"capAdd": []any{}, "capDrop": []any{}, "devices": []any{}, "lxcConf": map[string]any{},
		"memoryReservation": float64(0),
		"networkMode":       "bridge",
		"logConfig":         map[string]any{"type": "logConfig", "driver": "", "config": map[string]any{}},
	}
	if g := roundTrip(t, got); !reflect.DeepEqual(g, roundTrip(t, want)) {
		gb, _ := json.MarshalIndent(g, "", " ")
		t.Errorf("answer differs:\n%s", gb)
	}
}

// §4.12 field mappings, one rule per row.
func TestTransformFieldRules(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		field string
		want  any // nil = field must be absent
	}{
		{"image gets docker: prefix", `{"Config":{"Image":"nginx:1.13"}}`, "imageUuid", "docker:nginx:1.13"},
		{"docker: image kept", `{"Config":{"Image":"docker:nginx"}}`, "imageUuid", "docker:nginx"},
		{"sim: image kept", `{"Config":{"Image":"sim:foo"}}`, "imageUuid", "sim:foo"},
		{"empty image is null", `{"Config":{"Image":""}}`, "imageUuid", nil},
		{"env bare key is empty string", `{"Config":{"Env":["A","B=","C=x=y"]}}`, "environment",
			map[string]any{"A": "", "B": "", "C": "x=y"}},
		{"env null is empty map", `{"Config":{"Env":null}}`, "environment", map[string]any{}},
		{"label null value is empty string", `{"Config":{"Labels":{"a":null,"b":"x"}}}`, "labels",
			map[string]any{"a": "", "b": "x"}},
		{"label number stringified", `{"Config":{"Labels":{"n":5,"f":1.5,"t":true}}}`, "labels",
			map[string]any{"n": "5", "f": "1.5", "t": "true"}},
		{"labels always present", `{}`, "labels", map[string]any{}},
		{"cmd kept", `{"Config":{"Cmd":["a","b"]}}`, "command", []any{"a", "b"}},
		{"entrypoint null is empty list", `{"Config":{"Entrypoint":null}}`, "entryPoint", []any{}},
		{"entrypoint kept", `{"Config":{"Entrypoint":["/bin/sh","-c"]}}`, "entryPoint", []any{"/bin/sh", "-c"}},
		{"empty hostname is null", `{"Config":{"Hostname":""}}`, "hostname", nil},
		{"hostname kept", `{"Config":{"Hostname":"web"}}`, "hostname", "web"},
		{"domainname", `{"Config":{"Domainname":"example.com"}}`, "domainName", "example.com"},
		{"user", `{"Config":{"User":"root"}}`, "user", "root"},
		{"workingDir", `{"Config":{"WorkingDir":"/srv"}}`, "workingDir", "/srv"},
		{"tty", `{"Config":{"Tty":true}}`, "tty", true},
		{"stdinOpen from OpenStdin", `{"Config":{"OpenStdin":true}}`, "stdinOpen", true},
		{"stopSignal", `{"Config":{"StopSignal":"SIGTERM"}}`, "stopSignal", "SIGTERM"},
		{"volumeDriver read from Config", `{"Config":{"VolumeDriver":"rexray"}}`, "volumeDriver", "rexray"},
		{"volumeDriver not read from HostConfig", `{"Config":{},"HostConfig":{"VolumeDriver":"local"}}`, "volumeDriver", nil},
		{"privileged", `{"HostConfig":{"Privileged":true}}`, "privileged", true},
		{"dns", `{"HostConfig":{"Dns":["8.8.8.8"]}}`, "dns", []any{"8.8.8.8"}},
		{"dnsSearch", `{"HostConfig":{"DnsSearch":["a.com"]}}`, "dnsSearch", []any{"a.com"}},
		{"dnsOpt raw", `{"HostConfig":{"DnsOptions":["ndots:2"]}}`, "dnsOpt", []any{"ndots:2"}},
		{"dnsOpt null absent", `{"HostConfig":{"DnsOptions":null}}`, "dnsOpt", nil},
		{"capAdd", `{"HostConfig":{"CapAdd":["NET_ADMIN"]}}`, "capAdd", []any{"NET_ADMIN"}},
		{"capDrop", `{"HostConfig":{"CapDrop":["ALL"]}}`, "capDrop", []any{"ALL"}},
		{"device default permissions rwm", `{"HostConfig":{"Devices":[{"PathOnHost":"/dev/sda","PathInContainer":"/dev/a","CgroupPermissions":""}]}}`,
			"devices", []any{"/dev/sda:/dev/a:rwm"}},
		{"device permissions kept", `{"HostConfig":{"Devices":[{"PathOnHost":"/dev/sda","PathInContainer":"/dev/a","CgroupPermissions":"r"}]}}`,
			"devices", []any{"/dev/sda:/dev/a:r"}},
		{"memory from HostConfig", `{"HostConfig":{"Memory":100}}`, "memory", float64(100)},
		{"memory zero is null", `{"HostConfig":{"Memory":0}}`, "memory", nil},
		{"HostConfig memory overrides Config", `{"Config":{"Memory":5},"HostConfig":{"Memory":7}}`, "memory", float64(7)},
		{"zero HostConfig memory keeps Config", `{"Config":{"Memory":5},"HostConfig":{"Memory":0}}`, "memory", float64(5)},
		{"memorySwap", `{"HostConfig":{"MemorySwap":101}}`, "memorySwap", float64(101)},
		{"cpuShares", `{"HostConfig":{"CpuShares":42}}`, "cpuShares", float64(42)},
		{"cpuSet from CpusetCpus", `{"HostConfig":{"CpusetCpus":"1,2"}}`, "cpuSet", "1,2"},
		{"memoryReservation kept even when 0", `{"HostConfig":{"MemoryReservation":0}}`, "memoryReservation", float64(0)},
		{"memoryReservation", `{"HostConfig":{"MemoryReservation":1073741824}}`, "memoryReservation", float64(1073741824)},
		{"memoryReservation absent", `{"HostConfig":{}}`, "memoryReservation", nil},
		{"blkioWeight", `{"HostConfig":{"BlkioWeight":1000}}`, "blkioWeight", float64(1000)},
		{"cgroupParent", `{"HostConfig":{"CgroupParent":"abcd"}}`, "cgroupParent", "abcd"},
		{"cpuPeriod", `{"HostConfig":{"CpuPeriod":10000}}`, "cpuPeriod", float64(10000)},
		{"cpuQuota", `{"HostConfig":{"CpuQuota":20000}}`, "cpuQuota", float64(20000)},
		{"groupAdd", `{"HostConfig":{"GroupAdd":["root"]}}`, "groupAdd", []any{"root"}},
		{"memorySwappiness", `{"HostConfig":{"MemorySwappiness":100}}`, "memorySwappiness", float64(100)},
		{"oomKillDisable", `{"HostConfig":{"OomKillDisable":true}}`, "oomKillDisable", true},
		{"oomScoreAdj", `{"HostConfig":{"OomScoreAdj":100}}`, "oomScoreAdj", float64(100)},
		{"shmSize", `{"HostConfig":{"ShmSize":1024}}`, "shmSize", float64(1024)},
		{"uts from UTSMode", `{"HostConfig":{"UTSMode":"host"}}`, "uts", "host"},
		{"ipcMode", `{"HostConfig":{"IpcMode":"host"}}`, "ipcMode", "host"},
		{"pidMode", `{"HostConfig":{"PidMode":"host"}}`, "pidMode", "host"},
		{"empty pidMode is null", `{"HostConfig":{"PidMode":""}}`, "pidMode", nil},
		{"isolation", `{"HostConfig":{"Isolation":"default"}}`, "isolation", "default"},
		{"readOnly", `{"HostConfig":{"ReadonlyRootfs":true}}`, "readOnly", true},
		{"securityOpt", `{"HostConfig":{"SecurityOpt":["label:foo"]}}`, "securityOpt", []any{"label:foo"}},
		{"extraHosts", `{"HostConfig":{"ExtraHosts":["h:1.1.1.1"]}}`, "extraHosts", []any{"h:1.1.1.1"}},
		{"tmpfs", `{"HostConfig":{"Tmpfs":{"/run":"rw"}}}`, "tmpfs", map[string]any{"/run": "rw"}},
		{"sysctls", `{"HostConfig":{"Sysctls":{"net.core.somaxconn":"1024"}}}`, "sysctls", map[string]any{"net.core.somaxconn": "1024"}},
		{"lxcConf", `{"HostConfig":{"LxcConf":[{"Key":"k","Value":"v"}]}}`, "lxcConf", map[string]any{"k": "v"}},
		{"restartPolicy is not a launchConfig field", `{"HostConfig":{"RestartPolicy":{"Name":"always"}}}`, "restartPolicy", nil},
		{"name is not a launchConfig field", `{"Name":"/web","Config":{}}`, "name", nil},
		{"externalId from Id", `{"Id":"abc123"}`, "externalId", "abc123"},
		{"no HostConfig means no lists from it", `{"Config":{}}`, "dns", nil},
		{"no HostConfig means no dataVolumes", `{"Config":{"Volumes":{"/data":{}}}}`, "dataVolumes", nil},
		{"healthcheck", `{"Config":{"Healthcheck":{"Test":["CMD","true"],"Interval":1000,"Timeout":2000,"Retries":3}}}`,
			"healthCmd", []any{"CMD", "true"}},
		{"healthRetries with timeout", `{"Config":{"Healthcheck":{"Timeout":2000,"Retries":3}}}`, "healthRetries", float64(3)},
		{"healthRetries dropped without timeout (Cattle quirk)", `{"Config":{"Healthcheck":{"Retries":3}}}`, "healthRetries", nil},
		{"healthInterval", `{"Config":{"Healthcheck":{"Interval":1000}}}`, "healthInterval", float64(1000)},
		{"ulimits", `{"HostConfig":{"Ulimits":[{"Name":"nofile","Hard":20000,"Soft":10000},{"Hard":1}]}}`, "ulimits",
			[]any{map[string]any{"type": "ulimit", "name": "nofile", "hard": float64(20000), "soft": float64(10000)}}},
		{"empty ulimits absent", `{"HostConfig":{"Ulimits":[]}}`, "ulimits", nil},
		{"blkio options folded by device", `{"HostConfig":{"BlkioDeviceReadIOps":[{"Path":"/dev/vda","Rate":2000}],
			"BlkioDeviceWriteIOps":[{"Path":"/dev/vda","Rate":3000}],"BlkioDeviceReadBps":[{"Path":"/dev/null","Rate":4000}],
			"BlkioWeightDevice":[{"Path":"/dev/null","Weight":10}]}}`, "blkioDeviceOptions",
			map[string]any{
				"/dev/vda": map[string]any{"type": "blkioDeviceOption", "readIops": float64(2000), "writeIops": float64(3000),
					"readBps": nil, "writeBps": nil, "weight": nil},
				"/dev/null": map[string]any{"type": "blkioDeviceOption", "readBps": float64(4000), "weight": float64(10),
					"readIops": nil, "writeIops": nil, "writeBps": nil},
			}},
		{"logConfig driver and config", `{"HostConfig":{"LogConfig":{"Type":"json-file","Config":{"max-size":"25m"}}}}`, "logConfig",
			map[string]any{"type": "logConfig", "driver": "json-file", "config": map[string]any{"max-size": "25m"}}},
		{"logConfig present without HostConfig", `{}`, "logConfig",
			map[string]any{"type": "logConfig", "driver": "", "config": map[string]any{}}},
		{"kind always container", `{}`, "kind", "container"},
		{"type always launchConfig", `{}`, "type", "launchConfig"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Transform(decode(t, tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			v, present := got[tc.field]
			if tc.want == nil {
				if present {
					t.Fatalf("%s = %#v, want absent", tc.field, v)
				}
				return
			}
			if !present {
				t.Fatalf("%s absent, want %#v", tc.field, tc.want)
			}
			if g := roundTrip(t, v); !reflect.DeepEqual(g, roundTrip(t, tc.want)) {
				t.Errorf("%s = %#v, want %#v", tc.field, g, tc.want)
			}
		})
	}
}

// §4.12 "ports (only exposed ports that have bindings)" and §4.3 dataVolumes.
func TestTransformPortsAndVolumes(t *testing.T) {
	tests := []struct {
		name  string
		doc   string
		ports []any
		vols  []any
	}{
		{"no ports", `{"Config":{},"HostConfig":{}}`, []any{}, []any{}},
		{"exposed without binding is dropped", `{"Config":{"ExposedPorts":{"80/tcp":{}}},"HostConfig":{"PortBindings":{}}}`, []any{}, []any{}},
		{"binding with host port", `{"Config":{"ExposedPorts":{"80/tcp":{}}},"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":"8080"}]}}}`,
			[]any{"8080:80/tcp"}, []any{}},
		{"binding without host port", `{"Config":{"ExposedPorts":{"80/tcp":{}}},"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"","HostPort":""}]}}}`,
			[]any{"80/tcp"}, []any{}},
		{"host ip dropped", `{"Config":{"ExposedPorts":{"80/tcp":{}}},"HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"81"}]}}}`,
			[]any{"81:80/tcp"}, []any{}},
		{"udp and several bindings", `{"Config":{"ExposedPorts":{"53/udp":{}}},"HostConfig":{"PortBindings":{"53/udp":[{"HostPort":"53"},{"HostPort":"5353"}]}}}`,
			[]any{"53:53/udp", "5353:53/udp"}, []any{}},
		{"key without protocol is tcp", `{"Config":{"ExposedPorts":{"80":{}}},"HostConfig":{"PortBindings":{"80/tcp":[{"HostPort":"80"}]}}}`,
			[]any{"80:80/tcp"}, []any{}},
		{"binding for unexposed port ignored", `{"Config":{"ExposedPorts":{}},"HostConfig":{"PortBindings":{"80/tcp":[{"HostPort":"80"}]}}}`,
			[]any{}, []any{}},
		{"ports in string-sorted key order", `{"Config":{"ExposedPorts":{"81/tcp":{},"443/tcp":{}}},"HostConfig":{"PortBindings":{"81/tcp":[{"HostPort":"1"}],"443/tcp":[{"HostPort":"2"}]}}}`,
			[]any{"2:443/tcp", "1:81/tcp"}, []any{}}, // Go clients send keys string-sorted
		{"volumes then binds", `{"Config":{"Volumes":{"/data":{},"/a":{}}},"HostConfig":{"Binds":["/var/run/docker.sock:/var/run/docker.sock","vol:/home:ro"]}}`,
			[]any{}, []any{"/a", "/data", "/var/run/docker.sock:/var/run/docker.sock", "vol:/home:ro"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Transform(decode(t, tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got["ports"], tc.ports) {
				t.Errorf("ports = %#v, want %#v", got["ports"], tc.ports)
			}
			if !reflect.DeepEqual(got["dataVolumes"], tc.vols) {
				t.Errorf("dataVolumes = %#v, want %#v", got["dataVolumes"], tc.vols)
			}
		})
	}
}

// §4.12 networkMode rules, including the two 422s.
func TestTransformNetworkMode(t *testing.T) {
	tests := []struct {
		name    string
		doc     string
		want    string // "" = absent
		wantErr string
	}{
		{"blank becomes bridge", `{"HostConfig":{"NetworkMode":""}}`, "bridge", ""},
		{"default becomes bridge", `{"HostConfig":{"NetworkMode":"default"}}`, "bridge", ""},
		{"bridge", `{"HostConfig":{"NetworkMode":"bridge"}}`, "bridge", ""},
		{"host", `{"HostConfig":{"NetworkMode":"host"}}`, "host", ""},
		{"none", `{"HostConfig":{"NetworkMode":"none"}}`, "none", ""},
		{"network disabled is none", `{"Config":{"NetworkDisabled":true},"HostConfig":{"NetworkMode":"host"}}`, "none", ""},
		{"no HostConfig leaves it null", `{"Config":{}}`, "", ""},
		{"container mode refused", `{"HostConfig":{"NetworkMode":"container:web"}}`, "", MsgContainerNetworkMode},
		{"unknown mode refused", `{"HostConfig":{"NetworkMode":"overlay1"}}`, "", "Unrecognized network mode: overlay1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Transform(decode(t, tc.doc))
			if tc.wantErr != "" {
				var te *Error
				if !errors.As(err, &te) {
					t.Fatalf("err = %v, want *Error", err)
				}
				if te.Status != 422 || te.Code != CodeInvalidOption || te.Message != tc.wantErr {
					t.Fatalf("err = %+v, want 422 InvalidOption %q", te, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			mode, present := got["networkMode"]
			if tc.want == "" && present {
				t.Fatalf("networkMode = %v, want absent", mode)
			}
			if tc.want != "" && mode != tc.want {
				t.Fatalf("networkMode = %v, want %s", mode, tc.want)
			}
		})
	}
}

// Bodies Cattle rejects: 400 InvalidBodyContent, with the path of the bad value in Detail.
func TestTransformJSONRejects(t *testing.T) {
	tests := []struct {
		name, body, detail string
	}{
		{"not JSON", `{"Config":`, ""},
		{"array body", `[1,2]`, "body: expected a JSON object, got an array"},
		{"two values", `{} {}`, "body holds more than one JSON value"},
		{"Config not an object", `{"Config":"x"}`, `Config: expected an object, got string "x"`},
		{"Cmd not a list", `{"Config":{"Cmd":"ls -l"}}`, `Config.Cmd: expected an array, got string "ls -l"`},
		{"Env item not a string", `{"Config":{"Env":["A=1",2]}}`, "Config.Env[1]: expected a string, got number 2"},
		{"Tty not a boolean", `{"Config":{"Tty":"yes"}}`, `Config.Tty: expected a boolean, got string "yes"`},
		{"bad host port", `{"Config":{"ExposedPorts":{"80/tcp":{}}},"HostConfig":{"PortBindings":{"80/tcp":[{"HostPort":"http"}]}}}`,
			`HostConfig.PortBindings.80/tcp[0].HostPort: expected a port number, got string "http"`},
		{"bad exposed port", `{"Config":{"ExposedPorts":{"80-90/tcp":{}}},"HostConfig":{}}`,
			`Config.ExposedPorts: expected port keys like "80/tcp", got string "80-90/tcp"`},
		{"type error wins over network 422", `{"Config":{"Tty":1},"HostConfig":{"NetworkMode":"container:x"}}`,
			"Config.Tty: expected a boolean, got number 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := TransformJSON([]byte(tc.body))
			var te *Error
			if !errors.As(err, &te) {
				t.Fatalf("got %v, %v; want *Error", got, err)
			}
			if te.Status != 400 || te.Code != CodeInvalidBodyContent {
				t.Fatalf("err = %+v, want 400 InvalidBodyContent", te)
			}
			if tc.detail != "" && te.Detail != tc.detail {
				t.Fatalf("detail = %q, want %q", te.Detail, tc.detail)
			}
		})
	}
}

// TransformInspect.getObject: an empty body is answered with no object, not an error.
func TestTransformJSONEmptyBody(t *testing.T) {
	for _, body := range []string{"", "  \n"} {
		got, err := TransformJSON([]byte(body))
		if got != nil || err != nil {
			t.Errorf("TransformJSON(%q) = %v, %v; want nil, nil", body, got, err)
		}
	}
}

// Large integers keep their exact value through TransformJSON (json.Number), and the answer holds
// no json.Number.
func TestTransformJSONNumbers(t *testing.T) {
	got, err := TransformJSON([]byte(`{"HostConfig":{"Memory":9007199254740993,"MemoryReservation":1073741824}}`))
	if err != nil {
		t.Fatal(err)
	}
	if got["memory"] != int64(9007199254740993) {
		t.Errorf("memory = %#v", got["memory"])
	}
	if got["memoryReservation"] != int64(1073741824) {
		t.Errorf("memoryReservation = %#v", got["memoryReservation"])
	}
}

// The request is never modified and the answer shares no memory with it.
func TestTransformDoesNotMutateOrAlias(t *testing.T) {
	doc := decode(t, dnsimpleRequest)
	before := roundTrip(t, doc)
	got, err := Transform(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(roundTrip(t, doc), before) {
		t.Fatal("Transform modified its input")
	}
	got["labels"].(map[string]any)["x"] = "y"
	got["command"].([]any)[0] = "changed"
	if _, ok := doc["Config"].(map[string]any)["Labels"].(map[string]any)["x"]; ok {
		t.Fatal("answer labels alias the request")
	}
	if doc["Config"].(map[string]any)["Cmd"].([]any)[0] != "-provider=dnsimple" {
		t.Fatal("answer command aliases the request")
	}
}

func TestErrorMessage(t *testing.T) {
	e := invalidOption(MsgContainerNetworkMode)
	if e.Error() != "transform: 422 InvalidOption: "+MsgContainerNetworkMode {
		t.Errorf("Error() = %q", e.Error())
	}
}
