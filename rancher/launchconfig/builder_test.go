package launchconfig

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/digest"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// stubServer answers transforms from a table and records the documents; lookups come from maps.
type stubServer struct {
	answers   map[string]string
	docs      map[string]*InspectDocument
	services  map[string]string
	certs     map[string]string
	settings  map[string]string
	lookupErr map[string]error
}

func newStub(answers map[string]string) *stubServer {
	return &stubServer{answers: answers, docs: map[string]*InspectDocument{}, services: map[string]string{},
		certs: map[string]string{}, settings: map[string]string{"lb.instance.image": "rancher/lb-service-haproxy:v0.7.1"}}
}

func (s *stubServer) Transform(_ context.Context, doc *InspectDocument) (json.RawMessage, error) {
	name := strings.TrimPrefix(doc.Name, "/")
	s.docs[name] = doc
	a, ok := s.answers[name]
	if !ok {
		return nil, errors.New("unexpected transform of " + name)
	}
	return json.RawMessage(a), nil
}

func (s *stubServer) Setting(_ context.Context, name string) (string, error) {
	return s.settings[name], nil
}

func (s *stubServer) ServiceID(_ context.Context, name string) (string, error) {
	if err := s.lookupErr[name]; err != nil {
		return "", err
	}
	return s.services[name], nil
}

func (s *stubServer) CertificateID(_ context.Context, name string) (string, error) {
	if id, ok := s.certs[name]; ok {
		return id, nil
	}
	return "", errors.New("Failed to find certificate " + name)
}

func build(t *testing.T, p *compose.Project, stub *stubServer, name string) *Built {
	t.Helper()
	b := &Builder{Project: p, StackID: "1st1", Transformer: stub, Resolver: stub}
	r, err := b.Build(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestBuildWorkedExample71 builds service-hash.md §7.1 (rfc2136dns) from a compose model.
func TestBuildWorkedExample71(t *testing.T) {
	svc := &compose.Service{Name: "rfc2136dns",
		Compose: compose.ServiceConfig{Image: "rancher/external-dns:v0.6.2", Command: []string{"-provider=rfc2136"},
			Expose: []string{"1000"},
			Environment: map[string]string{"RFC2136_INSECURE": "false", "RFC2136_PORT": "53", "RFC2136_TSIG_KEYNAME": "",
				"RFC2136_TSIG_SECRET": "", "ROOT_DOMAIN": "", "TTL": "60",
				"NAME_TEMPLATE": "%{{service_name}}.%{{stack_name}}.%{{environment_name}}", "RFC2136_HOST": ""},
			Labels: map[string]string{"io.rancher.container.agent.role": "external-dns", "io.rancher.container.create_agent": "true"}},
		Rancher: &compose.RancherConfig{HealthCheck: &compose.HealthCheck{Port: 1000, Interval: 5000, UnhealthyThreshold: 3,
			RequestLine: "GET / HTTP/1.0", HealthyThreshold: 2, ResponseTimeout: 2000}}}
	p := &compose.Project{Name: "golden", Services: []*compose.Service{svc}}
	stub := newStub(map[string]string{"rfc2136dns": `{"type":"launchConfig","kind":"container","imageUuid":"docker:rancher/external-dns:v0.6.2",
		"labels":{"io.rancher.container.agent.role":"external-dns","io.rancher.container.create_agent":"true"},
		"environment":{"RFC2136_INSECURE":"false","RFC2136_PORT":"53","RFC2136_TSIG_KEYNAME":"","RFC2136_TSIG_SECRET":"",
		"ROOT_DOMAIN":"","TTL":"60","NAME_TEMPLATE":"%{{service_name}}.%{{stack_name}}.%{{environment_name}}","RFC2136_HOST":""},
		"command":["-provider=rfc2136"],"tty":false,"stdinOpen":false,"logConfig":{"type":"logConfig","driver":"","config":{}}}`})
	r := build(t, p, stub, "rfc2136dns")
	if r.Hash.Service != "16b948c117be84352a75c5f28971313f027810ef" || r.Hash.LaunchConfig != "84c7390d9c0a6a9230844b7472cd0a59bc70fbbf" {
		t.Fatalf("digests %+v", r.Hash)
	}
	doc := stub.docs["rfc2136dns"]
	if _, ok := doc.Config.ExposedPorts["1000/tcp"]; !ok || doc.Config.Image != "rancher/external-dns:v0.6.2" || len(doc.Config.Env) != 8 {
		t.Fatalf("inspect document %+v", doc.Config)
	}
	body, ok := r.CreateBody().(*resources.Service)
	if !ok || r.Kind.SchemaType() != "service" {
		t.Fatalf("a plain service is created from the embedded Service, got %T %v", r.CreateBody(), r.Kind)
	}
	if body.Metadata[digest.Key] != r.Hash.Service || body.LaunchConfig.Labels[digest.Key] != r.Hash.LaunchConfig {
		t.Fatal("digests not stamped into the create body")
	}
	if body.LaunchConfig.HealthCheck == nil || body.LaunchConfig.NetworkMode != "managed" || body.StackId != "1st1" || body.Scale != 1 {
		t.Fatalf("create body %+v", body)
	}
	if raw := string(mustJSON(body)); strings.Contains(raw, `"healthCheck":{"links":null,"actions":null,"healthyThreshold":2`) == false ||
		strings.Contains(raw, `"metadata":{"io.rancher.service.hash"`) == false {
		t.Fatalf("create body JSON %s", raw)
	}
}

var ubuntuAnswer = `{"type":"launchConfig","kind":"container","imageUuid":"docker:ubuntu:14.04","tty":false,"stdinOpen":false,"logConfig":{"type":"logConfig","driver":"","config":{}}}`

// TestBuildWorkedExample72 builds §7.2 (service2 and its sidekicks): one transform per launch config,
// null Env for sidekicks, volumes_from named by container, sidekick digests keyed by name.
func TestBuildWorkedExample72(t *testing.T) {
	p := &compose.Project{Name: "golden", Services: []*compose.Service{
		{Name: "data", Compose: compose.ServiceConfig{Image: "ubuntu:14.04"}, Rancher: &compose.RancherConfig{}, SidekickOf: "service2"},
		{Name: "service1", Compose: compose.ServiceConfig{Image: "ubuntu:14.04", VolumesFrom: []string{"data"}}, Rancher: &compose.RancherConfig{}, SidekickOf: "service2"},
		{Name: "service2", Compose: compose.ServiceConfig{Image: "ubuntu:14.04", Links: []string{"service1", "data"},
			Labels: map[string]string{"io.rancher.sidekicks": "service1, data"}}, Rancher: &compose.RancherConfig{}, Sidekicks: []string{"service1", "data"}},
	}}
	stub := newStub(map[string]string{"data": ubuntuAnswer, "service1": ubuntuAnswer,
		"service2": strings.Replace(ubuntuAnswer, `"tty"`, `"labels":{"io.rancher.sidekicks":"service1, data"},"tty"`, 1)})
	r := build(t, p, stub, "service2")
	want := digest.ServiceHash{Service: "9a488c83573e17db9211e856ad0e0b88d207eee1", LaunchConfig: "27d43d457decf931ea254ff6ddda6f6d75bff347",
		SecondaryLaunchConfigs: map[string]string{"service1": "626f570acdd4d6e11dd56018f8915f911e364162", "data": "203ef5bd731c3c6be10c6ee2282653eed714789a"}}
	if !r.Hash.Equals(want) {
		t.Fatalf("digests %+v, want %+v", r.Hash, want)
	}
	if got := stub.docs["service1"].HostConfig.VolumesFrom; !reflect.DeepEqual(got, []string{"golden_data_1"}) {
		t.Errorf("VolumesFrom %v", got)
	}
	if stub.docs["service1"].Config.Env != nil || stub.docs["service2"].Config.Env == nil {
		t.Error("sidekicks send Env null, primaries []")
	}
	names := []string{}
	for _, s := range r.Service.SecondaryLaunchConfigs {
		names = append(names, s.Name)
		if s.Links == nil || s.Labels[digest.Key] != want.SecondaryLaunchConfigs[s.Name] {
			t.Errorf("sidekick %s: %+v", s.Name, s)
		}
	}
	if !reflect.DeepEqual(names, []string{"service1", "data"}) {
		t.Errorf("sidekick order %v", names)
	}
}

// TestBuildLegacyLB73 builds §7.3 (MinecraftLB): lb.instance.image, LB labels stripped from the
// transform, one port rule per port × link with the server's id, source-only launch ports.
func TestBuildLegacyLB73(t *testing.T) {
	p := &compose.Project{Name: "golden", Services: []*compose.Service{{Name: "MinecraftLB",
		Compose: compose.ServiceConfig{Image: "rancher/load-balancer-service", Ports: []string{"25565:25565/tcp"},
			Links: []string{"Minecraft:Minecraft"}, Tty: true, StdinOpen: true,
			Labels: map[string]string{"io.rancher.loadbalancer.ssl.ports": "443", "keep": "x"}},
		Rancher: &compose.RancherConfig{LoadBalancerConfig: &compose.LoadBalancerConfig{}}}}}
	stub := newStub(map[string]string{"MinecraftLB": `{"type":"launchConfig","kind":"container","imageUuid":"docker:rancher/lb-service-haproxy:v0.7.1",
		"tty":true,"stdinOpen":true,"ports":["25565:25565/tcp"],"logConfig":{"type":"logConfig","driver":"","config":{}}}`})
	stub.services["Minecraft"] = "1s24478996"
	r := build(t, p, stub, "MinecraftLB")
	if r.Kind != KindLegacyLoadBalancer || r.Kind.SchemaType() != "loadBalancerService" {
		t.Fatalf("kind %v", r.Kind)
	}
	if r.Hash.Service != "9213ee2e7eeb435d966b25d90c491200ef2b599e" || r.Hash.LaunchConfig != "21f497bde3e6f0dc8cccbf50cc2eee3db3bb265f" {
		t.Fatalf("digests %+v", r.Hash)
	}
	doc := stub.docs["MinecraftLB"]
	if doc.Config.Image != "rancher/lb-service-haproxy:v0.7.1" || !reflect.DeepEqual(doc.Config.Labels, map[string]string{"keep": "x"}) {
		t.Errorf("inspect document %+v", doc.Config)
	}
	if _, ok := r.CreateBody().(*resources.CompositeService); !ok {
		t.Error("a load balancer is created from the whole CompositeService")
	}
}

// TestBuildNewLBAndCerts: an lb_config load balancer resolves targets and certificates, and fails
// clearly when a target or certificate does not exist.
func TestBuildNewLBAndCerts(t *testing.T) {
	lb := &compose.Service{Name: "lb", Compose: compose.ServiceConfig{Image: "rancher/lb-service-haproxy:v0.7.1", Ports: []string{"80:80"}},
		Rancher: &compose.RancherConfig{LBConfig: &compose.LBConfig{DefaultCert: "main", Certs: []string{"a", "b"},
			PortRules:        []compose.PortRule{{SourcePort: 80, TargetPort: 8080, Service: "web", Protocol: "http", Hostname: "x.com"}},
			StickinessPolicy: &compose.StickinessPolicy{Name: "s", Mode: "insert"}}}}
	p := &compose.Project{Name: "golden", Services: []*compose.Service{lb}}
	stub := newStub(map[string]string{"lb": `{"type":"launchConfig","imageUuid":"docker:x","logConfig":{"type":"logConfig"}}`})
	stub.services["web"] = "1s7"
	stub.certs = map[string]string{"main": "1c1", "a": "1c2", "b": "1c3"}
	r := build(t, p, stub, "lb")
	lc := r.Service.RealLbConfig
	if r.Kind != KindLoadBalancer || lc.DefaultCertificateId != "1c1" || !reflect.DeepEqual(lc.CertificateIds, []string{"1c2", "1c3"}) ||
		len(lc.PortRules) != 1 || lc.PortRules[0].ServiceId != "1s7" || lc.PortRules[0].Hostname != "x.com" || lc.StickinessPolicy.Mode != "insert" {
		t.Fatalf("lbConfig %+v", lc)
	}
	if !reflect.DeepEqual(r.Service.LaunchConfig.Ports, []string{"80:80"}) {
		t.Errorf("ports %v", r.Service.LaunchConfig.Ports)
	}
	delete(stub.services, "web")
	b := &Builder{Project: p, Transformer: stub, Resolver: stub}
	if _, err := b.Build(context.Background(), "lb"); err == nil || !strings.Contains(err.Error(), "Failed to find existing service: web") {
		t.Errorf("missing target: %v", err)
	}
	stub.services["web"] = "1s7"
	delete(stub.certs, "b")
	if _, err := b.Build(context.Background(), "lb"); err == nil || !strings.Contains(err.Error(), "certificate b") {
		t.Errorf("missing certificate: %v", err)
	}
}

// TestPortsOnlyWithRancherEntry: compose ports/expose replace the transform's only for a service with a
// rancher-compose entry; without one the transform's stay.
func TestPortsOnlyWithRancherEntry(t *testing.T) {
	answer := `{"type":"launchConfig","imageUuid":"docker:nginx","ports":["80:80/tcp"],"logConfig":{"type":"logConfig"}}`
	for _, rc := range []*compose.RancherConfig{nil, {}} {
		s := &compose.Service{Name: "web", Compose: compose.ServiceConfig{Image: "nginx", Ports: []string{"80:80"}}, Rancher: rc}
		r := build(t, &compose.Project{Name: "p", Services: []*compose.Service{s}}, newStub(map[string]string{"web": answer}), "web")
		want := []string{"80:80/tcp"}
		if rc != nil {
			want = []string{"80:80"}
		}
		if got := r.Service.LaunchConfig.Ports; !reflect.DeepEqual(got, want) {
			t.Errorf("rancher entry %v: ports %v, want %v", rc != nil, got, want)
		}
	}
}

// TestOverrides: networking, kind, VM fields, volume driver, labels and log config defaults.
func TestOverrides(t *testing.T) {
	s := &compose.Service{Name: "vm", Compose: compose.ServiceConfig{Image: "x", NetworkMode: "container:side", VolumeDriver: "rbd"},
		Rancher: &compose.RancherConfig{Type: "Virtual_Machine", Vcpu: 2, Memory: 512, Userdata: "#cloud",
			Disks: []compose.Disk{{Name: "root", Size: "10g", Root: true}}}}
	r := build(t, &compose.Project{Name: "p", Services: []*compose.Service{s}},
		newStub(map[string]string{"vm": `{"type":"launchConfig","kind":"container","volumeDriver":"local","logConfig":{"type":"logConfig","config":null}}`}), "vm")
	lc := r.Service.LaunchConfig
	if lc.Kind != "virtualMachine" || lc.Vcpu != 2 || lc.MemoryMb != 512 || lc.Userdata != "#cloud" || len(lc.Disks) != 1 ||
		lc.NetworkMode != "container" || lc.NetworkLaunchConfig != "side" || lc.VolumeDriver != "rbd" ||
		lc.Labels == nil || lc.LogConfig.Config == nil {
		t.Fatalf("launch config %+v", lc)
	}
}

// TestBuildErrors: a local build context and a missing sidekick are refused with the service named.
func TestBuildErrors(t *testing.T) {
	local := &compose.Service{Name: "web", Compose: compose.ServiceConfig{Build: &compose.Build{Context: "."}}}
	b := &Builder{Project: &compose.Project{Name: "p", Services: []*compose.Service{local}},
		Transformer: newStub(map[string]string{"web": ubuntuAnswer}), Resolver: newStub(nil)}
	if _, err := b.Build(context.Background(), "web"); err == nil || !strings.Contains(err.Error(), "local directory") {
		t.Errorf("local build: %v", err)
	}
	lonely := &compose.Service{Name: "a", Compose: compose.ServiceConfig{Image: "x"}, Sidekicks: []string{"ghost"}}
	b.Project = &compose.Project{Name: "p", Services: []*compose.Service{lonely}}
	b.Transformer = newStub(map[string]string{"a": ubuntuAnswer})
	if _, err := b.Build(context.Background(), "a"); err == nil || !strings.Contains(err.Error(), "Failed to find sidekick: ghost") {
		t.Errorf("missing sidekick: %v", err)
	}
}

// TestTransformDecoding: the answer is decoded like encoding/json into go-rancher's struct:
// case-insensitive keys, unknown keys dropped, null maps defaulted, numbers hashed at float32 precision.
func TestTransformDecoding(t *testing.T) {
	s := &compose.Service{Name: "web", Compose: compose.ServiceConfig{Image: "x"}}
	p := &compose.Project{Name: "p", Services: []*compose.Service{s}}
	stub := newStub(map[string]string{"web": `{"TYPE":"launchConfig","imageuuid":"docker:x","restartPolicy":{"name":"always"},
		"labels":null,"environment":{"BIG":123456789,"ONE":1},"logConfig":{"type":"logConfig","config":null}}`})
	r := build(t, p, stub, "web")
	lc := r.Service.LaunchConfig
	if lc.Type != "launchConfig" || lc.ImageUuid != "docker:x" || lc.Labels == nil || lc.LogConfig.Config == nil {
		t.Fatalf("decoded %+v", lc)
	}
	stream, err := digest.Stream(lc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(stream), "BIG\x001.2345679e+08\x00ONE\x001\x00") {
		t.Errorf("stream %q", stream)
	}
	if _, err := (&Builder{Project: p, Transformer: newStub(map[string]string{"web": `{"imageUuid":5}`}), Resolver: stub}).Build(context.Background(), "web"); err == nil {
		t.Error("a wrongly typed answer must fail")
	}
	side := &compose.Service{Name: "side", SidekickOf: "web"}
	p.Services = append(p.Services, side)
	if _, err := (&Builder{Project: p, Transformer: stub, Resolver: stub}).Build(context.Background(), "side"); err == nil {
		t.Error("building a sidekick on its own must fail")
	}
}

// TestConcurrentBuilds: one Builder serves concurrent Build calls (run with -race).
func TestConcurrentBuilds(t *testing.T) {
	p := &compose.Project{Name: "p"}
	for _, n := range []string{"a", "b", "c", "d"} {
		p.Services = append(p.Services, &compose.Service{Name: n, Compose: compose.ServiceConfig{Image: legacyLBImage, Ports: []string{"80"}}})
	}
	answer := TransformFunc(func(context.Context, *InspectDocument) (json.RawMessage, error) {
		return json.RawMessage(`{"type":"launchConfig","logConfig":{}}`), nil
	})
	b := &Builder{Project: p, Transformer: answer, Resolver: newStub(nil)}
	errs := make(chan error, len(p.Services))
	for _, s := range p.Services {
		go func(name string) {
			_, err := b.Build(context.Background(), name)
			errs <- err
		}(s.Name)
	}
	for range p.Services {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestPlainServiceTargetRules: a plain service with an lb_config (no source ports) gets target rules in
// Service.lbConfig, hashed under service.lb_config even when there are none, and sent in its body.
func TestPlainServiceTargetRules(t *testing.T) {
	for _, rules := range [][]compose.PortRule{nil, {{TargetPort: 8080, Hostname: "a.com", Path: "/p", BackendName: "b"}}} {
		s := &compose.Service{Name: "web", Compose: compose.ServiceConfig{Image: "x"},
			Rancher: &compose.RancherConfig{LBConfig: &compose.LBConfig{PortRules: rules}}}
		r := build(t, &compose.Project{Name: "p", Services: []*compose.Service{s}},
			newStub(map[string]string{"web": `{"type":"launchConfig","logConfig":{}}`}), "web")
		if r.Kind != KindService {
			t.Fatalf("kind %v", r.Kind)
		}
		svc := &resources.CompositeService{Service: r.Service.Service}
		svc.LaunchConfig, svc.SecondaryLaunchConfigs, svc.Metadata = nil, nil, nil
		stream, err := digest.Stream(svc)
		if err != nil {
			t.Fatal(err)
		}
		want := "service\x00lb_config\x00"
		if len(rules) == 1 {
			want += "port_rules\x00backend_name\x00b\x00hostname\x00a.com\x00path\x00/p\x00resource\x00actions\x00id\x00\x00type\x00\x00target_port\x008080\x00"
		}
		want += "resource\x00actions\x00id\x00\x00type\x00\x00name\x00web\x00resource\x00actions\x00id\x00\x00type\x00\x00"
		if string(stream) != want {
			t.Errorf("stream %q\nwant   %q", stream, want)
		}
		if !strings.Contains(string(mustJSON(r.CreateBody())), `"lbConfig":{"links":null,"actions":null`) {
			t.Errorf("body %s", mustJSON(r.CreateBody()))
		}
	}
}

// TestLegacyLBLinkIntoMissingStack: every link of a legacy load balancer is looked up, so a link into a
// stack that does not exist fails it even without ports (the original's getLinks error).
func TestLegacyLBLinkIntoMissingStack(t *testing.T) {
	s := &compose.Service{Name: "lb", Compose: compose.ServiceConfig{Image: legacyLBImage, ExternalLinks: []string{"gone/web:web"}}}
	stub := newStub(map[string]string{"lb": `{"type":"launchConfig","logConfig":{}}`})
	stub.lookupErr = map[string]error{"gone/web": errors.New("Failed to find stack: gone")}
	b := &Builder{Project: &compose.Project{Name: "p", Services: []*compose.Service{s}}, Transformer: stub, Resolver: stub}
	if _, err := b.Build(context.Background(), "lb"); err == nil || !strings.Contains(err.Error(), "Failed to find stack: gone") {
		t.Fatalf("got %v", err)
	}
}
