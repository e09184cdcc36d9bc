package compose

import (
	"reflect"
	"testing"
)

func TestOrphans(t *testing.T) {
	p := &Project{Services: []*Service{{Name: "web"}, {Name: "db"}}, Disabled: []string{"debug"}}
	got := p.Orphans([]string{"web", "zeta", "debug", "db", "alpha"})
	if !reflect.DeepEqual(got, []string{"alpha", "zeta"}) {
		t.Errorf("orphans %v, want [alpha zeta]", got)
	}
}
