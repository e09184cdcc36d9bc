package sim

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"

	"github.com/rancher-compose-ng/rancher-compose/sim/scheduler"
)

// schedHosts converts the hosts for the scheduler package, which only reads them. The conversion is
// kept for the renderGen it was made at: every change of a host moves renderGen (touch).
func (s *Server) schedHosts() []scheduler.Host {
	x := &s.sched
	hosts := s.st.all("host")
	if x.hostsOf == s.st && x.hostsGen == s.renderGen && len(x.hosts) == len(hosts) {
		return x.hosts
	}
	var out []scheduler.Host
	for _, h := range hosts {
		out = append(out, scheduler.Host{ID: h.id(), Name: h.str("name"), State: h.state(),
			Labels: stringMap(h.f["labels"]), Memory: h.num64("memory"), MilliCPU: h.num64("milliCpu")})
	}
	x.hosts, x.hostsOf, x.hostsGen = out, s.st, s.renderGen
	return out
}

// schedIndex is the scheduler's view of every container, kept up to date rather than rebuilt for each
// placement (which, a walk over every container per unit, made the units of a big stack cost N² under
// the lock). A container joins it at the first placement after its creation (its host, labels, ports and
// placement error are settled by then and never change); setState keeps its Stopped and Removed flags.
// Removed containers stay as Removed entries, which the scheduler ignores, until they are half the list.
// The scheduler's per-host views (what is on each host) are kept too, for the same reason: a new
// entry is added to its host's view, and a host whose entries changed flags is rebuilt before the
// next placement. Guarded by Server.mu (for writing).
type schedIndex struct {
	list    []scheduler.Container
	of      []*resource // of[i] is list[i]'s container
	seen    int64       // containers numbered up to seen have been looked at
	removed int         // entries of removed containers

	views  *scheduler.Views // nil: to be built from list
	onHost map[string][]int // entries by host id, for rebuilding one host's view
	dirty  map[string]bool  // hosts whose view is out of date

	hosts    []scheduler.Host // schedHosts' last answer, for store hostsOf at renderGen hostsGen
	hostsOf  *store
	hostsGen uint64
}

// schedContainers lists the non-removed containers for the scheduler, which only reads them (the
// list is the index's own when nothing is excluded).
func (s *Server) schedContainers(excludeUnit string) []scheduler.Container {
	s.schedCatchUp()
	if excludeUnit == "" {
		return s.sched.list
	}
	out := make([]scheduler.Container, 0, len(s.sched.list))
	for _, sc := range s.sched.list {
		if sc.DeploymentUnitUUID != excludeUnit {
			out = append(out, sc)
		}
	}
	return out
}

// schedCatchUp adds the containers created since the last placement, and compacts the index when
// removed containers make up half of it.
func (s *Server) schedCatchUp() {
	order := s.st.all("instance")
	i := len(order)
	for i > 0 && order[i-1].num > s.sched.seen {
		i--
	}
	for _, c := range order[i:] {
		s.sched.seen = c.num
		if c.ctr == nil || c.ctr.placeErr != "" || c.state() == "removed" {
			continue
		}
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
		s.sched.list = append(s.sched.list, sc)
		s.sched.of = append(s.sched.of, c)
		c.ctr.schedAt = len(s.sched.list)
		s.schedFlags(c)
		s.schedViewAdd(len(s.sched.list) - 1)
	}
	if s.sched.removed > 64 && 2*s.sched.removed > len(s.sched.list) {
		s.schedCompact()
	}
}

// schedFlags brings c's entry in the index up to date with its state. Caller holds s.mu.
func (s *Server) schedFlags(c *resource) {
	if c.ctr == nil || c.ctr.schedAt == 0 {
		return
	}
	sc := &s.sched.list[c.ctr.schedAt-1]
	st := c.state()
	stopped := st == "stopped" || st == "error"
	removed := st == "removing" || st == "purged" || st == "purging" || st == "removed"
	if (stopped != sc.Stopped || removed != sc.Removed) && s.sched.dirty != nil {
		s.sched.dirty[sc.HostID] = true
	}
	sc.Stopped, sc.Removed = stopped, removed
	if st == "removed" && !c.ctr.schedGone {
		c.ctr.schedGone = true
		s.sched.removed++
	}
}

// schedCompact drops the entries of removed containers.
func (s *Server) schedCompact() {
	list, of := s.sched.list[:0], s.sched.of[:0]
	for i, c := range s.sched.of {
		if c.state() == "removed" {
			c.ctr.schedAt = 0
			continue
		}
		list, of = append(list, s.sched.list[i]), append(of, c)
		c.ctr.schedAt = len(list)
	}
	clear(s.sched.list[len(list):])
	clear(s.sched.of[len(of):])
	s.sched.list, s.sched.of, s.sched.removed = list, of, 0
	s.sched.views = nil
}

// schedViewAdd adds entry i, just appended, to its host's view and to onHost.
func (s *Server) schedViewAdd(i int) {
	if s.sched.views == nil {
		return
	}
	sc := &s.sched.list[i]
	s.sched.onHost[sc.HostID] = append(s.sched.onHost[sc.HostID], i)
	// The view keeps &list[i] even if a later append moves the list: it is rebuilt (dirty) as soon
	// as the entry changes.
	if err := s.sched.views.Add(sc); err != nil {
		s.sched.views = nil
	}
}

// schedViews brings the hosts' views up to date with the index (schedCatchUp first), or returns
// nil when a container's ports do not parse (scheduler.Place then reports it).
func (s *Server) schedViews() *scheduler.Views {
	x := &s.sched
	if x.views == nil {
		v, err := scheduler.NewViews(x.list)
		if err != nil {
			return nil
		}
		x.views, x.onHost, x.dirty = v, map[string][]int{}, map[string]bool{}
		for i := range x.list {
			x.onHost[x.list[i].HostID] = append(x.onHost[x.list[i].HostID], i)
		}
		return v
	}
	for host := range x.dirty {
		var on []*scheduler.Container
		for _, i := range x.onHost[host] {
			on = append(on, &x.list[i])
		}
		if err := x.views.Rebuild(host, on); err != nil {
			x.views = nil
			return nil
		}
		delete(x.dirty, host)
	}
	return x.views
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
	req, hosts, containers := s.schedRequest(svc, lcs), s.schedHosts(), s.schedContainers("")
	var hostID string
	var err error
	if v := s.schedViews(); v != nil {
		hostID, err = scheduler.PlaceIn(req, hosts, containers, v)
		if verifySchedViews {
			verifyPlacement(req, hosts, containers, hostID, err)
		}
	} else {
		hostID, err = scheduler.Place(req, hosts, containers)
	}
	if err != nil {
		var ae *scheduler.AllocationError
		if errors.As(err, &ae) {
			return nil, ae.Message
		}
		return nil, scheduler.MsgFailedToFindPlacement
	}
	return s.st.get("host", hostID), ""
}

// verifySchedViews makes every placement from the kept views compare with one from views built
// afresh (the package's tests turn it on, as verifyRenderCache): a change to a container that did not
// mark its host's view out of date shows as a mismatch.
var verifySchedViews = false

// schedMismatches counts the placements verifySchedViews found different.
var schedMismatches atomic.Int64

func verifyPlacement(req scheduler.Request, hosts []scheduler.Host, containers []scheduler.Container, hostID string, err error) {
	fresh, ferr := scheduler.Place(req, hosts, containers)
	if fresh == hostID && fmt.Sprint(ferr) == fmt.Sprint(err) {
		return
	}
	schedMismatches.Add(1)
	fmt.Fprintf(os.Stderr, "sim: placement from kept views: %q %v; afresh: %q %v\n", hostID, err, fresh, ferr)
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
