package upgrade

import (
	"encoding/json"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// The poller decodes the state of a service and keeps the launch config this client last saw whole.
func TestPolledServiceOverKeepsTheLaunchConfigAndTakesTheState(t *testing.T) {
	full := &resources.Service{Resource: resources.Resource{Id: "1s1", Actions: map[string]string{"upgrade": "u"}}, Name: "web",
		State: "active", Scale: 2, LaunchConfig: &resources.LaunchConfig{ImageUuid: "docker:nginx:1"}, Metadata: map[string]any{"k": "v"}}
	var p polledService
	answer := `{"id":"1s1","type":"service","name":"web","stackId":"1st1","state":"upgrading","transitioning":"yes",
		"healthState":"initializing","scale":3,"currentScale":1,"actions":{},"links":{"self":"s"},
		"launchConfig":{"imageUuid":"docker:nginx:2","labels":{"a":"b"}}}`
	if err := json.Unmarshal([]byte(answer), &p); err != nil {
		t.Fatal(err)
	}
	got := p.over(full)
	if got.State != "upgrading" || got.Transitioning != "yes" || got.HealthState != "initializing" || got.Scale != 3 ||
		got.CurrentScale != 1 || got.StackId != "1st1" || len(got.Actions) != 0 || got.Links["self"] != "s" {
		t.Errorf("polled fields not taken: %+v", got)
	}
	if got.LaunchConfig.ImageUuid != "docker:nginx:1" || got.Metadata["k"] != "v" {
		t.Errorf("the remembered launch config and metadata were not kept: %+v", got)
	}
	if full.State != "active" {
		t.Error("the remembered copy was changed")
	}
}
