package sim

import (
	"fmt"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim/health"
)

// serviceHealth aggregates container health into the service healthState (§5.3, sim/health).
func (s *Server) serviceHealth(svc *resource) string {
	in := health.Service{Kind: svc.typ, Scale: int(toInt(svc.f["scale"])), LaunchConfigs: len(launchConfigs(svc)),
		Global: isGlobal(svc)}
	if in.LaunchConfigs == 0 {
		in.Selector = true
	}
	if sp := asMap(svc.f["scalePolicy"]); sp != nil {
		m := int(toInt(sp["min"]))
		in.ScalePolicyMin = &m
	}
	for _, c := range s.managedContainers(svc) {
		in.Instances = append(in.Instances, health.Instance{State: c.state(), HealthState: str(c.f["healthState"]),
			Labels: healthLabels(c), StartCount: int(toInt(c.f["startCount"])),
			HostInactive: c.ctr.host == nil || c.ctr.host.state() != "active"})
	}
	return health.ServiceHealth(in)
}

// healthLabels are the container labels sim/health reads: start_once only (a map of every label, its
// values formatted, for each container of each rendered service cost more than the rest of the health).
func healthLabels(c *resource) map[string]string {
	v, ok := asMap(c.f["labels"])[health.LabelStartOnce]
	if !ok {
		return nil
	}
	return map[string]string{health.LabelStartOnce: fmt.Sprint(v)}
}

// stackHealth aggregates the stack's services.
func (s *Server) stackHealth(stack *resource) string {
	var members []health.Member
	for _, svc := range s.stackServices(stack) {
		members = append(members, health.Member{State: svc.state(), HealthState: s.serviceHealth(svc)})
	}
	return health.StackHealth(members)
}

// projectHealth aggregates the stacks.
func (s *Server) projectHealth() string {
	var members []health.Member
	for _, st := range s.st.all("stack") {
		if st.state() != "removed" {
			members = append(members, health.Member{State: st.state(), HealthState: s.stackHealth(st)})
		}
	}
	return health.EnvironmentHealth(members)
}

func checkOf(hc map[string]any) health.Check {
	return health.Check{HealthyThreshold: int(toInt(hc["healthyThreshold"])),
		UnhealthyThreshold:    int(toInt(hc["unhealthyThreshold"])),
		InitializingTimeout:   msDuration(hc["initializingTimeout"], 0),
		ReinitializingTimeout: msDuration(hc["reinitializingTimeout"], 0),
		Strategy:              str(hc["strategy"]),
		Quorum:                int(toInt(asMap(hc["recreateOnQuorumStrategyConfig"])["quorum"]))}
}

// healthWalk runs the container's health checks every interval (sim/health's walk): passes unless
// the image never becomes healthy or has been healthy for UnhealthyAfter. It ends when the state can
// no longer change by itself.
func (s *Server) healthWalk(p *proc, hc map[string]any) {
	c := p.r
	b := c.ctr.behavior
	chk := checkOf(hc)
	interval := msDuration(hc["interval"], 2000)
	hs := health.Start(health.Container{State: str(c.f["healthState"])}, true, s.clk.Now())
	s.setHealth(c, nilIfEmpty(hs.State))
	var healthySince time.Time
	for {
		if b.NeverHealthy && (chk.Strategy == health.StrategyNone || chk.InitializingTimeout+chk.ReinitializingTimeout == 0) {
			p.block()
			return
		}
		if !p.sleep(interval) {
			return
		}
		now := s.clk.Now()
		passed := !b.NeverHealthy && !(b.UnhealthyAfter > 0 && !healthySince.IsZero() && now.Sub(healthySince) >= b.UnhealthyAfter.D())
		hs = health.Observe(hs, chk, passed, now)
		if hs.State == health.Healthy && healthySince.IsZero() {
			healthySince = now
		}
		if str(c.f["healthState"]) != hs.State {
			s.setHealth(c, nilIfEmpty(hs.State))
		}
		switch {
		case health.TimedOut(hs, chk, now):
			s.removeContainerNow(c)
			s.containerChanged(c)
			return
		case hs.State == health.Unhealthy:
			s.containerChanged(c)
			return
		case hs.State == health.Healthy && b.UnhealthyAfter == 0:
			return
		}
	}
}

// shouldRecreate: an unhealthy running container whose strategy replaces it.
func (s *Server) shouldRecreate(svc, c *resource) bool {
	hc := asMap(c.f["healthCheck"])
	if hc == nil || c.state() != "running" {
		return false
	}
	healthy := 0
	for _, o := range s.managedContainers(svc) {
		if o.f["healthState"] == health.Healthy {
			healthy++
		}
	}
	return health.ShouldRecreate(health.Container{State: str(c.f["healthState"])}, checkOf(hc), healthy)
}
