package simtest

import (
	"context"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// BenchmarkUpgradeWorkerScale10 upgrades dockercoins' worker (scale 10, batch 2, interval 1 s) on a simulator
// running on the real clock with 200 ms state steps, and reports the wall time of `up -d --upgrade` against
// the server-side minimum that batch and interval impose: 5 batches, so 4 intervals between them.
func BenchmarkUpgradeWorkerScale10(b *testing.B) { benchmarkWorker(b, false) }

// BenchmarkUpgradeWorkerScale10DefaultPolling is the same with the production poll backoff (100 ms → 2 s).
func BenchmarkUpgradeWorkerScale10DefaultPolling(b *testing.B) { benchmarkWorker(b, true) }

func benchmarkWorker(b *testing.B, defaultPolling bool) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		e := start(b, sim.Options{Step: 200 * time.Millisecond}, true)
		e.defaultPolling = defaultPolling
		deps := []*upgrade.Desired{e.service("redis", "redis", 1, false), e.service("rng", "dockercoins/rng:v0.1", 1, false), e.service("hasher", "dockercoins/hasher:v0.1", 1, false)}
		worker := func(tag string) *upgrade.Desired {
			w := e.service("worker", "dockercoins/worker:"+tag, 10, false)
			w.Links, w.DependsOn = []upgrade.Link{{Target: "redis"}, {Target: "rng"}, {Target: "hasher"}}, []string{"redis", "rng", "hasher"}
			w.Strategy = upgrade.Strategy{BatchSize: 2, IntervalMillis: 1000}
			return w
		}
		e.mustUp(append(deps, worker("v0.1")), upgrade.Options{})
		b.StartTimer()
		began := time.Now()
		_, _, err := e.up(context.Background(), append(deps, worker("v0.2")), upgrade.Options{Upgrade: true}, 2*time.Minute)
		wall := time.Since(began)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		first, last := time.Time{}, time.Time{}
		for _, c := range e.sim.Containers(e.svc("worker").ID) {
			if c.Image != "docker:dockercoins/worker:v0.2" {
				continue
			}
			if at := c.History[0].At; first.IsZero() || at.Before(first) {
				first = at
			}
			if at := firstAt(c, "running"); at.After(last) {
				last = at
			}
		}
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(last.Sub(first).Seconds(), "server-rollout-s")
		b.ReportMetric(4, "interval-minimum-s")
	}
}
