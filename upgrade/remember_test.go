package upgrade

import (
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// TestRememberedServicesKeepNoUpgradeStrategy: the copy kept of a service drops its upgrade strategy (two
// launch configs no reader uses), keeps the rest, and leaves the caller's value as it was.
func TestRememberedServicesKeepNoUpgradeStrategy(t *testing.T) {
	a := &RancherAPI{seen: map[string]*resources.Service{}}
	in := &resources.Service{Resource: resources.Resource{Id: "1s1", Actions: map[string]string{"finishupgrade": "u"}},
		Name: "web", State: "upgraded", LaunchConfig: &resources.LaunchConfig{ImageUuid: "docker:web:2"},
		Upgrade: &resources.ServiceUpgrade{InServiceStrategy: &resources.InServiceUpgradeStrategy{
			LaunchConfig: &resources.LaunchConfig{ImageUuid: "docker:web:2"}, PreviousLaunchConfig: &resources.LaunchConfig{ImageUuid: "docker:web:1"}}}}
	got, err := a.remember(in)
	if err != nil {
		t.Fatal(err)
	}
	kept := a.seen["1s1"]
	if kept == nil || kept.Upgrade != nil {
		t.Fatalf("kept %+v, want a copy without its upgrade strategy", kept)
	}
	if kept.LaunchConfig == nil || kept.Actions["finishupgrade"] == "" || kept.State != "upgraded" {
		t.Errorf("kept copy lost more than its upgrade: %+v", kept)
	}
	if in.Upgrade == nil {
		t.Error("the caller's service lost its upgrade strategy")
	}
	if got.Name != "web" || got.Image() != "web:2" || !got.HasAction("finishupgrade") {
		t.Errorf("the returned service: %+v", got)
	}
	if a.ForgetServices(); len(a.seen) != 0 {
		t.Errorf("ForgetServices kept %d", len(a.seen))
	}
}
