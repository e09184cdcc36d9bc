package sim

import (
	"sort"
	"time"
)

// upgradeStrategy is the part of inServiceUpgradeStrategy the loop needs.
type upgradeStrategy struct {
	batch      int
	interval   time.Duration
	startFirst bool
}

func strategyOf(in map[string]any) upgradeStrategy {
	st := upgradeStrategy{batch: int(toInt(in["batchSize"])), interval: msDuration(in["intervalMillis"], 2000),
		startFirst: toBool(in["startFirst"])}
	if st.batch < 1 {
		st.batch = 1
	}
	return st
}

// validateInService applies the upgrade request rules of §3.5 and §4.5.
func (s *Server) validateInService(r *resource, in map[string]any) *apiError {
	if in["launchConfig"] == nil && len(asList(in["secondaryLaunchConfigs"])) == 0 {
		return invalid(codeInvalidOption, "LaunchConfig/secondaryLaunchConfigs need to be specified for inService strategy")
	}
	if toBool(in["startFirst"]) && r.boolean("retainIp") {
		return invalid(codeInvalidOption, "StartFirst option can't be used for service with retainIp field set")
	}
	if lc := asMap(in["launchConfig"]); lc != nil {
		oldGlobal := isGlobal(r)
		newGlobal := str(asMap(lc["labels"])["io.rancher.scheduler.global"]) == "true"
		if oldGlobal != newGlobal {
			return invalid(codeInvalidOption, "Switching from global scale to fixed (and vice versa)")
		}
	}
	f := map[string]any{"launchConfig": in["launchConfig"], "secondaryLaunchConfigs": in["secondaryLaunchConfigs"]}
	if err := checkPorts(f); err != nil {
		return err
	}
	for _, x := range asList(in["secondaryLaunchConfigs"]) {
		if err := validateDNSName("name", str(asMap(x)["name"])); err != nil {
			return err
		}
	}
	return checkImages(f)
}

// applyInServiceUpgrade switches the service's launch configs to the new definitions at once
// (visible in GET while upgrading), stamping a fresh version, and records the upgrade field.
func (s *Server) applyInServiceUpgrade(r *resource, in map[string]any) {
	version := newUUID()
	prevLC := deepCopy(r.f["launchConfig"])
	prevSides := deepCopy(r.f["secondaryLaunchConfigs"])
	if prevSides == nil {
		prevSides = []any{}
	}
	if lc := asMap(in["launchConfig"]); lc != nil {
		nlc := normalizeLaunchConfig(lc, "launchConfig", version)
		preserveOldRandomPorts(nlc, asMap(prevLC))
		if r.typ == "loadBalancerService" {
			injectBalancer(nlc)
		}
		r.f["launchConfig"] = nlc
	}
	var sides []any
	supplied := map[string]map[string]any{}
	for _, x := range asList(in["secondaryLaunchConfigs"]) {
		supplied[str(asMap(x)["name"])] = asMap(x)
	}
	for _, x := range asList(r.f["secondaryLaunchConfigs"]) {
		name := str(asMap(x)["name"])
		if nx, ok := supplied[name]; ok {
			delete(supplied, name)
			if nx["imageUuid"] == "rancher/none" {
				continue
			}
			sides = append(sides, normalizeLaunchConfig(nx, "secondaryLaunchConfig", version))
			continue
		}
		sides = append(sides, x)
	}
	for _, name := range sortedKeys(supplied) {
		if supplied[name]["imageUuid"] != "rancher/none" {
			sides = append(sides, normalizeLaunchConfig(supplied[name], "secondaryLaunchConfig", version))
		}
	}
	if sides == nil {
		sides = []any{}
	}
	r.f["secondaryLaunchConfigs"] = sides
	s.upgradeDependents(r, version)
	strat := map[string]any{"type": "inServiceUpgradeStrategy", "batchSize": orDefault(in["batchSize"], 1),
		"intervalMillis": orDefault(in["intervalMillis"], 2000), "startFirst": toBool(in["startFirst"]),
		"launchConfig": deepCopy(r.f["launchConfig"]), "secondaryLaunchConfigs": deepCopy(in["secondaryLaunchConfigs"]),
		"previousLaunchConfig": prevLC, "previousSecondaryLaunchConfigs": prevSides}
	r.f["upgrade"] = map[string]any{"type": "serviceUpgrade", "inServiceStrategy": strat, "toServiceStrategy": nil}
}

func orDefault(v any, def int) any {
	if v == nil || toInt(v) == 0 {
		return def
	}
	return v
}

// outdated lists, per unit in index order, the managed containers whose launch config changed.
func (s *Server) outdated(svc *resource) [][]*resource {
	want := map[string]string{}
	for _, nl := range launchConfigs(svc) {
		want[nl.name] = str(nl.lc["version"])
	}
	var out [][]*resource
	for _, u := range s.units(svc) {
		var old []*resource
		for _, c := range u.containers {
			v, ok := want[c.ctr.lcName]
			if !ok || str(c.f["version"]) != v {
				old = append(old, c)
			}
		}
		if len(old) > 0 {
			out = append(out, old)
		}
	}
	return out
}

// inServiceLoop replaces outdated containers batch by batch (§5.1 "upgrade (in-service)"): old
// containers leave the managed set and end stopped, not removed.
func (s *Server) inServiceLoop(p *proc, st upgradeStrategy) bool {
	for {
		if !s.deploy(p, true) {
			return false
		}
		batches := s.outdated(p.r)
		if len(batches) == 0 {
			return true
		}
		if len(batches) > st.batch {
			batches = batches[:st.batch]
		}
		var old []*resource
		for _, b := range batches {
			for _, c := range b {
				s.setManaged(c, false)
				c.ctr.upgradeOld = true
				old = append(old, c)
			}
		}
		s.changedAmong(p.r)
		if st.startFirst {
			if !s.deploy(p, true) {
				return false
			}
		}
		for _, c := range old {
			s.stopContainer(c)
		}
		if !p.waitOn(ownersOf(old), func() bool { return allIn(old, "stopped", "error", "removed") }) {
			return false
		}
		if !st.startFirst && !s.deploy(p, true) {
			return false
		}
		if !p.sleep(st.interval) {
			return false
		}
	}
}

func (s *Server) currentStrategy(r *resource) upgradeStrategy {
	return strategyOf(asMap(asMap(r.f["upgrade"])["inServiceStrategy"]))
}

// upgradeProc: upgrading → (batches) → upgraded.
func (s *Server) upgradeProc(p *proc) {
	if to := asMap(asMap(p.r.f["upgrade"])["toServiceStrategy"]); to != nil {
		if !s.toServiceLoop(p, to) {
			return
		}
		p.finish("upgraded")
		return
	}
	if !s.inServiceLoop(p, s.currentStrategy(p.r)) {
		return
	}
	p.finish("upgraded")
}

// finishUpgradeProc completes the loop, removes the old containers, reconciles → active.
func (s *Server) finishUpgradeProc(p *proc) {
	if asMap(asMap(p.r.f["upgrade"])["toServiceStrategy"]) == nil && !s.inServiceLoop(p, s.currentStrategy(p.r)) {
		return
	}
	for _, c := range s.serviceContainers(p.r) {
		if c.ctr.upgradeOld {
			s.removeContainer(c)
		}
	}
	if !p.waitOwn(func() bool { return s.noOldContainers(p.r) }) || !s.deploy(p, false) {
		return
	}
	s.finishActive(p)
}

func (s *Server) noOldContainers(svc *resource) bool {
	for _, c := range s.serviceContainers(svc) {
		if c.ctr.upgradeOld {
			return false
		}
	}
	return true
}

// restoreForRollback puts the previous launch configs back (done at API time, §5.1).
func (s *Server) restoreForRollback(r *resource) {
	in := asMap(asMap(r.f["upgrade"])["inServiceStrategy"])
	if in == nil {
		return
	}
	if prev := in["previousLaunchConfig"]; prev != nil {
		r.f["launchConfig"] = deepCopy(prev)
	}
	if prev := in["previousSecondaryLaunchConfigs"]; prev != nil {
		r.f["secondaryLaunchConfigs"] = deepCopy(prev)
	}
	s.touch(r)
}

// rollbackProc re-manages and restarts the old containers (same uuid), removes the new ones,
// reconciles without waiting for health → active.
func (s *Server) rollbackProc(p *proc) {
	var old []*resource
	for _, c := range s.serviceContainers(p.r) {
		if c.ctr.upgradeOld && !c.removedOrRemoving() {
			old = append(old, c)
		}
	}
	sort.Slice(old, func(i, j int) bool { return old[i].num < old[j].num })
	for _, batch := range s.outdated(p.r) {
		for _, c := range batch {
			s.setManaged(c, false)
			s.removeContainer(c)
		}
	}
	for _, c := range old {
		c.ctr.upgradeOld = false
		s.setManaged(c, true)
		if c.state() == "stopped" {
			s.startContainer(c)
		}
	}
	s.changedAmong(p.r)
	if !s.deploy(p, false) {
		return
	}
	s.finishActive(p)
}

// toServiceLoop moves scale from this service to the target in batches (§5.1 "upgrade (toService)").
func (s *Server) toServiceLoop(p *proc, to map[string]any) bool {
	target := s.st.get("service", str(to["toServiceId"]))
	if target == nil {
		return false
	}
	final := toInt(to["finalScale"])
	if final < 1 {
		final = 1
	}
	batch := toInt(to["batchSize"])
	if batch < 1 {
		batch = 1
	}
	interval := msDuration(to["intervalMillis"], 2000)
	if toBool(to["updateLinks"]) {
		s.cloneInboundLinks(p.r, target)
	}
	for toInt(p.r.f["scale"]) > 0 || toInt(target.f["scale"]) < final {
		target.f["scale"] = min(final, toInt(target.f["scale"])+batch)
		p.r.f["scale"] = max(0, toInt(p.r.f["scale"])-batch)
		s.reconcile(target)
		s.reconcile(p.r)
		s.changedAmong(target, p.r)
		if !p.waitOn(func() []*resource { return []*resource{target, p.r} }, func() bool { return s.settled(target) && s.settled(p.r) }) {
			return false
		}
		target.f["currentScale"] = len(s.units(target))
		p.r.f["currentScale"] = len(s.units(p.r))
		s.touchAll([]*resource{target, p.r})
		if !p.sleep(interval) {
			return false
		}
	}
	return true
}

// upgradeDependents gives the new version to launch configs that use an upgraded one through
// networkLaunchConfig or dataVolumesFromLaunchConfigs (§4.5): they are replaced too.
func (s *Server) upgradeDependents(r *resource, version string) {
	lcs := []map[string]any{asMap(r.f["launchConfig"])}
	names := []string{r.str("name")}
	for _, x := range asList(r.f["secondaryLaunchConfigs"]) {
		lcs = append(lcs, asMap(x))
		names = append(names, str(asMap(x)["name"]))
	}
	upgraded := map[string]bool{}
	for i, lc := range lcs {
		if lc != nil && lc["version"] == version {
			upgraded[names[i]] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for i, lc := range lcs {
			if lc == nil || upgraded[names[i]] {
				continue
			}
			refs := append(stringList(lc["dataVolumesFromLaunchConfigs"]), str(lc["networkLaunchConfig"]))
			for _, ref := range refs {
				if ref != "" && upgraded[ref] {
					lc["version"] = version
					upgraded[names[i]] = true
					changed = true
					break
				}
			}
		}
	}
}
