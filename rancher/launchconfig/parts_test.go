package launchconfig

import (
	"reflect"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

func TestDockerPorts(t *testing.T) {
	exposed, bindings, err := dockerPorts([]string{"80:81", "123", "127.0.0.1:53:53/udp", "8000-8001:9000-9001", "7000-7002"}, []string{"21", "99/UDP"})
	if err != nil {
		t.Fatal(err)
	}
	wantExposed := []string{"81/tcp", "123/tcp", "53/udp", "9000/tcp", "9001/tcp", "7000/tcp", "7001/tcp", "7002/tcp", "21/tcp", "99/udp"}
	if len(exposed) != len(wantExposed) {
		t.Fatalf("exposed %v", exposed)
	}
	for _, p := range wantExposed {
		if _, ok := exposed[p]; !ok {
			t.Errorf("missing exposed %s", p)
		}
	}
	want := map[string][]PortBinding{
		"81/tcp": {{HostPort: "80"}}, "123/tcp": {{}}, "53/udp": {{HostIP: "127.0.0.1", HostPort: "53"}},
		"9000/tcp": {{HostPort: "8000"}}, "9001/tcp": {{HostPort: "8001"}},
		"7000/tcp": {{}}, "7001/tcp": {{}}, "7002/tcp": {{}},
	}
	if !reflect.DeepEqual(bindings, want) {
		t.Errorf("bindings %v", bindings)
	}
	for _, bad := range []string{":/tcp", "abc", "80:81/sctp", "1.2.3:80:80", "1:2:3:4", "8000-8002:9000-9001"} {
		if _, _, err := dockerPorts([]string{bad}, nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestDevicesRestartVolumes(t *testing.T) {
	devs, err := dockerDevices([]string{"/dev/sda:/dev/a", "/dev/sdb:/dev/c:ro", "/dev/x", "/dev/y:rw"})
	if err != nil {
		t.Fatal(err)
	}
	want := []DeviceMapping{{"/dev/sda", "/dev/a", "rwm"}, {"/dev/sdb", "/dev/c", "ro"}, {"/dev/x", "/dev/x", "rwm"}, {"/dev/y", "/dev/y", "rw"}}
	if !reflect.DeepEqual(devs, want) {
		t.Errorf("devices %v", devs)
	}
	if p, err := restartPolicy("on-failure:5"); err != nil || p != (RestartPolicy{"on-failure", 5}) {
		t.Errorf("restart %v %v", p, err)
	}
	if _, err := restartPolicy("sometimes"); err == nil {
		t.Error("bad restart accepted")
	}
	binds, vols := splitVolumes([]string{"/data", "/a:/b:ro", "named:/x", "", ":/blank-source"})
	wantVols := map[string]struct{}{"/data": {}, "/blank-source": {}}
	if !reflect.DeepEqual(binds, []string{"/a:/b:ro", "named:/x"}) || !reflect.DeepEqual(vols, wantVols) {
		t.Errorf("binds %v volumes %v", binds, vols)
	}
	if envList(nil, false) == nil || envList(nil, true) != nil {
		t.Error("empty env: [] for a primary, null for a sidekick")
	}
}

func TestLegacyLBParts(t *testing.T) {
	rules, err := legacyRules([]string{"80:8080", "443/tcp"}, []string{"web:alias", "api"}, []string{"other/db"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) != 6 || rules[0] != (lbRule{SourcePort: 80, TargetPort: 8080, Service: "web", Protocol: "http"}) ||
		rules[5] != (lbRule{SourcePort: 443, TargetPort: 443, Service: "other/db", Protocol: "tcp"}) {
		t.Errorf("rules %+v", rules)
	}
	if _, err := legacyRules([]string{":25565/tcp"}, []string{"a"}, nil, ""); err == nil {
		t.Error("an empty source port must fail like the original's ParseInt")
	}
	if got := sourcePorts([]string{"80:8080/tcp", "80:8080", "9000", "1.2.3.4:1:2"}); !reflect.DeepEqual(got, []string{"80/tcp", "80", "9000", ""}) {
		t.Errorf("source ports %v", got)
	}
	if got := haproxyConf("maxconn 4096\ndebug", "mode http"); got != "global\n    maxconn 4096\n    debug\ndefaults\n    mode http" {
		t.Errorf("haproxy %q", got)
	}
	labels, err := parseTargetLabel("www.a.com:80/path=8080, 81, b.com=82, /img=83")
	if err != nil {
		t.Fatal(err)
	}
	want := []lbRule{{Hostname: "www.a.com", SourcePort: 80, Path: "/path", TargetPort: 8080}, {TargetPort: 81},
		{Hostname: "b.com", TargetPort: 82}, {Path: "/img", TargetPort: 83}}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("label rules %+v", labels)
	}
	merged := mergePortRules([]lbRule{{Service: "web", SourcePort: 80, TargetPort: 80}, {Service: "api", SourcePort: 80}},
		[]lbRule{{Service: "web", Hostname: "h", TargetPort: 9}, {Service: "web", SourcePort: 81, Path: "/x"}})
	if !reflect.DeepEqual(merged, []lbRule{{Service: "web", SourcePort: 80, TargetPort: 9, Hostname: "h"}, {Service: "api", SourcePort: 80}}) {
		t.Errorf("merged %+v", merged)
	}
	r := []lbRule{{SourcePort: 443}, {SourcePort: 80}}
	if err := applySSLPorts("443", r); err != nil || r[0].Protocol != "https" || r[1].Protocol != "" {
		t.Errorf("ssl ports %+v %v", r, err)
	}
	if err := applySSLPorts("443, 80", r); err == nil {
		t.Error("the original did not trim ssl ports")
	}
}

func TestKindOf(t *testing.T) {
	cases := []struct {
		s    compose.Service
		want Kind
	}{
		{compose.Service{Compose: compose.ServiceConfig{Image: "nginx"}}, KindService},
		{compose.Service{Compose: compose.ServiceConfig{Image: legacyLBImage}, Rancher: &compose.RancherConfig{Hostname: "x"}}, KindExternal},
		{compose.Service{Compose: compose.ServiceConfig{Image: legacyLBImage}}, KindLegacyLoadBalancer},
		{compose.Service{Rancher: &compose.RancherConfig{LBConfig: &compose.LBConfig{PortRules: []compose.PortRule{{TargetPort: 80}}}}}, KindService},
		{compose.Service{Rancher: &compose.RancherConfig{LBConfig: &compose.LBConfig{PortRules: []compose.PortRule{{SourcePort: 80}}}}}, KindLoadBalancer},
		{compose.Service{Compose: compose.ServiceConfig{Image: dnsImage}}, KindDNS},
		{compose.Service{Rancher: &compose.RancherConfig{NetworkDriver: map[string]any{}, StorageDriver: map[string]any{}}}, KindNetworkDriver},
		{compose.Service{Rancher: &compose.RancherConfig{StorageDriver: map[string]any{"name": "x"}}}, KindStorageDriver},
	}
	for i, c := range cases {
		if got := KindOf(&c.s); got != c.want {
			t.Errorf("case %d: %v, want %v", i, got, c.want)
		}
	}
	if KindExternal.Upgradable() || KindDNS.Upgradable() || !KindLoadBalancer.Upgradable() {
		t.Error("only external and DNS services are never upgraded")
	}
}
