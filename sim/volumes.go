package sim

import (
	"strings"
)

// namedVolume is DeploymentUnit.isNamedVolume: "name:/path[:mode]" whose name has no "/".
func namedVolume(spec string) (name, path, mode string, ok bool) {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || strings.Contains(parts[0], "/") || parts[0] == "" {
		return "", "", "", false
	}
	mode = "rw"
	if len(parts) > 2 && parts[2] == "ro" {
		mode = "ro"
	}
	return parts[0], parts[1], mode, true
}

// attachVolumes gives a new service container its named volumes, the way Cattle's
// DeploymentUnit.createVolume does: a name matching a volumeTemplate of the stack uses that
// template's volume (external: an existing volume of that name, or the placement fails;
// perContainer: "<stack>_<name>_<index>_<unit>_<5 random>" per deployment unit; otherwise one
// "<stack>_<name>_<5 random>" for the whole stack); any other name is a plain docker volume of that
// name, created on first use. Each use is a mount. Caller holds s.mu.
func (s *Server) attachVolumes(c *resource, stack *resource) {
	mounts := map[string]any{}
	for _, spec := range stringList(c.f["dataVolumes"]) {
		name, path, mode, ok := namedVolume(spec)
		if !ok {
			continue
		}
		vol, failed := s.volumeFor(c, stack, name)
		if failed {
			if c.ctr.placeErr == "" {
				c.ctr.placeErr = "Failed to locate volume for instance of deployment unit [" + c.ctr.unit + "]"
			}
			continue
		}
		mounts[path] = vol.id()
		s.st.insert(&resource{typ: "mount", table: "mount", f: map[string]any{
			"name": vol.str("name"), "path": path, "permissions": mode, "instanceId": c.id(), "volumeId": vol.id(),
			"state": "active", "kind": "mount",
		}}, s.clk.Now())
		vol.f["state"] = "active"
	}
	if len(mounts) > 0 {
		c.f["dataVolumeMounts"] = mounts
	}
}

// volumeFor finds or creates the volume a container's named volume refers to; failed means an
// external template's volume does not exist.
func (s *Server) volumeFor(c *resource, stack *resource, name string) (vol *resource, failed bool) {
	tmpl := s.stackVolumeTemplate(stack, name)
	if tmpl == nil {
		if v := s.liveVolume(func(v *resource) bool { return v.str("name") == name }); v != nil {
			return v, false
		}
		return s.newVolume(name, str(c.f["volumeDriver"]), nil, nil), false
	}
	if tmpl.boolean("external") {
		v := s.liveVolume(func(v *resource) bool { return v.str("name") == name })
		return v, v == nil
	}
	prefix := stack.str("name") + "_" + name + "_"
	if tmpl.boolean("perContainer") {
		prefix += itoa(int64(c.ctr.unitIndex)) + "_" + c.ctr.unit + "_"
	}
	if v := s.liveVolume(func(v *resource) bool {
		return v.str("volumeTemplateId") == tmpl.id() && strings.HasPrefix(v.str("name"), prefix)
	}); v != nil {
		return v, false
	}
	return s.newVolume(prefix+newUUID()[:5], str(tmpl.f["driver"]), stack, tmpl), false
}

func (s *Server) stackVolumeTemplate(stack *resource, name string) *resource {
	if stack == nil {
		return nil
	}
	for _, t := range s.st.all("volumeTemplate") {
		if t.str("stackId") == stack.id() && t.str("name") == name && !t.removedOrRemoving() {
			return t
		}
	}
	return nil
}

func (s *Server) liveVolume(match func(*resource) bool) *resource {
	for _, v := range s.st.all("volume") {
		if !v.removedOrRemoving() && match(v) {
			return v
		}
	}
	return nil
}

func (s *Server) newVolume(name, driver string, stack, tmpl *resource) *resource {
	if driver == "" {
		driver = "local"
	}
	f := map[string]any{"name": name, "driver": driver, "state": "inactive", "kind": "volume", "deviceNumber": -1}
	if stack != nil {
		f["stackId"] = stack.id()
	}
	if tmpl != nil {
		f["volumeTemplateId"] = tmpl.id()
		f["driverOpts"] = deepCopy(tmpl.f["driverOpts"])
	}
	return s.st.insert(&resource{typ: "volume", table: "volume", f: f}, s.clk.Now())
}

// detachVolumes ends the mounts of a removed container; a volume no container mounts any more is
// inactive again (it stays, as Docker's named volumes do).
func (s *Server) detachVolumes(c *resource) {
	now := s.clk.Now()
	for _, m := range s.st.all("mount") {
		if m.str("instanceId") != c.id() || m.state() == "removed" {
			continue
		}
		m.f["state"] = "removed"
		m.f["removed"] = now
		if v := s.st.get("volume", m.str("volumeId")); v != nil && !v.removedOrRemoving() && !s.volumeMounted(v) {
			v.f["state"] = "inactive"
		}
	}
}

func (s *Server) volumeMounted(v *resource) bool {
	for _, m := range s.st.all("mount") {
		if m.str("volumeId") == v.id() && m.state() != "removed" {
			return true
		}
	}
	return false
}

// mountsOf lists the live mounts of a container or of a volume.
func (s *Server) mountsOf(field, id string) []*resource {
	var out []*resource
	for _, m := range s.st.all("mount") {
		if m.str(field) == id && m.state() != "removed" {
			out = append(out, m)
		}
	}
	return out
}
