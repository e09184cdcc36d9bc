package launchconfig

import (
	"reflect"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher/digest"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

func TestPlanUpgradeSidekicks(t *testing.T) {
	built := &Built{
		Service: &resources.CompositeService{Service: resources.Service{Name: "app", Scale: 1,
			LaunchConfig:           &resources.LaunchConfig{ImageUuid: "docker:app"},
			SecondaryLaunchConfigs: []resources.SecondaryLaunchConfig{{Name: "same"}, {Name: "changed"}, {Name: "new"}}}},
		Hash: digest.ServiceHash{Service: "s", LaunchConfig: "l",
			SecondaryLaunchConfigs: map[string]string{"same": "1", "changed": "2", "new": "3"}},
	}
	existing := &resources.Service{Metadata: map[string]interface{}{digest.Key: "s"},
		LaunchConfig: &resources.LaunchConfig{Labels: map[string]interface{}{digest.Key: "l"}},
		SecondaryLaunchConfigs: []resources.SecondaryLaunchConfig{
			{Name: "same", Labels: map[string]interface{}{digest.Key: "1"}},
			{Name: "changed", Labels: map[string]interface{}{digest.Key: "old"}},
			{Name: "gone", Labels: map[string]interface{}{digest.Key: "9"}}}}
	p := PlanUpgrade(existing, built, false, nil)
	want := UpgradePlan{Sidekicks: []string{"changed", "new"}, Removed: []string{"gone"}}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("plan %+v, want %+v", p, want)
	}
	in := built.UpgradeInput(p, 2, 1000, true)
	names := []string{}
	for _, s := range in.InServiceStrategy.SecondaryLaunchConfigs {
		names = append(names, s.Name+"="+s.ImageUuid)
	}
	if !reflect.DeepEqual(names, []string{"changed=", "new=", "gone=rancher/none"}) || in.InServiceStrategy.LaunchConfig != nil || !in.InServiceStrategy.StartFirst {
		t.Fatalf("upgrade input %v %+v", names, in.InServiceStrategy)
	}
	forced := PlanUpgrade(existing, built, true, func(n string) bool { return n == "same" })
	if !forced.Service || !forced.LaunchConfig || !reflect.DeepEqual(forced.Sidekicks, []string{"same", "changed", "new"}) {
		t.Fatalf("forced plan %+v", forced)
	}
	if body := built.UpdateBody(7); body.Scale != 7 || built.Service.Scale != 1 {
		t.Fatal("UpdateBody keeps the live scale without changing the build")
	}
}
