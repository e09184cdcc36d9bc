package sim

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

// TestLoad200Services activates 200 services of scale 5 on 50 hosts with --step 0 and prints the
// activation wall time and the peak heap. It asserts that everything becomes active, not how fast.
func TestLoad200Services(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped under -short")
	}
	s, c := startSim(t, Options{Hosts: 50, Step: 0, StepSet: true})
	st := c.createStack("load")
	var ids []string
	for i := 0; i < 200; i++ {
		svc := c.createService(st["id"].(string), fmt.Sprintf("svc%03d", i), 5, map[string]any{"imageUuid": "docker:nginx:1.13",
			"labels": map[string]any{"io.rancher.scheduler.affinity:container_label_soft_ne": "io.rancher.stack_service.name=${stack_name}/${service_name}"}})
		ids = append(ids, svc["id"].(string))
	}
	for _, id := range ids {
		waitState(t, c, map[string]any{"id": id, "links": map[string]any{"self": s.URL() + "/v2-beta/services/" + id}}, "inactive")
	}
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var m runtime.MemStats
		for {
			runtime.ReadMemStats(&m)
			if m.HeapAlloc > peak {
				peak = m.HeapAlloc
			}
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	for _, id := range ids {
		c.must(202, "POST", "/v2-beta/services/"+id+"/?action=activate", nil)
	}
	posted := time.Since(start)
	for {
		active := 0
		for _, svc := range s.Services("load") {
			if svc.State == "active" {
				active++
			}
		}
		if active == len(ids) {
			break
		}
		if time.Since(start) > 2*time.Minute {
			t.Fatalf("only %d of %d services active after 2 minutes", active, len(ids))
		}
		time.Sleep(10 * time.Millisecond)
	}
	took := time.Since(start)
	close(stop)
	wg.Wait()
	running := 0
	for _, ci := range s.Snapshot().Containers {
		if ci.State == "running" {
			running++
		}
	}
	if running != 1000 {
		t.Errorf("%d containers running, want 1000", running)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	fmt.Println(fmt.Sprintf("load: 200 services x scale 5 on 50 hosts (--step 0): all active in %s (activate requests sent in %s), peak heap %.1f MiB, Sys %.1f MiB",
		took.Round(time.Millisecond), posted.Round(time.Millisecond), float64(peak)/(1<<20), float64(m.Sys)/(1<<20)))
}
