package upgrade

import (
	"reflect"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// TestDesiredBodiesAreTheBuiltValuesSharingTheLaunchConfigs: each body is its built value converted
// whole (as it was before the launch configs were shared), and the bodies share the launch config maps.
func TestDesiredBodiesAreTheBuiltValuesSharingTheLaunchConfigs(t *testing.T) {
	lc := func(image string) *resources.LaunchConfig {
		return &resources.LaunchConfig{ImageUuid: "docker:" + image, Labels: map[string]any{"io.rancher.service.hash": "h-" + image},
			Environment: map[string]any{"A": "1"}, Ports: []string{"80:80/tcp"}}
	}
	plain := &resources.CompositeService{Service: resources.Service{Name: "web", Scale: 2, StackId: "1st1",
		Metadata: map[string]any{"io.rancher.service.hash": "svc"}, LaunchConfig: lc("web:1"),
		SecondaryLaunchConfigs: []resources.SecondaryLaunchConfig{{Name: "log", ImageUuid: "docker:busybox"}, {Name: "side", ImageUuid: "docker:side"}}},
		HealthCheck: &resources.InstanceHealthCheck{Port: 8080, HealthyThreshold: 2}}
	lb := &resources.CompositeService{Service: resources.Service{Name: "lb", Scale: 1, LaunchConfig: lc("rancher/lb-service-haproxy")},
		RealLbConfig: &resources.LbConfig{PortRules: []resources.PortRule{{SourcePort: 80, TargetPort: 8080, ServiceId: "1s1"}}}}
	external := &resources.CompositeService{Service: resources.Service{Name: "ext"}, ExternalIpAddresses: []string{"10.0.0.1"}, Hostname: ""}
	for _, b := range []*launchconfig.Built{
		{Kind: launchconfig.KindService, Service: plain},
		{Kind: launchconfig.KindLoadBalancer, Service: lb},
		{Kind: launchconfig.KindExternal, Service: external},
	} {
		name := b.Service.Name
		p := &compose.Project{Services: []*compose.Service{{Name: name}}}
		d, err := DesiredFrom(p, p.Services[0], b)
		if err != nil {
			t.Fatal(err)
		}
		for what, pair := range map[string][2]any{
			"create body": {d.CreateBody, b.CreateBody()}, "service body": {d.ServiceBody, b.Service},
			"launch config": {d.LaunchConfig, b.Service.LaunchConfig},
		} {
			want, err := ToMap(pair[1])
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := pair[0].(map[string]any); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s\n got %v\nwant %v", name, what, got, want)
			}
		}
		for i := range b.Service.SecondaryLaunchConfigs {
			sk := &b.Service.SecondaryLaunchConfigs[i]
			if want, _ := ToMap(sk); !reflect.DeepEqual(d.Sidekicks[sk.Name], want) {
				t.Errorf("%s: sidekick %s = %v, want %v", name, sk.Name, d.Sidekicks[sk.Name], want)
			}
		}
		if d.LaunchConfig == nil {
			continue
		}
		for what, body := range map[string]map[string]any{"create body": d.CreateBody, "service body": d.ServiceBody} {
			if shared, _ := body["launchConfig"].(map[string]any); reflect.ValueOf(shared).UnsafePointer() != reflect.ValueOf(d.LaunchConfig).UnsafePointer() {
				t.Errorf("%s: the %s holds a launch config of its own", name, what)
			}
		}
	}
}
