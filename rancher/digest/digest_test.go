package digest

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// nul turns the doc's ␀ notation into the real byte stream.
func nul(s string) string { return strings.ReplaceAll(s, "␀", "\x00") }

func assertDigest(t *testing.T, name string, v interface{}, wantStream, wantDigest string) {
	t.Helper()
	got, err := Stream(v)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if wantStream != "" && string(got) != nul(wantStream) {
		t.Errorf("%s stream\n got %q\nwant %q", name, got, nul(wantStream))
	}
	d, err := Of(v)
	if err != nil {
		t.Fatal(err)
	}
	if d != wantDigest {
		t.Errorf("%s digest = %s, want %s", name, d, wantDigest)
	}
}

func transformed(t *testing.T, js string) *resources.LaunchConfig {
	t.Helper()
	lc := &resources.LaunchConfig{}
	if err := json.Unmarshal([]byte(js), lc); err != nil {
		t.Fatal(err)
	}
	return lc
}

func healthCheck71() *resources.InstanceHealthCheck {
	return &resources.InstanceHealthCheck{HealthyThreshold: 2, Interval: 5000, Port: 1000,
		RequestLine: "GET / HTTP/1.0", ResponseTimeout: 2000, UnhealthyThreshold: 3}
}

// TestWorkedExample71 is service-hash.md §7.1 (rfc2136dns): a plain service with a health check.
func TestWorkedExample71(t *testing.T) {
	hc := healthCheck71()
	svc := &resources.CompositeService{Service: resources.Service{Name: "rfc2136dns", Scale: 1, StackId: "1st1",
		Metadata: map[string]interface{}{}}, HealthCheck: hc}
	assertDigest(t, "service", svc,
		"health_check␀healthy_threshold␀2␀interval␀5000␀port␀1000␀request_line␀GET / HTTP/1.0␀resource␀actions␀id␀␀type␀␀response_timeout␀2000␀unhealthy_threshold␀3␀service␀name␀rfc2136dns␀resource␀actions␀id␀␀type␀␀",
		"16b948c117be84352a75c5f28971313f027810ef")

	lc := transformed(t, `{"type":"launchConfig","kind":"container","imageUuid":"docker:rancher/external-dns:v0.6.2",
		"labels":{"io.rancher.container.agent.role":"external-dns","io.rancher.container.create_agent":"true"},
		"environment":{"RFC2136_INSECURE":"false","RFC2136_PORT":"53","RFC2136_TSIG_KEYNAME":"","RFC2136_TSIG_SECRET":"",
		"ROOT_DOMAIN":"","TTL":"60","NAME_TEMPLATE":"%{{service_name}}.%{{stack_name}}.%{{environment_name}}","RFC2136_HOST":""},
		"command":["-provider=rfc2136"],"tty":false,"stdinOpen":false,"logConfig":{"type":"logConfig","driver":"","config":{}}}`)
	lc.Kind = ""
	lc.NetworkMode = "managed"
	lc.Expose = []string{"1000"}
	lc.Ports = nil
	lc.HealthCheck = hc
	assertDigest(t, "launch config", lc,
		"command␀-provider=rfc2136␀environment␀NAME_TEMPLATE␀%{{service_name}}.%{{stack_name}}.%{{environment_name}}␀RFC2136_HOST␀␀RFC2136_INSECURE␀false␀RFC2136_PORT␀53␀RFC2136_TSIG_KEYNAME␀␀RFC2136_TSIG_SECRET␀␀ROOT_DOMAIN␀␀TTL␀60␀expose␀1000␀health_check␀healthy_threshold␀2␀interval␀5000␀port␀1000␀request_line␀GET / HTTP/1.0␀resource␀actions␀id␀␀type␀␀response_timeout␀2000␀unhealthy_threshold␀3␀image_uuid␀docker:rancher/external-dns:v0.6.2␀labels␀io.rancher.container.agent.role␀external-dns␀io.rancher.container.create_agent␀true␀log_config␀resource␀actions␀id␀␀type␀logConfig␀network_mode␀managed␀resource␀actions␀id␀␀type␀launchConfig␀",
		"84c7390d9c0a6a9230844b7472cd0a59bc70fbbf")
}

func ubuntuLaunchConfig(t *testing.T, labels string) *resources.LaunchConfig {
	lc := transformed(t, `{"type":"launchConfig","kind":"container","imageUuid":"docker:ubuntu:14.04",`+labels+
		`"tty":false,"stdinOpen":false,"logConfig":{"type":"logConfig","driver":"","config":{}}}`)
	lc.Kind = ""
	lc.NetworkMode = "managed"
	if lc.Labels == nil {
		lc.Labels = map[string]interface{}{}
	}
	return lc
}

func sidekick(t *testing.T, lc *resources.LaunchConfig, name string) resources.SecondaryLaunchConfig {
	var s resources.SecondaryLaunchConfig
	if err := Convert(lc, &s); err != nil {
		t.Fatal(err)
	}
	s.Name = name
	if s.Labels == nil {
		s.Labels = map[string]interface{}{}
	}
	return s
}

// TestWorkedExample72 is §7.2 (service2 with sidekicks service1 and data), through Create and Stamp.
func TestWorkedExample72(t *testing.T) {
	svc := &resources.CompositeService{Service: resources.Service{Name: "service2", Scale: 1, StackId: "1st1"}}
	primary := ubuntuLaunchConfig(t, `"labels":{"io.rancher.sidekicks":"service1, data"},`)
	s1lc := ubuntuLaunchConfig(t, "")
	s1lc.DataVolumesFromLaunchConfigs = []string{"data"}
	secondaries := []resources.SecondaryLaunchConfig{sidekick(t, s1lc, "service1"), sidekick(t, ubuntuLaunchConfig(t, ""), "data")}

	assertDigest(t, "service", svc, "service␀name␀service2␀resource␀actions␀id␀␀type␀␀", "9a488c83573e17db9211e856ad0e0b88d207eee1")
	assertDigest(t, "primary", primary, "image_uuid␀docker:ubuntu:14.04␀labels␀io.rancher.sidekicks␀service1, data␀log_config␀resource␀actions␀id␀␀type␀logConfig␀network_mode␀managed␀resource␀actions␀id␀␀type␀launchConfig␀", "27d43d457decf931ea254ff6ddda6f6d75bff347")
	assertDigest(t, "service1", secondaries[0], "data_volumes_from_launch_configs␀data␀image_uuid␀docker:ubuntu:14.04␀log_config␀resource␀actions␀id␀␀type␀logConfig␀name␀service1␀network_mode␀managed␀resource␀actions␀id␀␀type␀launchConfig␀", "626f570acdd4d6e11dd56018f8915f911e364162")
	assertDigest(t, "data", secondaries[1], "image_uuid␀docker:ubuntu:14.04␀log_config␀resource␀actions␀id␀␀type␀logConfig␀name␀data␀network_mode␀managed␀resource␀actions␀id␀␀type␀launchConfig␀", "203ef5bd731c3c6be10c6ee2282653eed714789a")

	h, err := Create(svc, primary, secondaries)
	if err != nil {
		t.Fatal(err)
	}
	want := ServiceHash{Service: "9a488c83573e17db9211e856ad0e0b88d207eee1", LaunchConfig: "27d43d457decf931ea254ff6ddda6f6d75bff347",
		SecondaryLaunchConfigs: map[string]string{"service1": "626f570acdd4d6e11dd56018f8915f911e364162", "data": "203ef5bd731c3c6be10c6ee2282653eed714789a"}}
	if !h.Equals(want) {
		t.Fatalf("Create = %+v, want %+v", h, want)
	}
	h.Stamp(&svc.Service, primary, secondaries)
	svc.LaunchConfig, svc.SecondaryLaunchConfigs = primary, secondaries
	again, err := Create(&resources.CompositeService{Service: resources.Service{Name: "service2"}}, primary, secondaries)
	if err != nil || again.Service != want.Service || again.LaunchConfig != want.LaunchConfig {
		t.Fatalf("digests after stamping must not change (hash key ignored): %+v, %v", again, err)
	}
	// A sidekick whose only label is the hash now has a non-empty labels map: its key is written.
	if again.SecondaryLaunchConfigs["data"] == want.SecondaryLaunchConfigs["data"] {
		t.Fatal("stamped labels-only-hash sidekick should hash differently (labels key present)")
	}
	looked, ok := Lookup(&svc.Service)
	if !ok || !looked.Equals(want) {
		t.Fatalf("Lookup = %+v %v, want %+v", looked, ok, want)
	}
	looked.SecondaryLaunchConfigs["data"] = "x"
	if looked.Equals(want) {
		t.Fatal("a changed sidekick digest must not be equal")
	}
}

// TestWorkedExample73 is §7.3 (MinecraftLB, a legacy load balancer).
func TestWorkedExample73(t *testing.T) {
	svc := &resources.CompositeService{Service: resources.Service{Name: "MinecraftLB", Scale: 1},
		RealLbConfig: &resources.LbConfig{CertificateIds: []string{}, PortRules: []resources.PortRule{
			{Protocol: "tcp", ServiceId: "1s24478996", SourcePort: 25565, TargetPort: 25565}}}}
	assertDigest(t, "service", svc, "lb_config␀port_rules␀protocol␀tcp␀resource␀actions␀id␀␀type␀␀service_id␀1s24478996␀source_port␀25565␀target_port␀25565␀resource␀actions␀id␀␀type␀␀service␀name␀MinecraftLB␀resource␀actions␀id␀␀type␀␀", "9213ee2e7eeb435d966b25d90c491200ef2b599e")
	lc := transformed(t, `{"type":"launchConfig","kind":"container","imageUuid":"docker:rancher/lb-service-haproxy:v0.7.1",
		"tty":true,"stdinOpen":true,"ports":["25565:25565/tcp"],"logConfig":{"type":"logConfig","driver":"","config":{}}}`)
	lc.Kind, lc.NetworkMode, lc.Ports, lc.Labels = "", "managed", []string{"25565/tcp"}, map[string]interface{}{}
	assertDigest(t, "launch config", lc, "image_uuid␀docker:rancher/lb-service-haproxy:v0.7.1␀log_config␀resource␀actions␀id␀␀type␀logConfig␀network_mode␀managed␀ports␀25565/tcp␀resource␀actions␀id␀␀type␀launchConfig␀stdin_open␀true␀tty␀true␀", "21f497bde3e6f0dc8cccbf50cc2eee3db3bb265f")
}

// TestWorkedExample74 is §7.4 (web with nested metadata; lists of maps flatten).
func TestWorkedExample74(t *testing.T) {
	meta := map[string]interface{}{
		"test1": []interface{}{"one", "two"},
		"test2": map[string]interface{}{"name": "t2name", "value": "t2value"},
		"test3": true,
		"test4": []interface{}{map[string]interface{}{"test5": map[string]interface{}{"name": "t5name"}},
			map[string]interface{}{"test6": map[string]interface{}{"name": "t6name", "value": "t6value"}}},
		"test7": map[string]interface{}{"test7nest": map[string]interface{}{"test7nestofnest": map[string]interface{}{
			"test7dot1": map[string]interface{}{"name": "test7dot1name"}, "test7dot2": map[string]interface{}{"name": "test7dot2name"}}}},
		"test8": []interface{}{
			map[string]interface{}{"test8a": []interface{}{map[string]interface{}{"name": "test8a", "value": "test8avalue"},
				map[string]interface{}{"name": "test8ab", "value": "test8abvalue"}}},
			map[string]interface{}{"test8b": []interface{}{map[string]interface{}{"name": "test8ba", "value": "test8bavalue"}}}},
	}
	svc := &resources.CompositeService{Service: resources.Service{Name: "web", Scale: 1, Metadata: meta}}
	assertDigest(t, "service", svc, "service␀metadata␀test1␀one␀two␀test2␀name␀t2name␀value␀t2value␀test3␀true␀test4␀test5␀name␀t5name␀test6␀name␀t6name␀value␀t6value␀test7␀test7nest␀test7nestofnest␀test7dot1␀name␀test7dot1name␀test7dot2␀name␀test7dot2name␀test8␀test8a␀name␀test8a␀value␀test8avalue␀name␀test8ab␀value␀test8abvalue␀test8b␀name␀test8ba␀value␀test8bavalue␀name␀web␀resource␀actions␀id␀␀type␀␀", "221218b7fc53c7c1b868bbb65b2452ae8a624a99")
	lc := transformed(t, `{"type":"launchConfig","imageUuid":"docker:nginx","logConfig":{"type":"logConfig"}}`)
	lc.NetworkMode, lc.Labels, lc.LogConfig.Config = "managed", map[string]interface{}{}, map[string]interface{}{}
	assertDigest(t, "launch config", lc, "image_uuid␀docker:nginx␀log_config␀resource␀actions␀id␀␀type␀logConfig␀network_mode␀managed␀resource␀actions␀id␀␀type␀launchConfig␀", "7d36c55a2e7ae84123572e029676ce987ef2418d")
}

func streamOf(t *testing.T, v interface{}) string {
	t.Helper()
	b, err := Stream(v)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), "\x00", "␀")
}

// TestScalarTyping covers §4.4-§4.5 and §5: what the yaml.v2 round trip does to interface{} values.
func TestScalarTyping(t *testing.T) {
	cases := []struct {
		value interface{}
		want  string
	}{
		{1.0, "v␀1␀"},
		{1.5, "v␀1.5␀"},
		{100000.0, "v␀100000␀"},
		{1e6, "v␀1e+06␀"},
		{123456789.0, "v␀1.2345679e+08␀"},
		{0.1, "v␀0.1␀"},
		{3.14159265358979, "v␀3.1415927␀"},
		{1e-05, "v␀1e-05␀"},
		{16777217.0, "v␀1.6777216e+07␀"},
		{1e39, "v␀+Inf␀"},
		{math.Inf(-1), "v␀-Inf␀"},
		{math.NaN(), "v␀NaN␀"},
		{nil, "v␀<nil>␀"},
		{true, "v␀true␀"},
		{false, "v␀false␀"},
		{-42, "v␀-42␀"},
		{uint64(math.MaxUint64), "v␀18446744073709551615␀"},
		{"123", "v␀123␀"},
		{"true", "v␀true␀"},
		{"", "v␀␀"},
		{" spaced\ttab\r\nline\n", "v␀ spaced\ttab\r\nline\n␀"},
		{"nul\x00inside", "v␀nul␀inside␀"}, // the NUL is written as is
		{"héllo", "v␀héllo␀"},
		{map[string]interface{}{}, "v␀"},
		{[]interface{}{}, "v␀"},
		{[]interface{}{[]interface{}{}}, "v␀"},
		{map[string]interface{}{"a": map[string]interface{}{}}, "v␀a␀"},
		{map[string]interface{}{"a": []interface{}{}}, "v␀a␀"},
		{[]interface{}{"x", []interface{}{"y", map[string]interface{}{"k": 1}}}, "v␀x␀y␀k␀1␀"},
	}
	for _, c := range cases {
		got := streamOf(t, map[string]interface{}{"v": c.value})
		if got != c.want {
			t.Errorf("%#v: got %q, want %q", c.value, got, c.want)
		}
	}
}

// TestIgnoredKeysAtEveryDepth: the six ignored keys are skipped wherever they are keys, never as values,
// and the match is case-sensitive.
func TestIgnoredKeysAtEveryDepth(t *testing.T) {
	lc := &resources.LaunchConfig{
		Labels: map[string]interface{}{"links": "x", "scale": "2", "SCALE": "3", "stack_id": "s", "keep": "links",
			Key: "old", "selector_link": "a", "selector_container": "b"},
		Environment: map[string]interface{}{"nested": map[string]interface{}{"links": 1, "scale": []interface{}{"z"}}},
	}
	got := streamOf(t, lc)
	want := "environment␀nested␀labels␀SCALE␀3␀keep␀links␀resource␀actions␀id␀␀type␀␀"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestOmitemptyAndResource covers §4.2-§4.3: zero fields vanish, a non-nil pointer to a zero struct does not,
// a zero struct value does, nil and empty Links/Actions are alike, and keys sort byte-wise.
func TestOmitemptyAndResource(t *testing.T) {
	lc := &resources.LaunchConfig{LogConfig: &resources.LogConfig{}, Labels: map[string]interface{}{}}
	if got, want := streamOf(t, lc), "log_config␀resource␀actions␀id␀␀type␀␀resource␀actions␀id␀␀type␀␀"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	withActions := &resources.LaunchConfig{}
	withActions.Actions = map[string]string{"b": "2", "a": "1"}
	withActions.Links = map[string]string{"self": "x"}
	withActions.Id = "1lc1"
	if got, want := streamOf(t, withActions), "resource␀actions␀a␀1␀b␀2␀id␀1lc1␀type␀␀"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	nd := &resources.CompositeService{NetworkDriver: &resources.NetworkDriver{Name: "n"}}
	if got, want := streamOf(t, nd), "networkDriver␀name␀n␀resource␀actions␀id␀␀type␀␀service␀resource␀actions␀id␀␀type␀␀"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	sorted := streamOf(t, map[string]interface{}{"b": 1, "_": 2, "B": 3, "a.b": 4, "a-b": 5, "1": 6})
	if want := "1␀6␀B␀3␀_␀2␀a-b␀5␀a.b␀4␀b␀1␀"; sorted != want {
		t.Errorf("sort: got %q, want %q", sorted, want)
	}
}

// TestYAMLKeyTyping: scalars that yaml.v2 re-types on the way back keep their text in the stream.
func TestYAMLKeyTyping(t *testing.T) {
	got := streamOf(t, map[interface{}]interface{}{true: "t", 10: "n", 1.5: "f", nil: "z"})
	if want := "1.5␀f␀10␀n␀<nil>␀z␀true␀t␀"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestLookupWithoutHash: a service without a metadata digest is "no hash", and missing values read as "".
func TestLookupWithoutHash(t *testing.T) {
	h, ok := Lookup(&resources.Service{LaunchConfig: &resources.LaunchConfig{Labels: map[string]interface{}{Key: 5}}})
	if ok || h.Service != "" || h.LaunchConfig != "5" {
		t.Fatalf("got %+v %v", h, ok)
	}
	if !(ServiceHash{}).Equals(ServiceHash{SecondaryLaunchConfigs: map[string]string{}}) {
		t.Fatal("nil and empty sidekick maps must be equal")
	}
}
