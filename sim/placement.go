package sim

import (
	"errors"

	"github.com/rancher-compose-ng/rancher-compose/sim/scheduler"
)

// schedHosts converts the hosts for the scheduler package.
func (s *Server) schedHosts() []scheduler.Host {
	var out []scheduler.Host
	for _, h := range s.st.all("host") {
		out = append(out, scheduler.Host{ID: h.id(), Name: h.str("name"), State: h.state(),
			Labels: stringMap(h.f["labels"]), Memory: h.num64("memory"), MilliCPU: h.num64("milliCpu")})
	}
	return out
}

// schedContainers lists the non-removed containers for the scheduler.
func (s *Server) schedContainers(excludeUnit string) []scheduler.Container {
	all := s.st.all("instance")
	out := make([]scheduler.Container, 0, len(all))
	for _, c := range all {
		st := c.state()
		if st == "removed" || c.ctr == nil || c.ctr.placeErr != "" || (excludeUnit != "" && c.ctr.unit == excludeUnit) {
			continue
		}
		if c.ctr.sched == nil {
			sc := scheduler.Container{ID: c.id(), UUID: c.str("uuid"), Name: c.str("name"),
				Labels: stringMap(c.f["labels"]), Ports: stringList(c.f["ports"]),
				MemoryReservation: c.num64("memoryReservation"), MilliCPUReservation: c.num64("milliCpuReservation"),
				DeploymentUnitUUID: c.ctr.unit}
			if c.ctr.host != nil {
				sc.HostID = c.ctr.host.id()
			}
			if svc := c.ctr.service; svc != nil {
				sc.ServiceName = svc.str("name")
			}
			c.ctr.sched = &sc
		}
		sc := *c.ctr.sched
		sc.Stopped = st == "stopped" || st == "error"
		sc.Removed = st == "removing" || st == "purged" || st == "purging"
		out = append(out, sc)
	}
	return out
}

func (s *Server) schedRequest(svc *resource, lcs []namedLC) scheduler.Request {
	req := scheduler.Request{ServiceName: svc.str("name")}
	if st := s.st.get("stack", svc.str("stackId")); st != nil {
		req.StackName = st.str("name")
	}
	for _, nl := range lcs {
		req.LaunchConfigs = append(req.LaunchConfigs, scheduler.LaunchConfig{Name: nl.name,
			Labels: stringMap(nl.lc["labels"]), Environment: stringMap(nl.lc["environment"]),
			Ports: stringList(nl.lc["ports"]), MemoryReservation: toInt(nl.lc["memoryReservation"]),
			MilliCPUReservation: toInt(nl.lc["milliCpuReservation"])})
		if id := str(nl.lc["requestedHostId"]); id != "" && nl.name == "" {
			req.RequestedHostID = id
		}
	}
	if id := str(asMap(asMap(svc.f["launchConfig"])["labels"])[scheduler.LabelRequestedHostID]); id != "" {
		req.RequestedHostID = id
	}
	return req
}

// placeUnit picks a host for a new unit, or returns the "Allocation failed: …" message.
func (s *Server) placeUnit(svc *resource, lcs []namedLC) (*resource, string) {
	hostID, err := scheduler.Place(s.schedRequest(svc, lcs), s.schedHosts(), s.schedContainers(""))
	if err != nil {
		var ae *scheduler.AllocationError
		if errors.As(err, &ae) {
			return nil, ae.Message
		}
		return nil, scheduler.MsgFailedToFindPlacement
	}
	return s.st.get("host", hostID), ""
}

// checkHostFits checks that launch configs added to an existing unit fit on its host (ports).
func (s *Server) checkHostFits(svc *resource, host *resource, unitUUID string, lcs []namedLC) string {
	if host == nil {
		return scheduler.MsgNoHealthyHosts
	}
	req := s.schedRequest(svc, lcs)
	req.RequestedHostID = ""
	var only []scheduler.Host
	for _, h := range s.schedHosts() {
		if h.ID == host.id() {
			only = append(only, h)
		}
	}
	if _, err := scheduler.Place(req, only, s.schedContainers(unitUUID)); err != nil {
		var ae *scheduler.AllocationError
		if errors.As(err, &ae) {
			return ae.Message
		}
		return scheduler.MsgFailedToFindPlacement
	}
	return ""
}

// globalHosts lists the hosts a global service must run on.
func (s *Server) globalHosts(svc *resource) []*resource {
	var out []*resource
	for _, id := range scheduler.GlobalHosts(s.schedRequest(svc, launchConfigs(svc)), s.schedHosts()) {
		if h := s.st.get("host", id); h != nil {
			out = append(out, h)
		}
	}
	return out
}
