package sim

import (
	"fmt"
	"path"
	"strconv"
	"strings"
	"time"
)

// ctrData is the simulator's bookkeeping for a container.
type ctrData struct {
	service    *resource // owning service, nil for a standalone container
	lcName     string    // "" for the primary launch config, else the sidekick name
	unit       string    // deploymentUnitUuid
	unitIndex  int       // the N in <stack>-<service>-N
	managed    bool      // counted in the service's desired set
	upgradeOld bool      // replaced by an in-service upgrade: stopped and kept until finishupgrade
	host       *resource
	placeErr   string // "Allocation failed: …" decided when the unit was placed
	behavior   ImageBehavior
	exited     bool
	exitCode   int
	lastExit   *int // the code of the last exit by itself, kept across restarts (lastExitCode)
	history    []StateChange
	healthLog  []StateChange // healthState changes to healthy/unhealthy, reported as serviceEvents
	schedAt    int           // 1 + its entry in Server.sched, 0 when it has none (placement.go)
	schedGone  bool          // counted in Server.sched.removed
}

// behaviorFor returns the first image behaviour whose glob matches the image.
func (s *Server) behaviorFor(imageUUID string) ImageBehavior {
	img := strings.TrimPrefix(imageUUID, "docker:")
	for _, b := range s.images {
		if ok, _ := path.Match(b.Glob, img); ok || b.Glob == img {
			return b
		}
	}
	return ImageBehavior{}
}

// launchConfigs lists a service's launch configs: primary first ("" name), then sidekicks.
func launchConfigs(svc *resource) []namedLC {
	var out []namedLC
	if lc := asMap(svc.f["launchConfig"]); lc != nil && lc["imageUuid"] != "rancher/none" {
		out = append(out, namedLC{"", lc})
	}
	for _, x := range asList(svc.f["secondaryLaunchConfigs"]) {
		lc := asMap(x)
		if lc["imageUuid"] == "rancher/none" {
			continue
		}
		out = append(out, namedLC{str(lc["name"]), lc})
	}
	return out
}

type namedLC struct {
	name string
	lc   map[string]any
}

// containerFields copied from a launch config onto its containers.
var notCopied = setOf("type", "name", "links", "actions", "healthState", "state", "id", "uuid", "created",
	"createIndex", "deploymentUnitUuid", "startCount", "dataVolumesFromLaunchConfigs", "networkLaunchConfig",
	"vcpu", "memoryMb", "userdata", "disks", "requestedIpAddress")

// newContainer creates (does not start) one container of a deployment unit. Caller holds s.mu.
func (s *Server) newContainer(svc *resource, nl namedLC, unit string, index int, host *resource, placeErr string) *resource {
	stack := s.st.get("stack", svc.str("stackId"))
	stackName := ""
	if stack != nil {
		stackName = stack.str("name")
	}
	f := map[string]any{}
	for k, v := range nl.lc {
		if !notCopied[k] {
			f[k] = deepCopy(v)
		}
	}
	svcName := svc.str("name")
	name := fmt.Sprintf("%s-%s-%d", stackName, svcName, index)
	lcLabel := "io.rancher.service.primary.launch.config"
	stackService := stackName + "/" + svcName
	if nl.name != "" {
		name = fmt.Sprintf("%s-%s-%s-%d", stackName, svcName, nl.name, index)
		lcLabel = nl.name
		stackService += "/" + nl.name
	}
	labels := asMap(deepCopy(nl.lc["labels"]))
	if labels == nil {
		labels = map[string]any{}
	}
	for k, v := range map[string]string{
		"io.rancher.stack.name": stackName, "io.rancher.stack_service.name": stackService,
		"io.rancher.project.name": stackName, "io.rancher.project_service.name": stackService,
		"io.rancher.service.deployment.unit": unit, "io.rancher.service.launch.config": lcLabel,
	} {
		labels[k] = v
	}
	f["labels"] = labels
	f["name"] = name
	f["kind"] = "container"
	f["state"] = "requested"
	f["serviceIds"] = []any{svc.id()}
	f["stackId"] = svc.str("stackId")
	f["deploymentUnitUuid"] = unit
	f["startCount"] = 0
	f["version"] = nl.lc["version"]
	f["externalId"] = strings.ReplaceAll(newUUID()+newUUID(), "-", "")
	f["system"] = false
	c := &resource{typ: "container", table: "instance", f: f}
	c.ctr = &ctrData{service: svc, lcName: nl.name, unit: unit, unitIndex: index, managed: true, host: host,
		placeErr: placeErr, behavior: s.behaviorFor(str(nl.lc["imageUuid"])),
		history: []StateChange{{State: "requested", At: s.clk.Now()}}}
	s.st.insert(c, s.clk.Now())
	if c.num%500 == 0 {
		s.purgeRemovedContainers(purgeAfter)
	}
	s.attachVolumes(c, stack)
	svc.svc.containers = append(svc.svc.containers, c)
	svc.svc.nextIndex++
	f["createIndex"] = svc.svc.nextIndex
	f["primaryIpAddress"] = fmt.Sprintf("10.42.%d.%d", (c.num/250)%250, c.num%250+2)
	if svc.boolean("retainIp") {
		if ip := s.previousIP(svc, nl.name, index, c); ip != nil {
			f["primaryIpAddress"] = ip
		}
	}
	return c
}

// startContainer runs the start walk: requested/stopped → creating → starting → running, then the
// health walk and the image behaviour (exit, unhealthy, …). Caller holds s.mu.
func (s *Server) startContainer(c *resource) {
	s.startProc(c, s.containerStartProc)
	if c.state() != "requested" {
		c.ctr.exited = false
		s.setState(c, "starting")
	}
}

func (s *Server) containerStartProc(p *proc) {
	c := p.r
	d := c.ctr
	if c.state() == "requested" {
		if !p.enter("creating") {
			return
		}
		s.setMessage(c, "Pulling image")
		if !p.sleep(s.opts.step() + d.behavior.PullDelay.D()) {
			return
		}
	}
	if !p.enter("starting") {
		return
	}
	for _, m := range []string{"Scheduling", "Networking", "Storage", "Starting"} {
		s.setMessage(c, m)
		if m == "Scheduling" && d.placeErr != "" {
			s.containerError(c, d.placeErr)
			return
		}
		if m == "Starting" && d.behavior.FailStart {
			s.containerError(c, "Simulated start failure for image "+str(c.f["imageUuid"]))
			return
		}
		if m == "Scheduling" || m == "Starting" {
			if !p.step() {
				return
			}
		}
	}
	c.f["startCount"] = toInt(c.f["startCount"]) + 1
	if c.f["firstRunning"] == nil {
		c.f["firstRunning"] = s.clk.Now()
	}
	d.exited = false
	p.finish("running")
	s.runningLife(p)
}

func (s *Server) containerError(c *resource, msg string) {
	s.setState(c, "error")
	c.trError = true
	c.trMsg = msg
	s.changedAbout(c)
}

// runningLife is what happens to a running container: health checks and image behaviour.
func (s *Server) runningLife(p *proc) {
	c := p.r
	d := c.ctr
	hc := asMap(c.f["healthCheck"])
	if d.behavior.ExitCode != nil {
		s.setHealth(c, nil)
		if !p.step() {
			return
		}
		d.exit(*d.behavior.ExitCode)
		p.finish("stopped")
		s.containerChanged(c)
		return
	}
	if hc != nil {
		s.healthWalk(p, hc)
	}
}

func msDuration(v any, def int64) time.Duration {
	n := toInt(v)
	if v == nil || n <= 0 {
		n = def
	}
	return time.Duration(n) * time.Millisecond
}

func (s *Server) setHealth(c *resource, h any) {
	if hs := str(h); (hs == "healthy" || hs == "unhealthy") && hs != str(c.f["healthState"]) && c.ctr != nil {
		c.ctr.healthLog = append(c.ctr.healthLog, StateChange{State: hs, At: s.clk.Now()})
	}
	c.f["healthState"] = h
	s.changedAbout(c)
}

// stopContainer runs running → stopping → stopped.
func (s *Server) stopContainer(c *resource) {
	if c.state() == "stopped" || c.removedOrRemoving() {
		return
	}
	s.startProc(c, func(p *proc) {
		if !p.enter("stopping") || !p.step() {
			return
		}
		p.finish("stopped")
	})
}

// removeContainer runs → removing → removed (stopping first when running).
func (s *Server) removeContainer(c *resource) {
	if c.removedOrRemoving() {
		return
	}
	s.startProc(c, func(p *proc) {
		if c.state() == "running" {
			if !p.enter("stopping") || !p.step() {
				return
			}
		}
		if !p.enter("removing") || !p.step() {
			return
		}
		s.markRemoved(c)
	})
}

// removeContainerNow removes a container at once (health-check timeouts).
func (s *Server) removeContainerNow(c *resource) {
	s.supersede(c)
	s.markRemoved(c)
}

func (s *Server) markRemoved(r *resource) {
	now := s.clk.Now()
	s.setState(r, "removed")
	r.f["removed"] = now
	r.f["removeTime"] = now
	if r.table == "instance" {
		s.detachVolumes(r)
	}
}

// restartContainer runs running → restarting → running (startCount+1, same identity).
func (s *Server) restartContainer(c *resource) {
	s.startProc(c, func(p *proc) {
		if !p.enter("restarting") || !p.step() {
			return
		}
		c.f["startCount"] = toInt(c.f["startCount"]) + 1
		p.finish("running")
		s.runningLife(p)
	})
}

// containerChanged lets an active service react to a container that exited, turned unhealthy or
// vanished: it reconciles (state updating-active) when nothing else is under way.
func (s *Server) containerChanged(c *resource) {
	svc := c.ctr.service
	if svc == nil || svc.running || svc.state() != "active" {
		return
	}
	s.startProc(svc, s.updateActive)
}

// serviceContainers lists every non-removed container of a service, old upgraded ones included.
func (s *Server) serviceContainers(svc *resource) []*resource {
	var out []*resource
	if svc.svc == nil {
		return nil
	}
	for _, c := range svc.svc.containers {
		if c.state() != "removed" {
			out = append(out, c)
		}
	}
	return out
}

// setManaged counts c in its service's desired set or not (health and endpoints show it). Caller holds s.mu.
func (s *Server) setManaged(c *resource, managed bool) {
	c.ctr.managed = managed
	s.touch(c)
}

// managedContainers lists the containers counted in the service's desired set.
func (s *Server) managedContainers(svc *resource) []*resource {
	var out []*resource
	for _, c := range s.serviceContainers(svc) {
		if c.ctr.managed && !c.removedOrRemoving() {
			out = append(out, c)
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// previousIP is the address of the latest earlier container in the same slot (unit number and
// launch config) of a retainIp service: replacements keep it.
func (s *Server) previousIP(svc *resource, lcName string, index int, self *resource) any {
	var ip any
	for _, c := range svc.svc.containers {
		if c != self && c.ctr.lcName == lcName && c.ctr.unitIndex == index {
			ip = c.f["primaryIpAddress"]
		}
	}
	return ip
}

// purgeAfter is how long a removed container stays retrievable by id before it is forgotten, so a
// simulator left retrying failed placements for days does not grow without bound.
const purgeAfter = time.Hour

// purgeRemovedContainers forgets containers removed more than age ago.
func (s *Server) purgeRemovedContainers(age time.Duration) {
	cutoff := s.clk.Now().Add(-age)
	t := s.st.tbl("instance")
	kept := t.order[:0]
	for _, c := range t.order {
		if at, ok := c.f["removed"].(time.Time); ok && at.Before(cutoff) {
			delete(t.byNum, c.num)
			continue
		}
		kept = append(kept, c)
	}
	t.order = kept
	for _, svc := range s.st.all("service") {
		if svc.svc == nil {
			continue
		}
		live := svc.svc.containers[:0]
		for _, c := range svc.svc.containers {
			if t.byNum[c.num] == c {
				live = append(live, c)
			}
		}
		svc.svc.containers = live
	}
}
