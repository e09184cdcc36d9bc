package sim

import (
	"sync"
	"testing"
	"time"
)

// TestConcurrentPollingDuringChanges polls answers built from stored maps while processes change
// them (pull task status, outputs, upgrades); run with -race.
func TestConcurrentPollingDuringChanges(t *testing.T) {
	s, c := startSim(t, Options{Step: time.Millisecond, StepSet: true, Hosts: 3})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 3, map[string]any{"imageUuid": "docker:nginx"})
	waitState(t, c, svc, "inactive")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	// readers share the simulation's lock (readOnly): these also race each other
	paths := []string{"/v2-beta/services", "/v2-beta/pulltasks", "/v2-beta/stacks", "/v2-beta/containers", "/v1/environments",
		"/v2-beta", "/v2-beta/hosts", "/v2-beta/services/" + strOf(svc["id"]), "/v2-beta/services/" + strOf(svc["id"]) + "/instances",
		"/v2-beta/stacks/" + strOf(st["id"]) + "/services", "/v2-beta/stacks/" + strOf(st["id"]) + "/composeconfig",
		"/v2-beta/serviceconsumemaps", "/v2-beta/settings", "/v2-beta/ports", "/v2-beta/schemas"}
	for _, path := range paths {
		wg.Add(1)
		go func(path string) {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
					c.do("GET", path, nil)
				}
			}
		}(path)
	}
	c.action(c.reload(svc), "activate", nil, 202)
	waitState(t, c, svc, "active")
	for i := 0; i < 5; i++ {
		c.must(201, "POST", "/v2-beta/pulltasks", map[string]any{"image": "nginx"})
		c.action(c.reload(st), "addoutputs", map[string]any{"outputs": map[string]any{"k": i}}, 200)
	}
	c.action(c.reload(svc), "upgrade", map[string]any{"inServiceStrategy": map[string]any{"intervalMillis": 100,
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}}, 202)
	waitState(t, c, svc, "upgraded")
	close(stop)
	wg.Wait()
	if s.Stats().Requests < 20 {
		t.Errorf("few requests: %+v", s.Stats())
	}
}
