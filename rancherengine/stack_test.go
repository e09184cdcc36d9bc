package rancherengine

import (
	"encoding/json"
	"testing"
)

// TestListedServicesSkipTheUpgradeStrategy: a listed service keeps what its readers use (launch config,
// actions, links, state) and drops the upgrade strategy with its two launch configs.
func TestListedServicesSkipTheUpgradeStrategy(t *testing.T) {
	body := `{"id":"1s5","name":"web","state":"upgraded","scale":2,
		"actions":{"finishupgrade":"http://h/v2-beta/services/1s5/?action=finishupgrade"},
		"links":{"self":"http://h/v2-beta/services/1s5"},
		"launchConfig":{"imageUuid":"docker:web:2","labels":{"io.rancher.service.hash":"new"}},
		"upgrade":{"inServiceStrategy":{"batchSize":1,"launchConfig":{"imageUuid":"docker:web:2"},
			"previousLaunchConfig":{"imageUuid":"docker:web:1"}},"toServiceStrategy":null}}`
	var s listedService
	if err := json.Unmarshal([]byte(body), &s); err != nil {
		t.Fatal(err)
	}
	svc := s.Service
	if svc.Upgrade != nil {
		t.Errorf("upgrade decoded: %+v", svc.Upgrade)
	}
	if svc.Id != "1s5" || svc.Name != "web" || svc.State != "upgraded" || svc.Scale != 2 {
		t.Errorf("resource fields lost: %+v", svc)
	}
	if svc.LaunchConfig == nil || svc.LaunchConfig.ImageUuid != "docker:web:2" || svc.LaunchConfig.Labels["io.rancher.service.hash"] != "new" {
		t.Errorf("launch config lost: %+v", svc.LaunchConfig)
	}
	if svc.Actions["finishupgrade"] == "" || svc.Links["self"] == "" {
		t.Errorf("actions or links lost: %v %v", svc.Actions, svc.Links)
	}
}
