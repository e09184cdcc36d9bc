package upgrade

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
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

// serviceOf copies what the JSON round trip of the typed resource gave, field for field: services as the
// simulator answers them (a sidekick, links, a health check, metadata, ports), and bare ones.
func TestServiceOfIsTheJSONRoundTripOfTheResource(t *testing.T) {
	list := simServices(t)
	list = append(list, resources.Service{Name: "bare"}, resources.Service{Name: "empty",
		Resource: resources.Resource{Actions: map[string]string{}}, Metadata: map[string]any{}, LaunchConfig: &resources.LaunchConfig{}})
	for i := range list {
		r := &list[i]
		got, err := serviceOf(r)
		if err != nil {
			t.Fatal(err)
		}
		whole, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		want, err := ServiceFromJSON(whole)
		if err != nil {
			t.Fatal(err)
		}
		gotJSON, _ := json.Marshal(got)
		wantJSON, _ := json.Marshal(want)
		if !bytes.Equal(gotJSON, wantJSON) {
			t.Errorf("%s:\n got %s\nwant %s", r.Name, gotJSON, wantJSON)
		}
		if (got.LaunchConfig == nil) != (want.LaunchConfig == nil) {
			t.Errorf("%s: launchConfig nil %v, the round trip's %v", r.Name, got.LaunchConfig == nil, want.LaunchConfig == nil)
		}
		if i < 2 && (len(got.LaunchConfig) == 0 || len(got.Actions) == 0) {
			t.Errorf("%s: the simulator's service lost its launch config or actions: %s", r.Name, gotJSON)
		}
	}
}

// The health waits' view of a service read from the stack's poller holds what healthcheck reads of its
// launch configs (name, version, labels, a health check or none) as the whole conversion would.
func TestHealthViewOfHoldsWhatTheWaitsReadOfTheLaunchConfigs(t *testing.T) {
	list := simServices(t)
	list = append(list, resources.Service{Name: "bare"})
	sawHealth, sawSidekick := false, false
	for i := range list {
		r := &list[i]
		whole, err := serviceOf(r)
		if err != nil {
			t.Fatal(err)
		}
		want, got := HealthView(whole), healthViewOf(r)
		if got.ID != want.ID || got.Name != want.Name || got.Kind != want.Kind || got.State != want.State ||
			got.HealthState != want.HealthState || got.Scale != want.Scale || got.Transitioning != want.Transitioning {
			t.Errorf("%s: %+v, want %+v", r.Name, got, want)
		}
		same := func(what string, g, w map[string]any) {
			if (g == nil) != (w == nil) || !reflect.DeepEqual(g["labels"], w["labels"]) || g["version"] != w["version"] ||
				(g["healthCheck"] == nil) != (w["healthCheck"] == nil) || fmt.Sprint(g["name"]) != fmt.Sprint(w["name"]) {
				t.Errorf("%s %s: %v, want the same labels, version, name and health check as %v", r.Name, what, g, w)
			}
			sawHealth = sawHealth || w["healthCheck"] != nil
		}
		same("launch config", got.LaunchConfig, want.LaunchConfig)
		if len(got.SecondaryLaunchConfigs) != len(want.SecondaryLaunchConfigs) {
			t.Fatalf("%s: %d sidekicks, want %d", r.Name, len(got.SecondaryLaunchConfigs), len(want.SecondaryLaunchConfigs))
		}
		for j := range want.SecondaryLaunchConfigs {
			sawSidekick = true
			same("sidekick", got.SecondaryLaunchConfigs[j], want.SecondaryLaunchConfigs[j])
		}
	}
	if !sawHealth || !sawSidekick {
		t.Errorf("the test data lacks a health check (%v) or a sidekick (%v)", sawHealth, sawSidekick)
	}
}

// simServices are services as the simulator answers them (testdata/sim-services.json: a service with a
// sidekick, and one with links, a health check, metadata and ports).
func simServices(t *testing.T) []resources.Service {
	t.Helper()
	data, err := os.ReadFile("testdata/sim-services.json")
	if err != nil {
		t.Fatal(err)
	}
	var list []resources.Service
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	return list
}
