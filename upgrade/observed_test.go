package upgrade

import (
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// A service the API reported with no links has known (empty) links: no set-links is planned for it.
func TestServiceFromKeepsAnEmptyLinkedServicesReported(t *testing.T) {
	s, err := ServiceFrom(&resources.Service{Name: "db", LinkedServices: map[string]any{}})
	if err != nil {
		t.Fatal(err)
	}
	if s.LinkedServices == nil {
		t.Error("linkedServices {} became nil: the planner would re-post the links on every run")
	}
	s, err = ServiceFrom(&resources.Service{Name: "db"})
	if err != nil {
		t.Fatal(err)
	}
	if s.LinkedServices != nil {
		t.Errorf("linkedServices not reported became %v, want nil (unknown)", s.LinkedServices)
	}
}
