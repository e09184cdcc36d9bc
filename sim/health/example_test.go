package health_test

import (
	"fmt"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim/health"
)

func ExampleServiceHealth() {
	svc := health.Service{Kind: "service", Scale: 2, LaunchConfigs: 1, Instances: []health.Instance{
		{State: "running", HealthState: health.Healthy},
		{State: "running", HealthState: health.Initializing},
	}}
	fmt.Println(health.ServiceHealth(svc))
	fmt.Println(health.StackHealth([]health.Member{{State: "active", HealthState: health.ServiceHealth(svc)}}))
	// Output:
	// initializing
	// initializing
}

func ExampleObserve() {
	chk := health.Check{HealthyThreshold: 2, UnhealthyThreshold: 3, InitializingTimeout: time.Minute}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := health.Start(health.Container{}, true, t0)
	fmt.Println(c.State)
	c = health.Observe(c, chk, false, t0.Add(2*time.Second)) // ignored while initializing
	c = health.Observe(c, chk, true, t0.Add(4*time.Second))
	c = health.Observe(c, chk, true, t0.Add(6*time.Second))
	fmt.Println(c.State, health.TimedOut(c, chk, t0.Add(time.Hour)))
	// Output:
	// initializing
	// healthy false
}
