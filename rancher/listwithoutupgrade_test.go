package rancher

import (
	"context"
	"testing"
)

// TestServicesListedWithoutTheirUpgradeStrategies: a listed service keeps what its readers use (launch
// config, actions, links, state) and drops the upgrade strategy with its two launch configs.
func TestServicesListedWithoutTheirUpgradeStrategies(t *testing.T) {
	f := newFakeAPI(t)
	f.add("service", map[string]any{"name": "web", "stackId": "1st1", "state": "upgraded", "scale": 2,
		"launchConfig": map[string]any{"imageUuid": "docker:web:2", "labels": map[string]any{"io.rancher.service.hash": "new"}},
		"upgrade": map[string]any{"inServiceStrategy": map[string]any{"batchSize": 1,
			"launchConfig": map[string]any{"imageUuid": "docker:web:2"}, "previousLaunchConfig": map[string]any{"imageUuid": "docker:web:1"}}}})
	c := newTestClient(t, f)
	full, err := c.Services().List(context.Background(), Filters{"stackId": "1st1"})
	if err != nil || len(full) != 1 || full[0].Upgrade == nil {
		t.Fatalf("the fake's service has no upgrade strategy to skip: %v %+v", err, full)
	}
	list, err := c.ListServicesWithoutUpgrade(context.Background(), Filters{"stackId": "1st1"})
	if err != nil || len(list) != 1 {
		t.Fatalf("%v %+v", err, list)
	}
	svc := list[0]
	if svc.Upgrade != nil {
		t.Errorf("upgrade decoded: %+v", svc.Upgrade)
	}
	if svc.Id == "" || svc.Name != "web" || svc.State != "upgraded" || svc.Scale != 2 {
		t.Errorf("resource fields lost: %+v", svc)
	}
	if svc.LaunchConfig == nil || svc.LaunchConfig.ImageUuid != "docker:web:2" || svc.LaunchConfig.Labels["io.rancher.service.hash"] != "new" {
		t.Errorf("launch config lost: %+v", svc.LaunchConfig)
	}
	if svc.Links["self"] == "" || len(svc.Actions) != len(full[0].Actions) {
		t.Errorf("actions or links lost: %v %v", svc.Actions, svc.Links)
	}
}
