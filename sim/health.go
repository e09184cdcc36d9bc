package sim

// serviceHealth aggregates container health into the service healthState (§5.3).
func (s *Server) serviceHealth(svc *resource) string {
	if svc.typ != "service" && svc.typ != "loadBalancerService" {
		return "healthy"
	}
	lcs := launchConfigs(svc)
	if len(lcs) == 0 {
		return "healthy"
	}
	managed := s.managedContainers(svc)
	var expected int64
	if sp := asMap(svc.f["scalePolicy"]); sp != nil {
		expected = toInt(sp["min"]) * int64(len(lcs))
	} else {
		expected = toInt(svc.f["scale"]) * int64(len(lcs))
	}
	global := isGlobal(svc)
	var count, healthy, init, startedOnce int64
	for _, c := range managed {
		if global && (c.ctr.host == nil || c.ctr.host.state() != "active") {
			continue
		}
		count++
		switch {
		case c.state() == "running":
			switch c.f["healthState"] {
			case nil, "healthy", "updating-healthy":
				healthy++
			case "initializing", "reinitializing":
				init++
			}
		case isStartOnce(c) && toInt(c.f["startCount"]) >= 1 && (c.state() == "stopped" || c.state() == "stopping"):
			startedOnce++
		}
	}
	if global {
		expected = count
	}
	if startedOnce > 0 && startedOnce >= expected {
		return "started-once"
	}
	healthy += startedOnce
	switch {
	case healthy >= expected && (!global || count > 0):
		return "healthy"
	case init > 0:
		return "initializing"
	case healthy > 0:
		return "degraded"
	}
	return "unhealthy"
}

// activeStates are the service states in which a service counts towards its stack's health.
var activeStates = setOf("active", "activating", "updating-active", "upgrading", "upgraded",
	"canceling-upgrade", "canceled-upgrade", "rolling-back", "finishing-upgrade", "restarting")

// aggregate combines member healthStates the way stacks and environments do.
func aggregate(states []string) string {
	if len(states) == 0 {
		return "healthy"
	}
	all := map[string]int{}
	for _, h := range states {
		all[h]++
	}
	switch {
	case all["started-once"] == len(states):
		return "started-once"
	case all["healthy"]+all["started-once"] == len(states):
		return "healthy"
	case all["initializing"] > 0:
		return "initializing"
	case all["healthy"]+all["started-once"]+all["degraded"] > 0:
		return "degraded"
	}
	return "unhealthy"
}

// stackHealth aggregates the stack's services that are in an active state.
func (s *Server) stackHealth(stack *resource) string {
	var states []string
	for _, svc := range s.stackServices(stack) {
		if activeStates[svc.state()] {
			states = append(states, s.serviceHealth(svc))
		}
	}
	return aggregate(states)
}

func (s *Server) projectHealth() string {
	var states []string
	for _, st := range s.st.all("stack") {
		if st.state() != "removed" {
			states = append(states, s.stackHealth(st))
		}
	}
	return aggregate(states)
}
