package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

func simOptions(c config) sim.Options {
	return sim.Options{Hosts: c.hosts, HostLabels: map[string]string{"role": "compute"}, Step: c.m.S, StepSet: true,
		Faults: sim.Faults{Latency: sim.Duration(c.m.L)}}
}

// upScenario deploys a project with `up -d` on a fresh simulator and prints requests, wall time and the
// minimum the dependency graph allows.
func upScenario(c config, title, file, project string, vars map[string]string, orig *traceCount) error {
	fmt.Printf("\n== %s\n", title)
	g, err := readGraph(file)
	if err != nil {
		return err
	}
	rc, err := newCLI(simOptions(c))
	if err != nil {
		return err
	}
	defer rc.close()
	start := time.Now()
	wall, _, err := rc.run(filepath.Dir(file), vars, "-p", project, "-f", file, "up", "-d")
	if err != nil {
		return fmt.Errorf("%s: %w", title, err)
	}
	if err := allActive(rc.sim, project, len(g)); err != nil {
		return fmt.Errorf("%s: %w", title, err)
	}
	reqs := rc.log.take()
	st := rc.sim.Stats()
	n := len(g)
	times := timesOf(rc.sim, project)
	chain := g.criticalChain(func(a, b string) bool { return times[a].running.After(times[b].running) })
	fmt.Printf("services: %d, critical chain D=%d (of the longest, the one that finished last): %s\n", n, len(chain), strings.Join(chain, " → "))
	fmt.Printf("requests: %d (%s; %d mutating) = %.1f per service\n", st.Requests, methods(st), st.Mutations, float64(st.Requests)/float64(n))
	fmt.Printf("  by kind: %s\n", breakdown(reqs))
	if orig != nil {
		verdict := "fewer than"
		if float64(st.Requests)/float64(n) >= orig.perService() {
			verdict = "NOT fewer than"
		}
		fmt.Printf("  original: %.1f per service (%d for %d services) → ours is %s the original's\n", orig.perService(), orig.Requests, orig.services(), verdict)
	} else {
		fmt.Printf("  original: n/a (no trace)\n")
	}
	min, tight := c.m.minimum(len(chain)), c.m.tightMinimum(len(chain))
	fmt.Printf("wall: %v\n", ms(wall))
	fmt.Printf("minimum: %v; %s\n", ms(min), c.m.explain(len(chain)))
	target := met(ratio(wall, tight) <= 1.2)
	if c.short {
		target = "not judged in -short, whose 20 ms steps are shorter than the poller's tick"
	}
	fmt.Printf("ratio wall/tight minimum: %.2f (target ≤ 1.20: %s); wall/minimum by the simpler formula: %.2f\n", ratio(wall, tight), target, ratio(wall, min))
	fmt.Printf("where the time went: %s\n", phases(reqs, start))
	fmt.Printf("  critical chain: %s\n", chainReport(chain, g, times, start, start.Add(wall)))
	fmt.Printf("  stretches: %s\n", overhead(c.m, reqs, chain, g, times, start, start.Add(wall)))
	dump(reqs, start, nil)
	return nil
}

// upgradeScenario deploys dockercoins with WORKERS=workers, then upgrades the worker to a new tag with
// --batch-size and --interval, and compares the upgrade's wall time with the server-side minimum.
func upgradeScenario(c config, file string) error {
	title := fmt.Sprintf("(c) dockercoins worker upgrade: WORKERS=%d, TAG v0.1 → v0.2, up -d --upgrade --batch-size %d --interval %d worker",
		c.workers, c.batch, c.interval.Milliseconds())
	fmt.Printf("\n== %s\n", title)
	rc, err := newCLI(simOptions(c))
	if err != nil {
		return err
	}
	defer rc.close()
	dir := filepath.Dir(file)
	workers := fmt.Sprint(c.workers)
	if _, _, err := rc.run(dir, map[string]string{"WORKERS": workers}, "-p", "dockercoins", "-f", file, "up", "-d"); err != nil {
		return fmt.Errorf("%s: deploying v0.1: %w", title, err)
	}
	rc.log.take()
	before := rc.sim.Stats()
	start := time.Now()
	wall, out, err := rc.run(dir, map[string]string{"WORKERS": workers, "TAG": "v0.2"}, "-p", "dockercoins", "-f", file,
		"up", "-d", "--upgrade", "--batch-size", fmt.Sprint(c.batch), "--interval", fmt.Sprint(c.interval.Milliseconds()), "--format", "json", "worker")
	if err != nil {
		return fmt.Errorf("%s: %w", title, err)
	}
	reqs := rc.log.take()
	after := rc.sim.Stats()
	worker, err := upgradedWorker(rc.sim, c.workers)
	if err != nil {
		return fmt.Errorf("%s: %w", title, err)
	}
	min := c.m.upgradeMinimum(c.workers, c.batch, c.interval)
	fmt.Printf("worker: %s, image %s, scale %d\n", worker.State, worker.Image, worker.Scale)
	fmt.Printf("requests: %d (%s)\n", after.Requests-before.Requests, breakdown(reqs))
	fmt.Printf("wall: %v (the engine's own duration for worker: %s)\n", ms(wall), engineDuration(out, "worker"))
	fmt.Printf("server-side minimum: %v = %s\n", ms(min), c.m.explainUpgrade(c.workers, c.batch, c.interval))
	fmt.Printf("ratio wall/minimum: %.2f\n", ratio(wall, min))
	fmt.Printf("where the time went: %s\n", upgradeTimeline(reqs, rc.sim, worker.ID, start, start.Add(wall)))
	dump(reqs, start, nil)
	return nil
}

// traceProjectScenario deploys the very project the original's trace deployed, on a simulator whose
// transitions take no time (as the trace's fake did), for a like-for-like request count.
func traceProjectScenario(c config, orig *traceCount) error {
	fmt.Printf("\n== (d) like for like: the trace's own project, up -d, simulator with 0 latency and 0-length steps (as the trace's fake)\n")
	file := filepath.Join(c.trace, "project", "docker-compose.yml")
	g, err := readGraph(file)
	if err != nil {
		fmt.Printf("n/a (%v)\n", err)
		return nil
	}
	rc, err := newCLI(sim.Options{Hosts: 3, HostLabels: map[string]string{"role": "frontend"}, StepSet: true})
	if err != nil {
		return err
	}
	defer rc.close()
	if _, _, err := rc.run(filepath.Dir(file), nil, "-p", "demo", "-f", file, "up", "-d"); err != nil {
		return fmt.Errorf("trace project: %w", err)
	}
	if err := allActive(rc.sim, "demo", len(g)); err != nil {
		return fmt.Errorf("trace project: %w", err)
	}
	reqs := rc.log.take()
	fmt.Printf("ours: %d requests for %d services = %.1f per service (%s)\n", len(reqs), len(g), float64(len(reqs))/float64(len(g)), breakdown(reqs))
	if orig != nil {
		fmt.Printf("original: %s\n", orig)
	}
	return nil
}

// allActive checks that the stack has want services, all active.
func allActive(s *sim.Server, stack string, want int) error {
	svcs := s.Services(stack)
	var bad []string
	for _, svc := range svcs {
		if svc.State != "active" {
			bad = append(bad, svc.Name+" "+svc.State)
		}
	}
	if len(svcs) != want || len(bad) > 0 {
		return fmt.Errorf("stack %s: %d services (want %d), not active: %v", stack, len(svcs), want, bad)
	}
	return nil
}

func upgradedWorker(s *sim.Server, scale int) (sim.ServiceInfo, error) {
	for _, svc := range s.Services("dockercoins") {
		if svc.Name != "worker" {
			continue
		}
		if svc.State != "upgraded" || !strings.HasSuffix(svc.Image, ":v0.2") || svc.Scale != int64(scale) {
			return svc, fmt.Errorf("worker after the upgrade: state %s, image %s, scale %d (want upgraded, :v0.2, %d)", svc.State, svc.Image, svc.Scale, scale)
		}
		return svc, nil
	}
	return sim.ServiceInfo{}, fmt.Errorf("no worker service in dockercoins")
}

// upgradeTimeline splits the upgrade's wall time at the upgrade POST and at the last new container running.
func upgradeTimeline(reqs []request, s *sim.Server, workerID string, start, end time.Time) string {
	var posted time.Time
	for _, r := range reqs {
		if kindOf(r) == "upgrade" {
			posted = r.at
			break
		}
	}
	var lastRunning time.Time
	for _, ct := range s.Containers(workerID) {
		if !ct.Managed {
			continue
		}
		for _, h := range ct.History {
			if h.State == "running" && h.At.After(lastRunning) {
				lastRunning = h.At
			}
		}
	}
	if posted.IsZero() {
		return "no upgrade request was sent"
	}
	return fmt.Sprintf("before the upgrade POST %v (discovery, transform, lock, plan); upgrade POST answered +%v; "+
		"last new container running +%v; client returned +%v (%v after the last container, of which the final interval is server-side)",
		ms(posted.Sub(start)), ms(posted.Sub(start)), ms(lastRunning.Sub(start)), ms(end.Sub(start)), ms(end.Sub(lastRunning)))
}

// engineDuration reads the service's durationMs from a --format json result.
func engineDuration(out, name string) string {
	var res struct {
		Services []struct {
			Name       string `json:"name"`
			DurationMs int64  `json:"durationMs"`
		} `json:"services"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return "n/a"
	}
	for _, s := range res.Services {
		if s.Name == name {
			return fmt.Sprint(time.Duration(s.DurationMs) * time.Millisecond)
		}
	}
	return "n/a"
}

func methods(st sim.Stats) string {
	var parts []string
	for _, m := range []string{"GET", "POST", "PUT", "DELETE"} {
		if st.ByMethod[m] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", m, st.ByMethod[m]))
		}
	}
	return strings.Join(parts, ", ")
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "MISSED"
}
