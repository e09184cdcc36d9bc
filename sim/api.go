package sim

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// ErrNotVirtual is returned by clock controls when the simulator runs on the real clock.
var ErrNotVirtual = errors.New("sim: the clock is real; use Options.Clock ManualClock or FastClock")

// Now is the simulator's current time.
func (s *Server) Now() time.Time { return s.clk.Now() }

// Advance moves a manual (or fast) clock forward by d, running everything due on the way.
func (s *Server) Advance(d time.Duration) error {
	if s.vclk == nil {
		return ErrNotVirtual
	}
	s.vclk.advance(d)
	return nil
}

// SettleHorizon bounds Settle: processes that never stop (placement retries) are left running once
// simulated time is this far past the call.
const SettleHorizon = 10 * time.Minute

// Settle waits, on a fast clock, until no simulated process can make progress any more (all finished
// or waiting for something that will not happen by itself) or simulated time passed SettleHorizon;
// on a manual clock, until every process waits. timeout bounds the real time spent.
func (s *Server) Settle(timeout time.Duration) error {
	if s.vclk == nil {
		return ErrNotVirtual
	}
	deadline := time.Now().Add(timeout)
	horizon := s.vclk.Now().Add(SettleHorizon)
	for {
		c := s.vclk
		c.mu.Lock()
		quiet := c.busy == 0 && (len(c.pending) == 0 || !c.fast || c.pending[0].deadline.After(horizon))
		c.mu.Unlock()
		if quiet {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sim: still busy after %s", timeout)
		}
		time.Sleep(time.Millisecond)
	}
}

// Stats returns the request counters since start or the last Reset.
func (s *Server) Stats() Stats {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return s.stats.snapshot()
}

// Reset empties the environment and the counters (hosts are re-created as configured).
func (s *Server) Reset() {
	s.lockWrite()
	s.invalidate()
	defer s.mu.Unlock()
	s.resetLocked()
	s.changed()
}

// Faults returns the API faults in force.
func (s *Server) Faults() Faults {
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	return s.faults
}

// SetFaults replaces the API faults.
func (s *Server) SetFaults(f Faults) {
	s.lockWrite()
	s.invalidate()
	defer s.mu.Unlock()
	s.reqMu.Lock()
	defer s.reqMu.Unlock()
	s.faults = f
}

// ImageBehaviors returns the per-image behaviours.
func (s *Server) ImageBehaviors() []ImageBehavior {
	s.lockWrite()
	defer s.mu.Unlock()
	return append([]ImageBehavior{}, s.images...)
}

// SetImageBehaviors replaces the per-image behaviours; they apply to containers created afterwards.
func (s *Server) SetImageBehaviors(list []ImageBehavior) {
	s.lockWrite()
	s.invalidate()
	defer s.mu.Unlock()
	s.images = append([]ImageBehavior{}, list...)
}

// AddImageBehavior appends one behaviour (the first matching glob wins).
func (s *Server) AddImageBehavior(b ImageBehavior) {
	s.lockWrite()
	s.invalidate()
	defer s.mu.Unlock()
	s.images = append(s.images, b)
}

// AddHost registers a new active host and returns its id; global services spread onto it.
func (s *Server) AddHost(labels map[string]string) string {
	s.lockWrite()
	s.invalidate()
	defer s.mu.Unlock()
	h := s.addHostLocked(labels)
	s.hostsChanged()
	return h.id()
}

// StackInfo, ServiceInfo and ContainerInfo are read-only views for tests.
type StackInfo struct {
	ID, Name, State, Transitioning, HealthState string
}

// ServiceInfo is a service as the simulator holds it.
type ServiceInfo struct {
	ID, Name, StackID, Kind, State, Transitioning, TransitioningMessage, HealthState string
	Scale, CurrentScale                                                              int64
	Image                                                                            string
}

// ContainerInfo is a container as the simulator holds it, with its state history.
type ContainerInfo struct {
	ID, UUID, Name, State, HealthState, HostID, Version, Image, DeploymentUnit, LaunchConfig string
	TransitioningMessage                                                                     string
	Transitioning                                                                            string
	StartCount, CreateIndex                                                                  int64
	// Managed is false for containers an upgrade replaced (kept stopped until finishupgrade).
	Managed bool
	// Exited and ExitCode report a container that stopped by itself (ImageBehavior.ExitCode).
	Exited   bool
	ExitCode int
	// History lists every state the container went through, with the simulated time.
	History []StateChange
	// HealthHistory lists the container's changes to healthy or unhealthy, with the simulated time.
	HealthHistory []StateChange
}

// StateChange is one entry of a container's state history.
type StateChange struct {
	State string
	At    time.Time
}

// State is everything, for debugging (GET /_sim/state).
type State struct {
	Now        time.Time
	Stacks     []StackInfo
	Services   []ServiceInfo
	Containers []ContainerInfo
}

func transitioning(r *resource) string {
	out := map[string]any{}
	(&Server{}).addTransitioning(r, out)
	t, _ := out["transitioning"].(string)
	return t
}

func (s *Server) stackInfo(r *resource) StackInfo {
	return StackInfo{ID: r.id(), Name: r.str("name"), State: r.state(), Transitioning: transitioning(r),
		HealthState: s.stackHealth(r)}
}

func (s *Server) serviceInfo(r *resource) ServiceInfo {
	return ServiceInfo{ID: r.id(), Name: r.str("name"), StackID: r.str("stackId"), Kind: r.typ, State: r.state(),
		Transitioning: transitioning(r), TransitioningMessage: r.trMsg, HealthState: s.serviceHealth(r),
		Scale: toInt(r.f["scale"]), CurrentScale: toInt(r.f["currentScale"]),
		Image: str(asMap(r.f["launchConfig"])["imageUuid"])}
}

func containerInfo(c *resource) ContainerInfo {
	ci := ContainerInfo{ID: c.id(), UUID: c.str("uuid"), Name: c.str("name"), State: c.state(),
		HealthState: str(c.f["healthState"]), Version: str(c.f["version"]), Image: str(c.f["imageUuid"]),
		TransitioningMessage: c.trMsg, Transitioning: transitioning(c),
		StartCount: toInt(c.f["startCount"]), CreateIndex: toInt(c.f["createIndex"])}
	if d := c.ctr; d != nil {
		ci.Managed, ci.Exited, ci.ExitCode, ci.DeploymentUnit, ci.LaunchConfig = d.managed, d.exited, d.exitCode, d.unit, d.lcName
		if d.host != nil {
			ci.HostID = d.host.id()
		}
		ci.History = append([]StateChange(nil), d.history...)
		ci.HealthHistory = append([]StateChange(nil), d.healthLog...)
	}
	return ci
}

// Stacks lists the non-removed stacks.
func (s *Server) Stacks() []StackInfo {
	s.lockWrite()
	defer s.mu.Unlock()
	var out []StackInfo
	for _, r := range s.st.all("stack") {
		if r.state() != "removed" {
			out = append(out, s.stackInfo(r))
		}
	}
	return out
}

// Services lists the non-removed services of the stack with that name (every stack when "").
func (s *Server) Services(stackName string) []ServiceInfo {
	s.lockWrite()
	defer s.mu.Unlock()
	var out []ServiceInfo
	for _, r := range s.st.all("service") {
		st := s.st.get("stack", r.str("stackId"))
		if r.state() == "removed" || (stackName != "" && (st == nil || st.str("name") != stackName)) {
			continue
		}
		out = append(out, s.serviceInfo(r))
	}
	return out
}

// Service returns one service by id (removed ones included).
func (s *Server) Service(id string) (ServiceInfo, bool) {
	s.lockWrite()
	defer s.mu.Unlock()
	r := s.st.get("service", id)
	if r == nil {
		return ServiceInfo{}, false
	}
	return s.serviceInfo(r), true
}

// Containers lists the non-removed containers of a service (by id), old upgraded ones included,
// in creation order.
func (s *Server) Containers(serviceID string) []ContainerInfo {
	s.lockWrite()
	defer s.mu.Unlock()
	svc := s.st.get("service", serviceID)
	if svc == nil {
		return nil
	}
	var out []ContainerInfo
	for _, c := range s.serviceContainers(svc) {
		out = append(out, containerInfo(c))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreateIndex < out[j].CreateIndex })
	return out
}

// Container returns one container by id (removed ones included).
func (s *Server) Container(id string) (ContainerInfo, bool) {
	s.lockWrite()
	defer s.mu.Unlock()
	c := s.st.get("instance", id)
	if c == nil {
		return ContainerInfo{}, false
	}
	return containerInfo(c), true
}

// Snapshot returns the whole environment.
func (s *Server) Snapshot() State {
	s.lockWrite()
	defer s.mu.Unlock()
	out := State{Now: s.clk.Now()}
	for _, r := range s.st.all("stack") {
		out.Stacks = append(out.Stacks, s.stackInfo(r))
	}
	for _, r := range s.st.all("service") {
		out.Services = append(out.Services, s.serviceInfo(r))
	}
	for _, c := range s.st.all("instance") {
		if c.state() != "removed" {
			out.Containers = append(out.Containers, containerInfo(c))
		}
	}
	return out
}

// CrashContainer makes a running container exit by itself with code (a crash): an active service
// reconciles and starts it again (startCount+1).
func (s *Server) CrashContainer(id string, code int) error {
	s.lockWrite()
	s.invalidate()
	defer s.mu.Unlock()
	c := s.st.get("instance", id)
	if c == nil || c.ctr == nil {
		return fmt.Errorf("sim: no container %s", id)
	}
	if c.state() != "running" {
		return fmt.Errorf("sim: container %s is %s, not running", id, c.state())
	}
	s.supersede(c)
	c.ctr.exit(code)
	s.setState(c, "stopped")
	s.containerChanged(c)
	return nil
}

// RemoveHost loses a host: its containers disappear and services reconcile on the others.
func (s *Server) RemoveHost(id string) error {
	s.lockWrite()
	s.invalidate()
	defer s.mu.Unlock()
	h := s.st.get("host", id)
	if h == nil || h.state() == "removed" {
		return fmt.Errorf("sim: no host %s", id)
	}
	s.removeHost(h)
	return nil
}

// RevokeKey makes an access key invalid from now on (an expired or revoked key: 401).
func (s *Server) RevokeKey(accessKey string) {
	s.lockWrite()
	s.invalidate()
	defer s.mu.Unlock()
	var kept []*apiKey
	for _, k := range s.keys {
		if k.access != accessKey {
			kept = append(kept, k)
		}
	}
	s.keys = kept
	s.keysChanged()
}
