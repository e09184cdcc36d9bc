package upgrade

import (
	"reflect"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

func TestOrphans(t *testing.T) {
	p := &compose.Project{Services: []*compose.Service{{Name: "web"}, {Name: "db"}}, Disabled: []string{"debug"}}
	got := Orphans([]string{"web", "zeta", "debug", "db", "alpha"}, p)
	if !reflect.DeepEqual(got, []string{"alpha", "zeta"}) {
		t.Errorf("orphans %v, want [alpha zeta]", got)
	}
}
