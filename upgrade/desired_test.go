package upgrade

import (
	"reflect"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

func TestLinksAndDependencies(t *testing.T) {
	links := append(parseLinks([]string{"db", "cache: c ", " "}, false), parseLinks([]string{"other/api:api"}, true)...)
	want := []Link{{Target: "db"}, {Target: "cache", Alias: "c"}, {Target: "other/api", Alias: "api", External: true}}
	if !reflect.DeepEqual(links, want) {
		t.Errorf("links = %+v", links)
	}
	lb := &compose.Service{Name: "lb", Rancher: &compose.RancherConfig{LBConfig: &compose.LBConfig{PortRules: []compose.PortRule{
		{SourcePort: 80, Service: "web"}, {SourcePort: 81, Service: "other/x"}, {SourcePort: 82, Service: "db"}}}}}
	if got := dependencies(lb, links); !reflect.DeepEqual(got, []string{"db", "cache", "web"}) {
		t.Errorf("dependencies = %v", got)
	}
}
