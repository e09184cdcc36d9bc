package compose

import (
	"reflect"
	"testing"
)

func TestRancherFallbackReadsFirstComposeFileWithoutHostname(t *testing.T) {
	for name, extra := range map[string]map[string]string{
		"missing": {},
		"empty":   {"rancher-compose.yml": "# nothing here\n"},
	} {
		files := map[string]string{
			"docker-compose.yml": "web:\n  image: x\n  hostname: myhost\n  scale: 3\n  retain_ip: true\n  lb_config: {port_rules: [{source_port: 80, target_port: 8080, service: web}]}\nplain: {image: x}\n",
			"override.yml":       "late: {image: x}\n",
		}
		for k, v := range extra {
			files[k] = v
		}
		p := mustLoad(t, files, Options{Files: []string{"docker-compose.yml", "override.yml"}})
		web := svc(t, p, "web")
		if web.Rancher == nil || *web.Rancher.Scale != 3 || !web.Rancher.RetainIP || web.Rancher.Hostname != "" {
			t.Fatalf("%s: rancher %+v", name, web.Rancher)
		}
		if web.Compose.Hostname != "myhost" {
			t.Errorf("%s: compose hostname %q must stay", name, web.Compose.Hostname)
		}
		if r := web.Rancher.LBConfig; r == nil || r.PortRules[0].SourcePort != 80 || r.PortRules[0].Service != "web" {
			t.Errorf("%s: lb_config %+v", name, r)
		}
		if svc(t, p, "plain").Rancher == nil {
			t.Errorf("%s: every service of the first file has an entry in the fallback", name)
		}
		if svc(t, p, "late").Rancher != nil {
			t.Errorf("%s: a service only in a later file has no entry", name)
		}
		if p.RancherFile != "" {
			t.Errorf("%s: RancherFile %q", name, p.RancherFile)
		}
		if _, ok := findDiag(p.Warnings, "unknown"); ok {
			t.Errorf("%s: fallback must not warn about compose keys: %v", name, p.Warnings)
		}
	}
}

func TestRancherFileReplacesFallbackAndOnlyListedServicesHaveEntries(t *testing.T) {
	for _, rc := range []string{
		"web:\n  hostname: ext.example.com\n",
		"version: '2'\nservices:\n  web:\n    hostname: ext.example.com\n",
	} {
		p := mustLoad(t, map[string]string{
			"docker-compose.yml":  "web: {image: x, scale: 5}\ndb: {image: x}\n",
			"rancher-compose.yml": rc,
		}, Options{})
		web := svc(t, p, "web")
		if web.Rancher == nil || web.Rancher.Hostname != "ext.example.com" || web.Rancher.Scale != nil {
			t.Fatalf("web rancher %+v: rancher-compose.yml replaces the compose source entirely", web.Rancher)
		}
		if svc(t, p, "db").Rancher != nil {
			t.Fatal("db has no rancher-compose entry")
		}
		if p.RancherFile != "rancher-compose.yml" {
			t.Fatalf("RancherFile %q", p.RancherFile)
		}
		requireDiag(t, p.Warnings, "docker-compose.yml:1:", "web.scale", "ignored here because rancher-compose.yml replaces")
	}
}

func TestRancherFileBesideFirstComposeFileAndExplicitR(t *testing.T) {
	files := map[string]string{
		"app/docker-compose.yml":  "web: {image: x}\n",
		"app/rancher-compose.yml": "web: {scale: 2}\n",
		"other.yml":               "web: {scale: 7}\n",
	}
	p := mustLoad(t, files, Options{Files: []string{"app/docker-compose.yml"}})
	if got := *svc(t, p, "web").Rancher.Scale; got != 2 || p.RancherFile != "app/rancher-compose.yml" {
		t.Fatalf("scale %d from %q", got, p.RancherFile)
	}
	p = mustLoad(t, files, Options{Files: []string{"app/docker-compose.yml"}, RancherFile: "other.yml"})
	if got := *svc(t, p, "web").Rancher.Scale; got != 7 {
		t.Fatalf("-r: scale %d", got)
	}
}

func TestAllRancherKeys(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"docker-compose.yml": "web: {image: x}\nlb: {image: x}\nvm: {image: x}\ndrv: {image: x}\n",
		"rancher-compose.yml": `version: '2'
services:
  web:
    scale: "3"
    retain_ip: true
    start_on_create: true
    scale_policy: {min: 1, max: "5", increment: 1}
    upgrade_strategy: {start_first: true, batch_size: "3", interval_millis: 500}
    health_check:
      port: "8080"
      interval: 2000
      healthy_threshold: 2
      unhealthy_threshold: 3
      response_timeout: 2000
      request_line: "GET \"/healthcheck\" HTTP/1.0"
      initializing_timeout: 60000
      reinitializing_timeout: 60000
      strategy: recreateOnQuorum
      recreate_on_quorum_strategy_config: {quorum: 2}
      name: hc
    external_ips: ["1.2.3.4", "007"]
    metadata:
      a: 1
      b: yes
      c: 1.5
      d: "007"
      e: ~
      f: {g: [1, two, {h: 0x10}]}
  lb:
    lb_config:
      certs: [c1]
      default_cert: main
      config: "global\n  maxconn 10"
      stickiness_policy: {name: s, cookie: c, mode: insert, indirect: true, nocache: true, postonly: true, domain: d}
      port_rules:
        - {source_port: 80, target_port: "8080", protocol: http, path: /p, hostname: h, service: web, priority: 1, backend_name: b, selector: "x=y"}
    load_balancer_config:
      haproxy_config: {global: "maxconn 1", defaults: "timeout 5"}
      lb_cookie_stickiness_policy: {name: old}
    default_cert: legacy
    certs: [a, b]
  vm:
    type: Virtual_Machine
    vcpu: 2
    memory: "1024"
    userdata: "#cloud-config"
    disks: [{name: root, size: 10g, root: true, read_iops: "100", driver: d, opts: {k: "12"}}]
  drv:
    storage_driver: {name: s, scope: environment, volume_access_mode: multiHostRW}
    network_driver: {name: n, cni_config: {a.conf: {mtu: "1500"}}}
`,
	}, Options{})
	r := svc(t, p, "web").Rancher
	three := int64(3)
	if !reflect.DeepEqual(r.Scale, &three) || !r.RetainIP || !r.StartOnCreate {
		t.Errorf("scale/retain_ip/start_on_create %+v", r)
	}
	if !reflect.DeepEqual(r.ScalePolicy, &ScalePolicy{Min: 1, Max: 5, Increment: 1}) {
		t.Errorf("scale_policy %+v", r.ScalePolicy)
	}
	if !reflect.DeepEqual(r.UpgradeStrategy, &UpgradeStrategy{StartFirst: true, BatchSize: 3, IntervalMillis: 500}) {
		t.Errorf("upgrade_strategy %+v", r.UpgradeStrategy)
	}
	wantHC := &HealthCheck{Port: 8080, Interval: 2000, HealthyThreshold: 2, UnhealthyThreshold: 3, ResponseTimeout: 2000,
		RequestLine: `GET "/healthcheck" HTTP/1.0`, InitializingTimeout: 60000, ReinitializingTimeout: 60000,
		Strategy: "recreateOnQuorum", RecreateOnQuorumStrategyConfig: &RecreateOnQuorumStrategyConfig{Quorum: 2}, Name: "hc"}
	if !reflect.DeepEqual(r.HealthCheck, wantHC) {
		t.Errorf("health_check %+v", r.HealthCheck)
	}
	if !reflect.DeepEqual(r.ExternalIPs, []string{"1.2.3.4", "7"}) {
		t.Errorf("external_ips %q: TryConvertStringsToInts turns \"007\" into 7", r.ExternalIPs)
	}
	wantMeta := map[string]any{"a": 1, "b": true, "c": 1.5, "d": "007", "e": nil,
		"f": map[string]any{"g": []any{1, "two", map[string]any{"h": 16}}}}
	if !reflect.DeepEqual(r.Metadata, wantMeta) {
		t.Errorf("metadata %#v", r.Metadata)
	}
	lb := svc(t, p, "lb").Rancher
	wantLB := &LBConfig{Certs: []string{"c1"}, DefaultCert: "main", Config: "global\n  maxconn 10",
		StickinessPolicy: &StickinessPolicy{Name: "s", Cookie: "c", Mode: "insert", Indirect: true, Nocache: true, Postonly: true, Domain: "d"},
		PortRules:        []PortRule{{SourcePort: 80, TargetPort: 8080, Protocol: "http", Path: "/p", Hostname: "h", Service: "web", Priority: 1, BackendName: "b", Selector: "x=y"}}}
	if !reflect.DeepEqual(lb.LBConfig, wantLB) {
		t.Errorf("lb_config %+v", lb.LBConfig)
	}
	wantLegacy := &LoadBalancerConfig{HaproxyConfig: &HaproxyConfig{Global: "maxconn 1", Defaults: "timeout 5"}, LbCookieStickinessPolicy: &StickinessPolicy{Name: "old"}}
	if !reflect.DeepEqual(lb.LoadBalancerConfig, wantLegacy) || lb.DefaultCert != "legacy" || !reflect.DeepEqual(lb.Certs, []string{"a", "b"}) {
		t.Errorf("legacy lb %+v", lb)
	}
	vm := svc(t, p, "vm").Rancher
	wantDisk := Disk{Name: "root", Size: "10g", Root: true, ReadIops: 100, Driver: "d", Opts: map[string]any{"k": 12}}
	if vm.Type != "virtualMachine" || vm.Vcpu != 2 || vm.Memory != 1024 || vm.Userdata != "#cloud-config" || !reflect.DeepEqual(vm.Disks, []Disk{wantDisk}) {
		t.Errorf("vm %+v", vm)
	}
	drv := svc(t, p, "drv").Rancher
	if drv.StorageDriver["scope"] != "environment" || !reflect.DeepEqual(drv.NetworkDriver["cni_config"], map[string]any{"a.conf": map[string]any{"mtu": 1500}}) {
		t.Errorf("drivers %+v %+v", drv.StorageDriver, drv.NetworkDriver)
	}
}

func TestRancherTypeErrors(t *testing.T) {
	ce := mustFail(t, map[string]string{
		"docker-compose.yml": "web: {image: x}\n",
		"rancher-compose.yml": `web:
  health_check: {port: abc}
  retain_ip: "maybe"
  metadata: [not, a, map]
  lb_config: {port_rules: [{source_port: 99999}]}
`,
	}, Options{})
	requireDiag(t, ce.Problems, "web.health_check.port", "expected an integer")
	requireDiag(t, ce.Problems, "web.retain_ip", "expected a boolean")
	requireDiag(t, ce.Problems, "web.metadata", "expected a mapping")
	requireDiag(t, ce.Problems, "rancher-compose.yml:5:42", "lb_config.port_rules[0].source_port", "outside 0-65535")
}

func TestRancherStringFieldsGetYAMLv2Text(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"docker-compose.yml":  "a: {image: x}\nb: {image: x}\n",
		"rancher-compose.yml": "a:\n  hostname: 1.50\nb:\n  hostname: true\n  userdata: 0755\n",
	}, Options{})
	if got := svc(t, p, "a").Rancher.Hostname; got != "1.5" {
		t.Errorf("hostname %q, want yaml.v2's 1.5", got)
	}
	if b := svc(t, p, "b").Rancher; b.Hostname != "true" || b.Userdata != "493" {
		t.Errorf("b %+v", b)
	}
}

func TestOrphanRancherEntryWarns(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"docker-compose.yml":  "web: {image: x}\n",
		"rancher-compose.yml": "web: {scale: 1}\nghost: {scale: 2}\n",
	}, Options{})
	requireDiag(t, p.Warnings, "rancher-compose.yml:2:1", `service "ghost", which no compose file defines`)
}

func TestSidekicksAndPrimaries(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `web:
  image: x
  volumes_from: [data]
  labels: {io.rancher.sidekicks: " data , log "}
data: {image: x, net: "container:web"}
log: {image: x}
other: {image: x}
`}, Options{})
	web := svc(t, p, "web")
	if !reflect.DeepEqual(web.Sidekicks, []string{"data", "log"}) {
		t.Fatalf("sidekicks %q", web.Sidekicks)
	}
	if svc(t, p, "data").SidekickOf != "web" || !svc(t, p, "log").IsSidekick() || svc(t, p, "other").IsSidekick() {
		t.Fatal("SidekickOf not set")
	}
	var prim []string
	for _, s := range p.Primaries() {
		prim = append(prim, s.Name)
	}
	if !reflect.DeepEqual(prim, []string{"other", "web"}) {
		t.Fatalf("primaries %q", prim)
	}
	if _, ok := findDiag(p.Warnings, "network_mode"); ok {
		t.Fatal("container:web names a project service; no warning expected")
	}
}

func TestBindingsFileReplacesLabelsAndPorts(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"docker-compose.yml": "web: {image: x, ports: ['80'], labels: {old: x}}\n",
		"bindings.json":      `{"services": {"web": {"labels": {"new": "y", "n": 1}, "ports": ["8081:81"]}, "gone": {"labels": {}}}}`,
	}, Options{BindingsFile: "bindings.json"})
	c := svc(t, p, "web").Compose
	if !reflect.DeepEqual(c.Labels, map[string]string{"new": "y", "n": "1"}) || !reflect.DeepEqual(c.Ports, []string{"8081:81"}) {
		t.Fatalf("labels %v ports %q", c.Labels, c.Ports)
	}
	requireDiag(t, p.Warnings, `service "gone"`)
	ce := mustFail(t, map[string]string{"docker-compose.yml": "web: {image: x}\n", "b.json": "{nope"}, Options{BindingsFile: "b.json"})
	requireDiag(t, ce.Problems, "b.json", "invalid bindings JSON")
}
