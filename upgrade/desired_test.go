package upgrade

import (
	"reflect"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

func TestLinksAndDependencies(t *testing.T) {
	p := &compose.Project{Services: []*compose.Service{
		{Name: "web", Compose: compose.ServiceConfig{Links: []string{"db", "cache: alias", "web"}, ExternalLinks: []string{"other/api", "x:y"}},
			Rancher: &compose.RancherConfig{LBConfig: &compose.LBConfig{PortRules: []compose.PortRule{{Service: "api"}, {Service: "stack/svc"}}}}},
		{Name: "db"}, {Name: "cache"}, {Name: "api"}, {Name: "side", SidekickOf: "web"},
	}}
	web := p.Services[0]
	want := []Link{{Target: "db"}, {Target: "cache", Alias: "alias"}, {Target: "web"},
		{Target: "other/api", External: true}, {Target: "x", Alias: "y", External: true}}
	if got := linksOf(web); !reflect.DeepEqual(got, want) {
		t.Errorf("links %+v", got)
	}
	if got := dependencies(p, web); !reflect.DeepEqual(got, []string{"api", "cache", "db"}) {
		t.Errorf("dependencies %v", got)
	}
}

// From the engine's former DesiredFrom test: blank entries are dropped, spaces trimmed, and a load
// balancer waits for its port-rule targets of this stack besides its links.
func TestLinksTrimAndLBDependencies(t *testing.T) {
	lb := &compose.Service{Name: "lb", Compose: compose.ServiceConfig{Links: []string{"db", "cache: c ", " "}, ExternalLinks: []string{"other/api:api"}},
		Rancher: &compose.RancherConfig{LBConfig: &compose.LBConfig{PortRules: []compose.PortRule{
			{SourcePort: 80, Service: "web"}, {SourcePort: 81, Service: "other/x"}, {SourcePort: 82, Service: "db"}}}}}
	want := []Link{{Target: "db"}, {Target: "cache", Alias: "c"}, {Target: "other/api", Alias: "api", External: true}}
	if links := linksOf(lb); !reflect.DeepEqual(links, want) {
		t.Errorf("links = %+v", links)
	}
	p := &compose.Project{Services: []*compose.Service{lb, {Name: "db"}, {Name: "cache"}, {Name: "web"}}}
	if got := dependencies(p, lb); !reflect.DeepEqual(got, []string{"cache", "db", "web"}) {
		t.Errorf("dependencies = %v", got)
	}
}
