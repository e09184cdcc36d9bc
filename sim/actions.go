package sim

import (
	"net/http"
)

// runAction performs a legal action. Caller holds s.mu.
func (s *Server) runAction(rc *reqCtx, r *resource, name string, body map[string]any) result {
	var aerr *apiError
	status := http.StatusAccepted
	switch r.table {
	case "service":
		status, aerr = s.serviceAction(r, name, body)
	case "stack":
		var out any
		status, out, aerr = s.stackAction(rc, r, name, body)
		if aerr == nil && out != nil {
			return result{status: status, body: out}
		}
	case "instance":
		var out any
		status, out, aerr = s.containerAction(rc, r, name, body)
		if aerr == nil && out != nil {
			return result{status: status, body: out}
		}
	case "host":
		aerr = s.hostAction(r, name)
	default:
		if name == "remove" {
			aerr = s.remove(r)
		}
	}
	if aerr != nil {
		return errResult(aerr)
	}
	return result{status: status, body: s.renderOne(rc, r)}
}

func (s *Server) serviceAction(r *resource, name string, body map[string]any) (int, *apiError) {
	switch name {
	case "setservicelinks":
		return http.StatusOK, s.setServiceLinks(r, asList(body["serviceLinks"]))
	case "addservicelink":
		return http.StatusOK, s.addServiceLink(r, asMap(body["serviceLink"]))
	case "removeservicelink":
		return http.StatusOK, s.removeServiceLink(r, asMap(body["serviceLink"]))
	case "activate":
		s.startServiceAction(r, "activating", s.activateService)
	case "deactivate":
		s.startServiceAction(r, "deactivating", s.deactivateService)
	case "update":
		if r.state() == "inactive" {
			s.startProc(r, s.updateInactive)
			s.setState(r, "updating-inactive")
		} else {
			s.startServiceAction(r, "updating-active", func(p *proc) {
				if s.deploy(p, false) {
					s.finishActive(p)
				}
			})
		}
	case "remove":
		return http.StatusAccepted, s.removeService(r)
	case "upgrade":
		return http.StatusAccepted, s.upgradeAction(r, body)
	case "finishupgrade":
		s.startServiceAction(r, "finishing-upgrade", s.finishUpgradeProc)
	case "rollback":
		s.restoreForRollback(r)
		s.startServiceAction(r, "rolling-back", s.rollbackProc)
	case "cancelupgrade":
		s.startServiceAction(r, "canceling-upgrade", func(p *proc) {
			if p.step() {
				p.finish("canceled-upgrade")
			}
		})
	case "continueupgrade":
		s.startServiceAction(r, "upgrading", s.upgradeProc)
	case "restart":
		rr := asMap(body["rollingRestartStrategy"])
		if rr == nil {
			return 0, invalid(codeMissingRequired, "rollingRestartStrategy")
		}
		batch := int(toInt(rr["batchSize"]))
		if batch < 1 {
			batch = 1
		}
		interval := msDuration(rr["intervalMillis"], 2000)
		s.startServiceAction(r, "restarting", func(p *proc) { s.restartService(p, batch, interval) })
	}
	return http.StatusAccepted, nil
}

// upgradeAction validates a serviceUpgrade and starts the upgrade (202, state upgrading).
func (s *Server) upgradeAction(r *resource, body map[string]any) *apiError {
	in := asMap(body["inServiceStrategy"])
	to := asMap(body["toServiceStrategy"])
	switch {
	case in != nil:
		if err := s.validateInService(r, in); err != nil {
			return err
		}
		s.applyInServiceUpgrade(r, in)
	case to != nil:
		target := s.st.get("service", str(to["toServiceId"]))
		if target == nil || target.removedOrRemoving() {
			return invalid(codeInvalidReference, "toServiceId")
		}
		if isGlobal(r) != isGlobal(target) {
			return invalid(codeInvalidOption, "Switching from global scale to fixed (and vice versa)")
		}
		r.f["upgrade"] = map[string]any{"type": "serviceUpgrade", "inServiceStrategy": nil,
			"toServiceStrategy": map[string]any{"type": "toServiceUpgradeStrategy", "toServiceId": target.id(),
				"finalScale": orDefault(to["finalScale"], 1), "batchSize": orDefault(to["batchSize"], 1),
				"intervalMillis": orDefault(to["intervalMillis"], 2000), "updateLinks": toBool(to["updateLinks"])}}
	default:
		return invalid(codeMissingRequired, "Upgrade strategy needs to be set")
	}
	s.startServiceAction(r, "upgrading", s.upgradeProc)
	return nil
}

func (s *Server) containerAction(rc *reqCtx, c *resource, name string, body map[string]any) (int, any, *apiError) {
	switch name {
	case "stop":
		if toBool(body["remove"]) {
			s.removeContainer(c)
		} else {
			s.stopContainer(c)
		}
		s.setState(c, "stopping")
	case "start":
		s.startContainer(c)
		s.setState(c, "starting")
	case "restart":
		s.restartContainer(c)
		s.setState(c, "restarting")
	case "remove":
		return http.StatusAccepted, nil, s.remove(c)
	case "logs":
		return http.StatusOK, s.logsAccess(rc, c), nil
	case "execute", "proxy", "console":
		return http.StatusOK, map[string]any{"type": "hostAccess", "token": newUUID(),
			"url": "ws" + rc.base[len("http"):] + logsPath + "?exec=1", "id": nil, "links": map[string]any{}, "actions": map[string]any{}}, nil
	case "update", "migrate", "error", "purge":
	}
	return http.StatusAccepted, nil, nil
}

func (s *Server) hostAction(h *resource, name string) *apiError {
	switch name {
	case "deactivate":
		s.setState(h, "inactive")
	case "activate":
		s.setState(h, "active")
	case "remove":
		s.removeHost(h)
		return nil
	}
	s.hostsChanged()
	return nil
}

// removeHost loses a host: its containers are gone at once and services reconcile elsewhere.
func (s *Server) removeHost(h *resource) {
	s.markRemoved(h)
	for _, c := range s.st.all("instance") {
		if c.ctr != nil && c.ctr.host == h && c.state() != "removed" {
			s.removeContainerNow(c)
		}
	}
	s.hostsChanged()
}

// hostsChanged lets active services reconcile after the host set changed (global services follow it).
func (s *Server) hostsChanged() {
	for _, svc := range s.st.all("service") {
		if svc.state() == "active" && !svc.running && launchConfigs(svc) != nil && svc.svc != nil {
			s.startProc(svc, s.updateActive)
		}
	}
}

// create dispatches a POST to a collection.
func (s *Server) create(rc *reqCtx, cd collDef, body map[string]any) (*resource, *apiError) {
	switch cd.table {
	case "stack":
		return s.createStack(body)
	case "service":
		return s.createService(cd, body)
	case "pullTask":
		return s.createPullTask(body)
	case "instance":
		return s.createStandalone(body)
	case "host", "project", "setting", "serviceConsumeMap":
		return nil, httpErr(http.StatusMethodNotAllowed)
	}
	return s.createSimple(cd, body)
}

// createSimple stores certificates, volumes and volume templates (active at once).
func (s *Server) createSimple(cd collDef, body map[string]any) (*resource, *apiError) {
	sd := s.schemas.byID[cd.schema]
	f := filterFields(sd, body, false)
	if name, _ := f["name"].(string); name == "" && cd.table != "volume" {
		return nil, invalid(codeMissingRequired, "name")
	}
	f["state"] = "active"
	if cd.table == "volume" || cd.table == "volumeTemplate" {
		if f["driver"] == nil {
			f["driver"] = "local"
		}
	}
	return s.st.insert(&resource{typ: cd.schema, table: cd.table, f: f}, s.clk.Now()), nil
}

// createStandalone runs a container that belongs to no service.
func (s *Server) createStandalone(body map[string]any) (*resource, *apiError) {
	sd := s.schemas.byID["container"]
	f := filterFields(sd, body, false)
	if err := checkImages(map[string]any{"launchConfig": f}); err != nil {
		return nil, err
	}
	f["state"] = "requested"
	f["startCount"] = 0
	c := &resource{typ: "container", table: "instance", f: f}
	hosts := s.activeHosts()
	c.ctr = &ctrData{managed: true, behavior: s.behaviorFor(str(f["imageUuid"])), unit: newUUID()}
	if len(hosts) == 0 {
		c.ctr.placeErr = "Allocation failed: No healthy hosts with sufficient resources available"
	} else {
		c.ctr.host = hosts[0]
	}
	s.st.insert(c, s.clk.Now())
	if f["name"] == nil {
		f["name"] = "sim-container-" + itoa(c.num)
	}
	s.startContainer(c)
	return c, nil
}

// update dispatches a PUT.
func (s *Server) update(rc *reqCtx, r *resource, body map[string]any) *apiError {
	switch r.table {
	case "service":
		return s.updateService(r, body)
	case "host":
		s.applyFields(r, filterFields(s.schemas.byID["host"], body, true))
		s.hostsChanged()
		return nil
	}
	s.applyFields(r, filterFields(s.schemas.byID[r.typ], body, true))
	s.changedAmong(r)
	return nil
}

// remove dispatches a DELETE or a remove action.
func (s *Server) remove(r *resource) *apiError {
	switch r.table {
	case "service":
		return s.removeService(r)
	case "stack":
		return s.removeStack(r)
	case "instance":
		if r.removedOrRemoving() {
			return httpErr(http.StatusMethodNotAllowed)
		}
		if r.ctr != nil {
			r.ctr.managed = false
		}
		s.removeContainer(r)
		s.setState(r, "removing")
		if r.ctr != nil {
			s.containerChanged(r)
		}
		return nil
	case "host":
		s.removeHost(r)
		return nil
	}
	if r.removedOrRemoving() {
		return httpErr(http.StatusMethodNotAllowed)
	}
	s.startProc(r, func(p *proc) {
		if p.enter("removing") && p.step() {
			s.markRemoved(r)
		}
	})
	s.setState(r, "removing")
	return nil
}
