package sim

import "sort"

// svcData is the simulator's bookkeeping for a service.
type svcData struct {
	containers []*resource // every container ever created for the service, in creation order
	nextIndex  int64       // last createIndex handed to a container
	desired    int64       // scalePolicy's current target (0: not yet set)
	poolPorts  []int       // public ports allocated from the environment's range (ports.go)
}

// unit is one deployment unit: a primary container and its sidekicks, co-located.
type unit struct {
	uuid       string
	index      int
	host       *resource
	containers []*resource
}

func (s *Server) units(svc *resource) []*unit {
	byUUID := map[string]*unit{}
	var out []*unit
	for _, c := range s.managedContainers(svc) {
		u := byUUID[c.ctr.unit]
		if u == nil {
			u = &unit{uuid: c.ctr.unit, index: c.ctr.unitIndex, host: c.ctr.host}
			byUUID[c.ctr.unit] = u
			out = append(out, u)
		}
		u.containers = append(u.containers, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].index < out[j].index })
	return out
}

func (u *unit) maxCreateIndex() int64 {
	var m int64
	for _, c := range u.containers {
		if n := toInt(c.f["createIndex"]); n > m {
			m = n
		}
	}
	return m
}

func isGlobal(svc *resource) bool {
	return str(asMap(asMap(svc.f["launchConfig"])["labels"])["io.rancher.scheduler.global"]) == "true"
}

func isStartOnce(c *resource) bool {
	return str(asMap(c.f["labels"])["io.rancher.container.start_once"]) == "true"
}

// desiredScale is scale, or scalePolicy's current target.
func desiredScale(svc *resource) int64 {
	if sp := asMap(svc.f["scalePolicy"]); sp != nil {
		if svc.svc.desired == 0 {
			svc.svc.desired = toInt(sp["min"])
		}
		return svc.svc.desired
	}
	return toInt(svc.f["scale"])
}

// activeHosts lists hosts that can run containers.
func (s *Server) activeHosts() []*resource {
	var out []*resource
	for _, h := range s.st.all("host") {
		if h.state() == "active" {
			out = append(out, h)
		}
	}
	return out
}

// reconcile makes the service's containers match its definition (§5.1 "activate / update"):
// drops failed and unhealthy units, completes partial units, starts stopped containers, and adds or
// removes units to reach the desired scale (one per eligible host for global services).
// It reports false when there is no active host (Cattle then skips deployment). Caller holds s.mu.
func (s *Server) reconcile(svc *resource) bool {
	lcs := launchConfigs(svc)
	if len(lcs) == 0 {
		return true
	}
	if len(s.activeHosts()) == 0 {
		return false
	}
	units := s.units(svc)
	var kept []*unit
	for _, u := range units {
		if s.unitBroken(svc, u) {
			for _, c := range u.containers {
				s.setManaged(c, false)
				s.removeContainer(c)
			}
			continue
		}
		kept = append(kept, u)
	}
	units = kept
	for _, u := range units {
		s.completeUnit(svc, u, lcs)
		for _, c := range u.containers {
			if c.state() == "stopped" && !(isStartOnce(c) && toInt(c.f["startCount"]) > 0) {
				s.startContainer(c)
			}
		}
	}
	if isGlobal(svc) {
		s.reconcileGlobal(svc, units, lcs)
		return true
	}
	want := int(desiredScale(svc))
	if len(units) > want {
		sort.Slice(units, func(i, j int) bool { return units[i].maxCreateIndex() > units[j].maxCreateIndex() })
		for _, u := range units[:len(units)-want] {
			for _, c := range u.containers {
				s.setManaged(c, false)
				s.removeContainer(c)
			}
		}
		return true
	}
	for i := len(units); i < want; i++ {
		s.addUnit(svc, lcs, nil)
	}
	return true
}

// unitBroken: a container in error, or unhealthy with a recreate strategy.
func (s *Server) unitBroken(svc *resource, u *unit) bool {
	for _, c := range u.containers {
		switch c.state() {
		case "error", "erroring":
			return true
		}
		if s.shouldRecreate(svc, c) {
			return true
		}
	}
	return false
}

// completeUnit creates the containers a unit lacks (e.g. after an upgrade marked old ones).
func (s *Server) completeUnit(svc *resource, u *unit, lcs []namedLC) {
	for _, nl := range lcs {
		found := false
		for _, c := range u.containers {
			if c.ctr.lcName == nl.name {
				found = true
			}
		}
		if !found {
			placeErr := s.checkHostFits(svc, u.host, u.uuid, []namedLC{nl})
			c := s.newContainer(svc, nl, u.uuid, u.index, u.host, placeErr)
			u.containers = append(u.containers, c)
			s.startContainer(c)
		}
	}
}

// addUnit places and starts a new deployment unit; host pins it (global services).
func (s *Server) addUnit(svc *resource, lcs []namedLC, host *resource) {
	placeErr := ""
	if host == nil {
		host, placeErr = s.placeUnit(svc, lcs)
	}
	uuid := newUUID()
	index := s.freeIndex(svc)
	for _, nl := range lcs {
		c := s.newContainer(svc, nl, uuid, index, host, placeErr)
		s.startContainer(c)
	}
}

// freeIndex is the lowest unit number not used by a managed unit.
func (s *Server) freeIndex(svc *resource) int {
	used := map[int]bool{}
	for _, c := range s.managedContainers(svc) {
		used[c.ctr.unitIndex] = true
	}
	for i := 1; ; i++ {
		if !used[i] {
			return i
		}
	}
}

func (s *Server) reconcileGlobal(svc *resource, units []*unit, lcs []namedLC) {
	eligible := map[*resource]bool{}
	for _, h := range s.globalHosts(svc) {
		eligible[h] = true
	}
	covered := map[*resource]bool{}
	for _, u := range units {
		if !eligible[u.host] || covered[u.host] {
			for _, c := range u.containers {
				s.setManaged(c, false)
				s.removeContainer(c)
			}
			continue
		}
		covered[u.host] = true
	}
	for _, h := range s.activeHosts() {
		if eligible[h] && !covered[h] {
			s.addUnit(svc, lcs, h)
		}
	}
}

// settled: every managed container has finished starting (running, failed, or a finished start-once/exit).
func (s *Server) settled(svc *resource) bool {
	for _, c := range s.managedContainers(svc) {
		switch c.state() {
		case "running", "error":
		case "stopped":
			if !c.ctr.exited && !(isStartOnce(c) && toInt(c.f["startCount"]) > 0) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// failedContainer returns a managed container in error, if any.
func (s *Server) failedContainer(svc *resource) *resource {
	for _, c := range s.managedContainers(svc) {
		if c.state() == "error" {
			return c
		}
	}
	return nil
}

// allHealthy: every managed running container of the current version passed its health check.
func (s *Server) allHealthy(svc *resource) bool {
	for _, c := range s.managedContainers(svc) {
		if c.state() != "running" {
			continue
		}
		switch c.f["healthState"] {
		case nil, "healthy", "updating-healthy":
		default:
			return false
		}
	}
	return true
}
