package scheduler

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// hostView is what is on one host: its non-removed containers, and the host ports and
// reservations held by those not stopped.
type hostView struct {
	containers       []*Container // into Place's input, which is only read
	ports            []hostPort
	memUsed, cpuUsed int64
}

// Place chooses the host for one deployment unit, or returns an *AllocationError whose Message is
// the exact transitioningMessage Rancher shows (§6.4). Other errors mean the input is malformed (an
// unparsable port spec, a unit without launch configs). Inputs are not modified.
func Place(req Request, hosts []Host, containers []Container) (string, error) {
	views, err := buildViews(containers)
	if err != nil {
		return "", err
	}
	return place(req, hosts, containers, views)
}

// PlaceIn is Place with the hosts' views kept by the caller (v must describe containers as
// NewViews(containers) would), for callers that place many units in a row: Place builds the views
// of every container for each unit. Neither input is modified.
func PlaceIn(req Request, hosts []Host, containers []Container, v *Views) (string, error) {
	return place(req, hosts, containers, v.byHost)
}

func place(req Request, hosts []Host, containers []Container, views map[string]*hostView) (string, error) {
	if len(req.LaunchConfigs) == 0 {
		return "", errors.New("scheduler: the unit has no launch configs")
	}
	unitPorts := make([][]hostPort, len(req.LaunchConfigs))
	for i, lc := range req.LaunchConfigs {
		ports, err := hostPorts(lc.Ports)
		if err != nil {
			return "", fmt.Errorf("scheduler: launch config %d: %w", i, err)
		}
		unitPorts[i] = ports
	}
	if msg := duplicateUnitPort(unitPorts); msg != "" {
		return "", &AllocationError{Message: msg}
	}
	if pinned := pinnedHost(req, containers); pinned != "" {
		for _, h := range activeHosts(hosts) {
			if h.ID == pinned {
				return h.ID, nil
			}
		}
		return "", &AllocationError{Message: MsgNoHealthyHosts}
	}
	active := activeHosts(hosts)
	if len(active) == 0 {
		return "", &AllocationError{Message: MsgNoHealthyHosts}
	}
	fit := withResources(req, active, views)
	if len(fit) == 0 {
		return "", &AllocationError{Message: MsgResourceConstraints + resourceRequests(req)}
	}
	return chooseHost(prioritize(fit, views), views, unitConstraints(req, unitPorts))
}

// GlobalHosts lists, in the order given, the active hosts that must run one unit of a global
// service: those meeting every host-label affinity of the unit's launch-config labels (§6.2).
func GlobalHosts(req Request, hosts []Host) []string {
	var hostRules []constraint
	for _, lc := range req.LaunchConfigs {
		for _, c := range labelConstraints(lc.Labels, macros{}) {
			if c.kind == kindHostLabel {
				hostRules = append(hostRules, c)
			}
		}
	}
	var out []string
	for _, h := range activeHosts(hosts) {
		ok := true
		for _, c := range hostRules {
			if !c.matches(h, hostView{}) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, h.ID)
		}
	}
	return out
}

func buildViews(containers []Container) (map[string]*hostView, error) {
	views := map[string]*hostView{}
	for i := range containers {
		c := &containers[i]
		if c.Removed || c.HostID == "" {
			continue
		}
		v := views[c.HostID]
		if v == nil {
			v = &hostView{}
			views[c.HostID] = v
		}
		if err := v.add(c); err != nil {
			return nil, err
		}
	}
	return views, nil
}

// Views is what is on each host, kept up to date by its owner between placements (PlaceIn).
type Views struct {
	byHost map[string]*hostView
}

// NewViews builds the views of containers.
func NewViews(containers []Container) (*Views, error) {
	views, err := buildViews(containers)
	if err != nil {
		return nil, err
	}
	return &Views{byHost: views}, nil
}

// Add adds a container, which must stay unchanged until the next Add or Rebuild of its host
// (a removed one, or one without a host, is ignored).
func (v *Views) Add(c *Container) error {
	if c.Removed || c.HostID == "" {
		return nil
	}
	hv := v.byHost[c.HostID]
	if hv == nil {
		hv = &hostView{}
		v.byHost[c.HostID] = hv
	}
	return hv.add(c)
}

// Rebuild replaces the view of one host by that of its containers (all of them on that host),
// after one of them changed.
func (v *Views) Rebuild(hostID string, containers []*Container) error {
	delete(v.byHost, hostID)
	for _, c := range containers {
		if err := v.Add(c); err != nil {
			return err
		}
	}
	return nil
}

func (v *hostView) add(c *Container) error {
	v.containers = append(v.containers, c)
	if c.Stopped {
		return nil
	}
	ports, err := hostPorts(c.Ports)
	if err != nil {
		return fmt.Errorf("scheduler: container %s: %w", c.ID, err)
	}
	v.ports = append(v.ports, ports...)
	v.memUsed += c.MemoryReservation
	v.cpuUsed += c.MilliCPUReservation
	return nil
}

func view(views map[string]*hostView, id string) hostView {
	if v := views[id]; v != nil {
		return *v
	}
	return hostView{}
}

// pinnedHost is the host the unit must go to: RequestedHostID, the requested-host label, or the host
// of an existing container of the same deployment unit.
func pinnedHost(req Request, containers []Container) string {
	if req.RequestedHostID != "" {
		return req.RequestedHostID
	}
	for _, lc := range req.LaunchConfigs {
		if id := lc.Labels[LabelRequestedHostID]; id != "" {
			return id
		}
	}
	if req.DeploymentUnitUUID == "" {
		return ""
	}
	for _, c := range containers {
		if !c.Removed && c.HostID != "" && c.DeploymentUnitUUID == req.DeploymentUnitUUID {
			return c.HostID
		}
	}
	return ""
}

func activeHosts(hosts []Host) []Host {
	var out []Host
	for _, h := range hosts {
		if h.State == "" || h.State == "active" {
			out = append(out, h)
		}
	}
	return out
}

// withResources keeps the hosts with room for the unit's reservations and whose require_any label
// admits the unit (the external scheduler's filter).
func withResources(req Request, hosts []Host, views map[string]*hostView) []Host {
	var mem, cpu int64
	for _, lc := range req.LaunchConfigs {
		mem += lc.MemoryReservation
		cpu += lc.MilliCPUReservation
	}
	var out []Host
	for _, h := range hosts {
		v := view(views, h.ID)
		if h.Memory > 0 && mem > 0 && v.memUsed+mem > h.Memory {
			continue
		}
		if h.MilliCPU > 0 && cpu > 0 && v.cpuUsed+cpu > h.MilliCPU {
			continue
		}
		if !admitsUnit(h, req) {
			continue
		}
		out = append(out, h)
	}
	return out
}

// admitsUnit applies io.rancher.scheduler.require_any ("k=v,k2=v2"): some launch config of the unit
// must carry one of the listed labels.
func admitsUnit(h Host, req Request) bool {
	var rule string
	for k, v := range h.Labels {
		if equalFold(k, LabelRequireAny) {
			rule = v
		}
	}
	if strings.TrimSpace(rule) == "" {
		return true
	}
	for _, item := range strings.Split(rule, ",") {
		key, value, hasValue := strings.Cut(strings.TrimSpace(item), "=")
		for _, lc := range req.LaunchConfigs {
			for k, v := range lc.Labels {
				if equalFold(k, key) && (!hasValue || equalFold(v, value)) {
					return true
				}
			}
		}
	}
	return false
}

// resourceRequests renders the unit's scheduler resource requests as Cattle's message lists them.
func resourceRequests(req Request) string {
	var parts []string
	for _, lc := range req.LaunchConfigs {
		if lc.MemoryReservation > 0 {
			parts = append(parts, fmt.Sprintf("memoryReservation: %d", lc.MemoryReservation))
		}
		if lc.MilliCPUReservation > 0 {
			parts = append(parts, fmt.Sprintf("cpuReservation: %d", lc.MilliCPUReservation))
		}
		parts = append(parts, "instanceReservation: 1")
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// prioritize orders candidates: fewest non-removed containers first, ties in the given order.
func prioritize(hosts []Host, views map[string]*hostView) []Host {
	out := append([]Host(nil), hosts...)
	sort.SliceStable(out, func(i, j int) bool {
		return len(view(views, out[i].ID).containers) < len(view(views, out[j].ID).containers)
	})
	return out
}

// chooseHost runs Cattle's doAllocate loop: the first host meeting every constraint wins; otherwise
// drop the first soft constraint of the weakest candidate's failures and retry.
func chooseHost(hosts []Host, views map[string]*hostView, cs []constraint) (string, error) {
	for {
		var failedSets [][]int
		for _, h := range hosts {
			failed := failedConstraints(h, view(views, h.ID), cs)
			if len(failed) == 0 {
				return h.ID, nil
			}
			failedSets = append(failedSets, failed)
		}
		weakest := weakestSet(cs, failedSets)
		if len(weakest) == 0 {
			return "", &AllocationError{Message: MsgFailedToFindPlacement}
		}
		drop := -1
		for _, i := range weakest {
			if !cs[i].hard() {
				drop = i
				break
			}
		}
		if drop < 0 {
			descs := make([]string, len(weakest))
			for n, i := range weakest {
				descs[n] = cs[i].String()
			}
			return "", &AllocationError{Message: AllocationFailedPrefix + strings.Join(descs, ", ")}
		}
		cs = append(append([]constraint(nil), cs[:drop]...), cs[drop+1:]...)
	}
}

func failedConstraints(h Host, v hostView, cs []constraint) []int {
	var failed []int
	for i, c := range cs {
		if !c.matches(h, v) {
			failed = append(failed, i)
		}
	}
	return failed
}

// weakestSet is the failure set with the fewest hard, then fewest soft constraints (first on ties).
func weakestSet(cs []constraint, sets [][]int) []int {
	count := func(set []int) (hard, soft int) {
		for _, i := range set {
			if cs[i].hard() {
				hard++
			} else {
				soft++
			}
		}
		return
	}
	var best []int
	bestHard, bestSoft := -1, -1
	for _, set := range sets {
		h, s := count(set)
		if bestHard < 0 || h < bestHard || (h == bestHard && s < bestSoft) {
			best, bestHard, bestSoft = set, h, s
		}
	}
	return best
}
