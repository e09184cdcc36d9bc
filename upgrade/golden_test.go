package upgrade

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden plans in testdata/")

// scenario is a small stack in several states, planned with several flag sets.
func scenario() ([]*Desired, *Observed) {
	redis := desired("redis", "redis:3")
	rng := desired("rng", "dockercoins/rng:v0.2")
	hasher := desired("hasher", "dockercoins/hasher:v0.2")
	hasher.Strategy = Strategy{StartFirst: true}
	worker := desired("worker", "dockercoins/worker:v0.2")
	worker.Scale = 10
	worker.Links = []Link{{Target: "redis"}, {Target: "rng"}, {Target: "hasher", Alias: "hash"}, {Target: "monitoring/statsd", External: true}}
	worker.DependsOn = []string{"redis", "rng", "hasher"}
	webui := desired("webui", "dockercoins/webui:v0.2")
	webui.Links = []Link{{Target: "redis"}}
	webui.DependsOn = []string{"redis"}
	webui.LaunchConfig["ports"] = []any{"8000:80/tcp"}
	lb := desired("lb", "rancher/lb-service-haproxy:v0.7")
	lb.Kind, lb.ManagesLinks, lb.DependsOn = KindLoadBalancer, false, []string{"webui"}

	liveRedis := live(redis, "active")
	liveRng := live(desired("rng", "dockercoins/rng:v0.1"), "active")
	liveHasher := live(desired("hasher", "dockercoins/hasher:v0.1"), "upgraded")
	oldWorker := desired("worker", "dockercoins/worker:v0.1")
	oldWorker.LaunchConfig["environment"] = map[string]any{"DEBUG": "1"}
	liveWorker := live(oldWorker, "active")
	liveWorker.Scale = 4
	liveWorker.LinkedServices = map[string]any{"redis": "1s-redis"}
	liveWebui := live(webui, "inactive")
	liveWebui.LinkedServices = map[string]any{"redis": "1s-redis"}
	liveWebui.Metadata[HashKey] = "svc-webui-old"
	obs := observedOf(liveRedis, liveRng, liveHasher, liveWorker, liveWebui)
	return []*Desired{redis, rng, hasher, worker, webui, lb}, obs
}

func TestGoldenPlans(t *testing.T) {
	cases := map[string]Options{
		"up":                       {},
		"up-upgrade":               {Upgrade: true},
		"up-upgrade-pull-confirm":  {Upgrade: true, Pull: true, ConfirmUpgrade: true, BatchSize: 1, BatchSizeSet: true},
		"up-upgrade-atomic-scale":  {Upgrade: true, Atomic: true, ApplyScale: true, WaitHealthy: true},
		"up-force-upgrade-service": {ForceUpgrade: true, Services: []string{"redis"}},
		"up-rollback":              {Rollback: true},
		"up-confirm":               {ConfirmUpgrade: true},
	}
	for name, opts := range cases {
		t.Run(name, func(t *testing.T) {
			desired, obs := scenario()
			plan := Reconcile(desired, obs, opts)
			js, err := plan.JSON()
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, name+".txt", []byte(plan.String()))
			checkGolden(t, name+".json", append(js, '\n'))
		})
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./upgrade -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s differs from the golden (go test ./upgrade -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
