package sim

import "time"

// registerService: registering → inactive, then activate when startOnCreate.
func (s *Server) registerService(p *proc) {
	if !p.step() {
		return
	}
	p.finish("inactive")
	if p.r.boolean("startOnCreate") {
		if !p.enter("activating") {
			return
		}
		s.activateService(p)
	}
}

// startServiceAction sets the transitioning state at once (so the 202 answer shows it) and runs
// the rest of the process in the background.
func (s *Server) startServiceAction(r *resource, state string, body func(p *proc)) {
	s.startProc(r, func(p *proc) {
		if !p.enter(state) {
			return
		}
		body(p)
	})
	s.setState(r, state)
}

// activateService: wait for consumed services to settle, deploy, → active.
func (s *Server) activateService(p *proc) {
	if !p.waitOn(func() []*resource { return s.consumedKeys(p.r) }, func() bool { return s.consumedSettled(p.r) }) {
		return
	}
	if !s.deploy(p, false) {
		return
	}
	s.finishActive(p)
}

func (s *Server) finishActive(p *proc) {
	p.r.f["currentScale"] = len(s.units(p.r))
	p.finish("active")
	s.grow(p)
}

// deploy reconciles until every managed container has settled, retrying failed placements with
// back-off while the service shows transitioning "error" (§6.4). With healthy it also waits for
// health checks to pass.
func (s *Server) deploy(p *proc, healthy bool) bool {
	backoff := 2 * time.Second
	for {
		if !s.reconcile(p.r) {
			return p.step()
		}
		if !p.waitOwn(func() bool { return s.settled(p.r) }) {
			return false
		}
		failed := s.failedContainer(p.r)
		if failed == nil {
			break
		}
		if !s.scaleDownOnFailure(p.r) {
			p.r.trError = true
			p.r.trMsg = "Failed to allocate instance [container:" + failed.id() + "]"
			s.changedAmong(p.r)
			if !p.sleep(backoff) {
				return false
			}
			if backoff < time.Minute {
				backoff = backoff * 11 / 10
			}
			p.r.trError = false
			p.r.trMsg = ""
		}
		s.changedAmong(p.r)
	}
	if healthy {
		return p.waitOwn(func() bool { return s.allHealthy(p.r) })
	}
	return true
}

// consumedSettled: activation waits until linked services are not transitioning.
func (s *Server) consumedSettled(svc *resource) bool {
	for _, m := range s.consumeMaps(svc, false) {
		t := s.st.get("service", m.str("consumedServiceId"))
		if t != nil && t != svc && transitioningStates[t.state()] && t.state() != "activating" && t.state() != "registering" {
			return false
		}
	}
	return true
}

// consumedKeys are what consumedSettled reads: svc, its consume maps and the services they name (a new
// or removed link is a change naming no resource, which wakes every waiter).
func (s *Server) consumedKeys(svc *resource) []*resource {
	keys := []*resource{svc}
	for _, m := range s.consumeMaps(svc, false) {
		keys = append(keys, m)
		if t := s.st.get("service", m.str("consumedServiceId")); t != nil {
			keys = append(keys, t)
		}
	}
	return keys
}

// updateActive: updating-active → reconcile → active.
func (s *Server) updateActive(p *proc) {
	if !p.enter("updating-active") {
		return
	}
	if !s.deploy(p, false) {
		return
	}
	s.finishActive(p)
}

// updateInactive: fields are saved, no container changes.
func (s *Server) updateInactive(p *proc) {
	if !p.enter("updating-inactive") || !p.step() {
		return
	}
	p.finish("inactive")
}

// deactivateService stops every container (kept) → inactive.
func (s *Server) deactivateService(p *proc) {
	for _, c := range s.serviceContainers(p.r) {
		if c.state() != "stopped" && !c.removedOrRemoving() {
			s.stopContainer(c)
		}
	}
	if !p.waitOwn(func() bool { return s.allStopped(p.r) }) || !p.step() {
		return
	}
	p.finish("inactive")
}

func (s *Server) allStopped(svc *resource) bool {
	for _, c := range s.serviceContainers(svc) {
		switch c.state() {
		case "stopped", "error", "removed", "removing":
		default:
			return false
		}
	}
	return true
}

// removeServiceProc removes every container and link → removed.
func (s *Server) removeServiceProc(p *proc) {
	for _, c := range s.serviceContainers(p.r) {
		s.setManaged(c, false)
		s.removeContainer(c)
	}
	if !p.waitOwn(func() bool { return len(s.serviceContainers(p.r)) == 0 }) || !p.step() {
		return
	}
	s.removeLinksOf(p.r)
	s.markRemoved(p.r)
}

// restartService: per batch of units, stop then start again (same containers, startCount+1),
// waiting for health first and intervalMillis after each batch.
func (s *Server) restartService(p *proc, batch int, interval time.Duration) {
	units := s.units(p.r)
	for i := 0; i < len(units); i += batch {
		if !p.waitOwn(func() bool { return s.allHealthy(p.r) }) {
			return
		}
		end := i + batch
		if end > len(units) {
			end = len(units)
		}
		var cs []*resource
		for _, u := range units[i:end] {
			for _, c := range u.containers {
				if c.state() == "running" {
					s.stopContainer(c)
					cs = append(cs, c)
				}
			}
		}
		if !p.waitOn(ownersOf(cs), func() bool { return allIn(cs, "stopped", "removed", "error") }) {
			return
		}
		for _, c := range cs {
			if c.state() == "stopped" {
				s.startContainer(c)
			}
		}
		if !p.waitOwn(func() bool { return s.settled(p.r) }) || !p.sleep(interval) {
			return
		}
	}
	p.finish("active")
}

func allIn(cs []*resource, states ...string) bool {
	for _, c := range cs {
		if !contains(states, c.state()) {
			return false
		}
	}
	return true
}

// grow steps a scalePolicy service from min towards max while placements succeed.
func (s *Server) grow(p *proc) {
	sp := asMap(p.r.f["scalePolicy"])
	if sp == nil {
		return
	}
	inc := toInt(sp["increment"])
	if inc <= 0 {
		inc = 1
	}
	max := toInt(sp["max"])
	for p.r.svc.desired < max && p.r.state() == "active" {
		p.r.svc.desired += inc
		if p.r.svc.desired > max {
			p.r.svc.desired = max
		}
		s.reconcile(p.r)
		if !p.waitOwn(func() bool { return s.settled(p.r) }) {
			return
		}
		if s.failedContainer(p.r) != nil {
			p.r.svc.desired -= inc
			s.reconcile(p.r)
			return
		}
		p.r.f["currentScale"] = len(s.units(p.r))
		s.changedAmong(p.r)
	}
}

// scaleDownOnFailure: with a scalePolicy, a failed placement lowers the target instead of retrying.
func (s *Server) scaleDownOnFailure(svc *resource) bool {
	sp := asMap(svc.f["scalePolicy"])
	if sp == nil || svc.svc.desired <= toInt(sp["min"]) {
		return false
	}
	svc.svc.desired--
	return true
}
