package upgrade

import (
	"context"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

func TestToServiceRefusesAMissingSourceAndGlobalServices(t *testing.T) {
	from, to := desired("from", "x:1"), desired("to", "x:2")
	api := newFakeAPI()
	err := UpgradeToService(context.Background(), api, progress.Emitter{}, observedOf(), from, to, ToServiceOptions{})
	if err == nil || err.Error() != "Failed to find service from" || len(api.calls) != 0 {
		t.Errorf("err = %v calls %v", err, api.calls)
	}
	global := live(from, "active")
	global.LaunchConfig = map[string]any{"labels": map[string]any{labelGlobal: "true"}}
	err = UpgradeToService(context.Background(), api, progress.Emitter{}, observedOf(global), from, to, ToServiceOptions{})
	if err == nil || !strings.Contains(err.Error(), "global") || len(api.calls) != 0 {
		t.Errorf("err = %v calls %v", err, api.calls)
	}
}

func TestToServiceCreatesTheTargetAtScaleZeroThenUpgrades(t *testing.T) {
	from, to := desired("from", "x:1"), desired("to", "x:2")
	src := live(from, "active")
	src.Scale = 3
	api := newFakeAPI(src)
	err := UpgradeToService(context.Background(), api, progress.Emitter{}, observedOf(src), from, to, ToServiceOptions{Pull: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := api.callsOf("to"); got != "create scale activate" {
		t.Errorf("to calls = %q", got)
	}
	if api.callsOf("pull") != "x:2" {
		t.Errorf("pull calls = %q", api.callsOf("pull"))
	}
	body := api.bodies["from upgrade"].(map[string]any)["toServiceStrategy"].(map[string]any)
	if body["finalScale"] != int64(3) || body["batchSize"] != int64(2) || body["intervalMillis"] != int64(2000) || body["toServiceId"] != api.idOf("to") {
		t.Errorf("strategy = %v", body)
	}
}
