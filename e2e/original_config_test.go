package e2e

// Rows of original-behavior.md §4.1 about what a compose service becomes in Rancher (launch configs,
// sidekicks, networks, environment, hashes, special service kinds), replayed through the CLI.

import (
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// createOne creates one stack from stdin and returns the live service name.
func createOne(t *testing.T, compose, name string, args ...string) (*env, map[string]any) {
	t.Helper()
	e := newEnv(t, sim.Options{})
	e.mustStdin("cfg", compose, append([]string{"create"}, args...)...)
	return e, e.svc("cfg", name)
}

func TestRow02Args(t *testing.T) {
	dir := corpusDir(t, "_top/full-with-image")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "args", "create"), "create")
	svc := e.svc("args", "web")
	l := lc(svc)
	checks := map[string]any{
		"imageUuid": "docker:nginx", "networkMode": "host", "pidMode": "host", "workingDir": "/somewhere",
		"user": "somebody", "hostname": "myhostname", "domainName": "example.com", "privileged": true,
		"stdinOpen": true, "tty": true, "cpuShares": 42, "cpuSet": "1,2", "readOnly": true,
		"dns": []string{"8.8.8.8", "1.1.1.1"}, "dnsSearch": []string{"foo.com", "bar.com"},
		"capAdd": []string{"ALL", "SYS_ADMIN"}, "capDrop": []string{"NET_ADMIN", "SYS_ADMIN"},
		"command": []string{"/bin/sh", "-c"}, "entryPoint": []string{"/bin/foo", "bar"},
		"environment": map[string]string{"foo": "bar", "a": "b"}, "volumeDriver": "foo",
		"extraHosts": []string{"host:1.1.1.1", "host:2.2.2.2"}, "securityOpt": []string{"label:foo", "label:bar"},
		"devices": []string{"/dev/sda:/dev/a:rwm", "/dev/sdb:/dev/c:ro"}, "groupAdd": []string{"root"},
		"cpuQuota": 20000, "oomScoreAdj": 100, "shmSize": 1024, "cgroupParent": "abcd", "blkioWeight": 1000,
		"stopSignal": "SIGTERM", "dnsOpt": []string{"abc"}, "cpuPeriod": 10000, "memorySwappiness": 100,
		"oomKillDisable": true, "ipcMode": "host", "memory": 100, "memorySwap": 101,
		"dataVolumes": []string{"/tmp/foo", "/tmp/x:/tmp/y"},
	}
	for k, want := range checks {
		jsonEq(t, k, l[k], want)
	}
	if got := stringsOf(l["ports"]); len(got) != 2 {
		t.Errorf("ports = %v, want 2", got)
	} else {
		for _, p := range got {
			if p != "80:81/tcp" && !strings.HasSuffix(p, ":123/tcp") {
				t.Errorf("port %q: want 80:81/tcp or <allocated>:123/tcp (Cattle's setPorts)", p)
			}
		}
	}
	if _, has := l["name"]; has {
		t.Errorf("launchConfig has a name: %v", l["name"])
	}
	logConfig, _ := l["logConfig"].(map[string]any)
	if logConfig["driver"] != "syslog" {
		t.Errorf("logConfig %v", logConfig)
	}
	jsonEq(t, "logConfig.config", logConfig["config"], map[string]string{"tag": "foo"})
	labels := l["labels"].(map[string]any)
	if labels["a"] != "b" || labels["c"] != "d" || labels["io.rancher.service.hash"] == nil {
		t.Errorf("labels %v", labels)
	}
	if svc["selectorContainer"] != "foo" || svc["selectorLink"] != "bar in (a,b)" {
		t.Errorf("selectors: %v %v", svc["selectorContainer"], svc["selectorLink"])
	}
}

func TestRow03GitBuild(t *testing.T) {
	_, svc := createOne(t, "nginx:\n  build: github.com/ibuildthecloud/tiny-build\n", "nginx")
	l := lc(svc)
	b, _ := l["build"].(map[string]any)
	if b == nil || b["remote"] != "github.com/ibuildthecloud/tiny-build" {
		t.Errorf("build = %v", l["build"])
	}
	if img := str(l["imageUuid"]); !strings.HasPrefix(img, "docker:cfg_nginx_") {
		t.Errorf("imageUuid = %s", img)
	}
}

func TestRow04CircularSidekick(t *testing.T) {
	_, svc := createOne(t, `
primary:
  stdin_open: true
  image: busybox
  command: cat
  labels:
    io.rancher.sidekicks: secondary
  volumes_from:
  - secondary
secondary:
  stdin_open: true
  image: busybox
  command: cat
`, "primary")
	jsonEq(t, "dataVolumesFromLaunchConfigs", lc(svc)["dataVolumesFromLaunchConfigs"], []string{"secondary"})
	if n := len(secondaries(svc)); n != 1 {
		t.Errorf("%d secondary launch configs", n)
	}
}

func TestRow06Bindings(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("bindings.json", `{"services": {"web": {"labels": {"label1": "value1"}, "ports": ["8081:80"]}}}`)
	e.must(e.stdin("web:\n  image: nginx\n  labels: {label1: value0}\n  ports: [\"8080:80\"]\n", "-f", "-", "-p", "bind", "-b", "bindings.json", "create"), "create")
	l := lc(e.svc("bind", "web"))
	if labels := l["labels"].(map[string]any); labels["label1"] != "value1" {
		t.Errorf("labels %v", labels)
	}
	jsonEq(t, "ports", ports(l), []string{"8081:80"})
}

func TestRow08To12NetworkModes(t *testing.T) {
	cases := []struct{ compose, service, want string }{
		{"web:\n  image: nginx\n  net: bridge\n", "web", "bridge"},
		{"web:\n  image: nginx\n  net: none\n", "web", "none"},
		{"web:\n  image: nginx\n  net: managed\n", "web", "managed"},
		{"web:\n  image: nginx\n", "web", "managed"},
	}
	for _, c := range cases {
		_, svc := createOne(t, c.compose, c.service)
		if got := lc(svc)["networkMode"]; got != c.want {
			t.Errorf("%q: networkMode %v, want %s", c.compose, got, c.want)
		}
	}
	_, svc := createOne(t, `
web:
  image: nginx
  labels:
    io.rancher.sidekicks: webside
webside:
  image: nginx
  net: container:web
`, "web")
	sk := secondaries(svc)
	if len(sk) != 1 || sk[0]["networkMode"] != "container" || sk[0]["networkLaunchConfig"] != "web" {
		t.Errorf("container network sidekick: %v", sk)
	}
}

func TestRow13EnvFile(t *testing.T) {
	dir := corpusDir(t, "_top/base")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "envfile", "create", "base"), "create base")
	jsonEq(t, "environment", lc(e.svc("envfile", "base"))["environment"],
		map[string]string{"bar": "baz", "d": "e", "env": "2", "foo": "bar", "a": "b"})
}

func TestRow14Extends(t *testing.T) {
	dir := corpusDir(t, "_top/base")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "extends", "create"), "create")
	base := lc(e.svc("extends", "base"))
	if base["imageUuid"] != "docker:second" {
		t.Errorf("base image %v", base["imageUuid"])
	}
	local := lc(e.svc("extends", "local"))
	other := lc(e.svc("extends", "other-base"))
	if other["imageUuid"] != "docker:other" || local["imageUuid"] != "docker:local" {
		t.Errorf("images: local %v other %v", local["imageUuid"], other["imageUuid"])
	}
	jsonEq(t, "other-base environment", other["environment"], map[string]string{"key": "value", "key2": "value2"})
	jsonEq(t, "other-base ports", ports(other), []string{"80:80", "81:81"})
}

func TestRow15Extends1556(t *testing.T) {
	dir := corpusDir(t, "extends/docker-compose")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "ext", "up", "-d"), "up -d")
	jsonEq(t, "db links", e.links("ext", "db"), []string{"web"})
	if lc(e.svc("ext", "web"))["imageUuid"] != "docker:ubuntu:14.04" {
		t.Errorf("web image")
	}
}

func TestRow16Extends1556ExtendingABaseWithLinksFails(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("common.yml", "web:\n  image: ubuntu\ndb:\n  image: ubuntu\n  links: [web]\n")
	e.writeFile("docker-compose.yml", "web:\n  extends:\n    file: common.yml\n    service: web\ndb:\n  extends:\n    file: common.yml\n    service: db\n")
	r := e.run("-p", "ext2", "up", "-d")
	if r.code == 0 {
		t.Fatalf("extending a service with links succeeded")
	}
	if st := e.sim.Stats(); st.Mutations != 0 {
		t.Errorf("%d mutations", st.Mutations)
	}
}

func TestRow32VolumesFrom(t *testing.T) {
	_, svc := createOne(t, `
web:
  labels:
    io.rancher.sidekicks: db
  image: busybox
db:
  image: busybox
  volumes_from:
  - web
`, "web")
	sk := secondaries(svc)
	if len(sk) != 1 {
		t.Fatalf("secondaries %v", sk)
	}
	jsonEq(t, "dataVolumesFromLaunchConfigs", sk[0]["dataVolumesFromLaunchConfigs"], []string{"web"})
}

func TestRow33SidekickSimple(t *testing.T) {
	e, svc := createOne(t, `
web:
  labels:
    io.rancher.sidekicks: log
  image: nginx
log:
  image: mysql
log2:
  image: bar
`, "web")
	sk := secondaries(svc)
	if len(sk) != 1 || sk[0]["name"] != "log" || sk[0]["imageUuid"] != "docker:mysql" || lc(svc)["networkMode"] != "managed" {
		t.Errorf("sidekick %v", sk)
	}
	if n := len(e.sim.Services("cfg")); n != 2 {
		t.Errorf("%d services, want web and log2", n)
	}
}

func TestRow34SidekickContainerNetwork(t *testing.T) {
	_, svc := createOne(t, `
web:
  labels:
    io.rancher.sidekicks: log
  image: nginx
log:
  net: container:web
  image: mysql
`, "web")
	sk := secondaries(svc)
	if len(sk) != 1 || sk[0]["networkMode"] != "container" || sk[0]["networkLaunchConfig"] != "web" {
		t.Errorf("sidekick %v", sk)
	}
}

func TestRow35NotExternalServiceHostname(t *testing.T) {
	_, svc := createOne(t, "web:\n  hostname: example.com\n  image: nginx\n", "web")
	if svc["type"] != "service" || lc(svc)["hostname"] != "example.com" {
		t.Errorf("type %v hostname %v", svc["type"], lc(svc)["hostname"])
	}
}

func TestRow36ExternalServiceHostname(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", "web:\n  image: rancher/external-service\n")
	e.writeFile("rancher-compose.yml", "web:\n  hostname: example.com\n")
	e.must(e.run("-p", "exthost", "create"), "create")
	svc := e.svc("exthost", "web")
	if svc["type"] != "externalService" || svc["hostname"] != "example.com" {
		t.Errorf("type %v hostname %v", svc["type"], svc["hostname"])
	}
}

func TestRow37ExternalIP(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", "web:\n  image: rancher/external-service\n")
	e.writeFile("rancher-compose.yml", "web:\n  external_ips: [1.1.1.1, 2.2.2.2]\n  health_check:\n    healthy_threshold: 2\n")
	e.must(e.run("-p", "extip", "create"), "create")
	svc := e.svc("extip", "web")
	jsonEq(t, "externalIpAddresses", svc["externalIpAddresses"], []string{"1.1.1.1", "2.2.2.2"})
	hc, _ := svc["healthCheck"].(map[string]any)
	if svc["type"] != "externalService" || hc == nil || str(hc["healthyThreshold"]) != "2" {
		t.Errorf("type %v healthCheck %v", svc["type"], svc["healthCheck"])
	}
}

func TestRow43ServiceHashWithRancher(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("a/docker-compose.yml", "web:\n  image: nginx\n")
	e.writeFile("b/docker-compose.yml", "web:\n  image: nginx\n")
	e.writeFile("b/rancher-compose.yml", "web:\n  metadata:\n    foo: bar\n")
	e.must(e.run("-f", e.dir+"/a/docker-compose.yml", "-p", "hasha", "create"), "create a")
	e.must(e.run("-f", e.dir+"/b/docker-compose.yml", "-p", "hashb", "create"), "create b")
	a, b := e.svc("hasha", "web"), e.svc("hashb", "web")
	ha := a["metadata"].(map[string]any)["io.rancher.service.hash"]
	hb := b["metadata"].(map[string]any)["io.rancher.service.hash"]
	if ha == nil || ha == hb {
		t.Errorf("service hashes %v %v should differ", ha, hb)
	}
}

func TestRow44ServiceHashNoChange(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := "web:\n  image: nginx\n  labels: {a: b}\n"
	e.mustStdin("hash1", c, "create")
	e.mustStdin("hash2", c, "create")
	a, b := e.svc("hash1", "web"), e.svc("hash2", "web")
	la, lb := lc(a)["labels"].(map[string]any), lc(b)["labels"].(map[string]any)
	if la["io.rancher.service.hash"] == nil || la["io.rancher.service.hash"] != lb["io.rancher.service.hash"] {
		t.Errorf("launch config hashes differ: %v %v", la, lb)
	}
	ma, mb := a["metadata"].(map[string]any), b["metadata"].(map[string]any)
	if ma["io.rancher.service.hash"] != mb["io.rancher.service.hash"] {
		t.Errorf("service hashes differ")
	}
}

func TestRow45DNSService(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("dns", "web1:\n  image: nginx\nweb2:\n  image: nginx\ndns:\n  image: rancher/dns-service\n  links: [web1, web2]\n", "up", "-d")
	if svc := e.svc("dns", "dns"); svc["type"] != "dnsService" {
		t.Errorf("type %v", svc["type"])
	}
	jsonEq(t, "links", e.links("dns", "dns"), []string{"web1", "web2"})
}

func TestRow59Variables(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("env", "B=2\nIMAGE=nginx\nSCALE=3\n")
	e.writeFile("docker-compose.yml", "web:\n  image: $IMAGE\n  labels:\n    var: $B\n    unset: ${NOT_SET}\n")
	e.writeFile("rancher-compose.yml", "web:\n  scale: $SCALE\n")
	e.must(e.run("--env-file", "env", "-p", "vars", "create"), "create")
	svc := e.svc("vars", "web")
	l := lc(svc)
	labels := l["labels"].(map[string]any)
	if l["imageUuid"] != "docker:nginx" || labels["var"] != "2" || labels["unset"] != "" || str(svc["scale"]) != "3" {
		t.Errorf("image %v labels %v scale %v", l["imageUuid"], labels, svc["scale"])
	}
}

func TestRow60MetadataOnService(t *testing.T) {
	dir := corpusDir(t, "metadata/test")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "meta", "create"), "create")
	md := e.svc("meta", "web")["metadata"].(map[string]any)
	jsonEq(t, "test1", md["test1"], []string{"one", "two"})
	jsonEq(t, "test2", md["test2"], map[string]string{"name": "t2name", "value": "t2value"})
	jsonEq(t, "test3", md["test3"], true)
	jsonEq(t, "test7", md["test7"], map[string]any{"test7nest": map[string]any{"test7nestofnest": []any{
		map[string]any{"test7dot1": map[string]any{"name": "test7dot1name"}},
		map[string]any{"test7dot2": map[string]any{"name": "test7dot2name"}}}}})
}

func TestRow61Healthchecks(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", "web:\n  image: nginx\n")
	e.writeFile("rancher-compose.yml", "web:\n  health_check:\n    port: 80\n    interval: 2000\n    unhealthy_threshold: 3\n    request_line: \"OPTIONS /ping HTTP/1.1\\r\\nHost:\\\\ www.example.com\"\n")
	e.must(e.run("-p", "health", "create"), "create")
	hc, _ := lc(e.svc("health", "web"))["healthCheck"].(map[string]any)
	if hc == nil || str(hc["port"]) != "80" || str(hc["interval"]) != "2000" || str(hc["unhealthyThreshold"]) != "3" ||
		hc["requestLine"] != "OPTIONS /ping HTTP/1.1\r\nHost:\\ www.example.com" {
		t.Errorf("healthCheck %v", hc)
	}
}

func TestRow70ExposePortIgnore(t *testing.T) {
	_, svc := createOne(t, "foo:\n  image: nginx\n  expose: [1234, 5678]\n", "foo")
	if p, has := lc(svc)["ports"]; has && p != nil && len(p.([]any)) > 0 {
		t.Errorf("expose-only service has ports %v", p)
	}
}

func TestRow73RetainIP(t *testing.T) {
	dir := corpusDir(t, "retain-ip/docker-compose")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "retain", "create"), "create")
	if e.svc("retain", "retain")["retainIp"] != true {
		t.Errorf("retain: retainIp not set")
	}
	if v := e.svc("retain", "not-retain")["retainIp"]; v == true {
		t.Errorf("not-retain: retainIp %v", v)
	}
}

func TestRow75SidekickBuildRemote(t *testing.T) {
	_, svc := createOne(t, `
parent:
  labels:
    io.rancher.sidekicks: child
  build: http://parent
  dockerfile: parent-file
child:
  build: http://child
  dockerfile: child-file
`, "parent")
	pb, _ := lc(svc)["build"].(map[string]any)
	sk := secondaries(svc)
	if pb == nil || pb["remote"] != "http://parent" || pb["dockerfile"] != "parent-file" || len(sk) != 1 {
		t.Fatalf("parent build %v, sidekicks %v", pb, sk)
	}
	cb, _ := sk[0]["build"].(map[string]any)
	if cb == nil || cb["remote"] != "http://child" || cb["dockerfile"] != "child-file" {
		t.Errorf("child build %v", cb)
	}
}

func TestRow76SidekickHealthcheck(t *testing.T) {
	dir := corpusDir(t, "sidekick-health/docker-compose")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "skhealth", "create"), "create")
	svc := e.svc("skhealth", "parent")
	hc, _ := lc(svc)["healthCheck"].(map[string]any)
	sk := secondaries(svc)
	if hc == nil || str(hc["port"]) != "80" || len(sk) != 1 {
		t.Fatalf("parent healthCheck %v, sidekicks %v", hc, sk)
	}
	if shc, _ := sk[0]["healthCheck"].(map[string]any); shc == nil || str(shc["port"]) != "81" {
		t.Errorf("child healthCheck %v", sk[0]["healthCheck"])
	}
}

func TestRow78VirtualMachine(t *testing.T) {
	_, svc := createOne(t, `
vm:
  type: virtualMachine
  image: immutablecode/vm-image
  vcpu: 2
  memory: 1024
  userdata: |
    #cloud-config
    foo
  disks:
  - name: foo
    size: 1g
    opts:
      foo: bar
  - name: foo2
    size: 2g
`, "vm")
	l := lc(svc)
	if l["kind"] != "virtualMachine" || str(l["vcpu"]) != "2" || l["userdata"] != "#cloud-config\nfoo\n" {
		t.Errorf("vm launch config kind %v vcpu %v userdata %q memoryMb %v", l["kind"], l["vcpu"], l["userdata"], l["memoryMb"])
	}
	disks, _ := l["disks"].([]any)
	if len(disks) != 2 {
		t.Errorf("disks %v", l["disks"])
	}
}

func TestRow80YamlCornerCases(t *testing.T) {
	dir := corpusDir(t, "yaml-corner-cases/docker-compose")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "yaml", "create"), "create")
	jsonEq(t, "environment", lc(e.svc("yaml", "service"))["environment"], map[string]string{
		"A": ":A", "B": ":B", "C": "contains: colon", "D": "contains: colon", "E": "œ∑˙ß®∫ƒ˜†∂˜老版本没问题"})
}

func TestRow81EnvironmentVariables(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("envvars", "web:\n  image: nginx\n  environment:\n    A: a\n    UNSET:\nweb2:\n  image: nginx\n  environment:\n  - B=b\n  - UNSET2\n", "create")
	jsonEq(t, "web environment", lc(e.svc("envvars", "web"))["environment"], map[string]string{"A": "a"})
	jsonEq(t, "web2 environment", lc(e.svc("envvars", "web2"))["environment"], map[string]string{"B": "b"})
}

// ports lists a launch config's ports without the /tcp Cattle appends.
func ports(l map[string]any) []string {
	list, _ := l["ports"].([]any)
	out := []string{}
	for _, p := range list {
		out = append(out, strings.TrimSuffix(str(p), "/tcp"))
	}
	return out
}

func stringsOf(v any) []string {
	list, _ := v.([]any)
	out := []string{}
	for _, x := range list {
		out = append(out, str(x))
	}
	return out
}
