package sim

import (
	"net/http"
	"strings"
)

// createStack validates and stores a stack: activating → active.
func (s *Server) createStack(body map[string]any) (*resource, *apiError) {
	f := filterFields(s.schemas.byID["stack"], body, false)
	name, _ := f["name"].(string)
	if err := validateDNSName("name", name); err != nil {
		return nil, err
	}
	if strings.HasPrefix(name, "-") || strings.HasSuffix(name, "-") {
		return nil, invalid(codeInvalidCharacters, "name")
	}
	for _, st := range s.st.all("stack") {
		if st.state() != "removed" && strings.EqualFold(st.str("name"), name) {
			return nil, invalid(codeNotUnique, "name")
		}
	}
	f["state"] = "activating"
	f["kind"] = "stack"
	f["system"] = false
	if f["startOnCreate"] == nil {
		f["startOnCreate"] = false
	}
	r := s.st.insert(&resource{typ: "stack", table: "stack", f: f}, s.clk.Now())
	s.startProc(r, func(p *proc) {
		if !p.enter("activating") || !p.step() {
			return
		}
		if str(r.f["dockerCompose"]) != "" && !s.executeCompose(p) {
			return
		}
		p.finish("active")
	})
	return r, nil
}

// removeStack removes every service, then the stack.
func (s *Server) removeStack(r *resource) *apiError {
	if r.removedOrRemoving() {
		return httpErr(http.StatusMethodNotAllowed)
	}
	s.startServiceAction(r, "removing", func(p *proc) {
		for _, svc := range s.stackServices(r) {
			if !svc.removedOrRemoving() {
				_ = s.removeService(svc)
			}
		}
		if !p.waitFor(func() bool { return len(s.stackServices(r)) == 0 }) || !p.step() {
			return
		}
		s.markRemoved(r)
	})
	return nil
}

// stackAction runs a stack action; API handler actions answer 200 with their own output.
func (s *Server) stackAction(rc *reqCtx, r *resource, name string, body map[string]any) (int, any, *apiError) {
	switch name {
	case "activateservices":
		for _, svc := range s.stackServices(r) {
			if svc.state() == "inactive" {
				s.startServiceAction(svc, "activating", s.activateService)
			}
		}
		return http.StatusOK, nil, nil
	case "deactivateservices":
		for _, svc := range s.stackServices(r) {
			if contains(serviceActions[svc.state()], "deactivate") {
				s.startServiceAction(svc, "deactivating", s.deactivateService)
			}
		}
		return http.StatusOK, nil, nil
	case "exportconfig":
		return http.StatusOK, s.exportConfig(r, stringList(body["serviceIds"])), nil
	case "addoutputs":
		outs := asMap(r.f["outputs"])
		if outs == nil {
			outs = map[string]any{}
		}
		for k, v := range asMap(body["outputs"]) {
			outs[k] = v
		}
		r.f["outputs"] = outs
		s.touch(r)
		return http.StatusOK, nil, nil
	case "remove":
		return http.StatusAccepted, nil, s.removeStack(r)
	case "update":
		s.startServiceAction(r, "updating-active", func(p *proc) {
			if p.step() {
				p.finish("active")
			}
		})
	case "upgrade":
		in := upgradeInputOf(body)
		s.startServiceAction(r, "upgrading", func(p *proc) {
			if !p.step() {
				return
			}
			if in.dockerCompose != "" {
				vars, ok := s.upgradeCompose(p, in)
				if !ok {
					return
				}
				r.f["dockerCompose"], r.f["rancherCompose"] = in.dockerCompose, in.rancherCompose
				s.replyStackUpgrade(r, in, vars)
			}
			p.finish("upgraded")
		})
	case "finishupgrade":
		s.startServiceAction(r, "finishing-upgrade", func(p *proc) {
			s.forStackServices(p, "upgraded", "finishing-upgrade", s.finishUpgradeProc)
			if p.alive() && r.state() == "active" {
				r.f["previousExternalId"], r.f["previousEnvironment"] = nil, nil
				s.touch(r)
			}
		})
	case "rollback":
		s.startServiceAction(r, "rolling-back", func(p *proc) {
			for _, svc := range s.stackServices(r) {
				if contains(serviceActions[svc.state()], "rollback") {
					s.restoreForRollback(svc)
				}
			}
			s.forStackServices(p, "", "rolling-back", s.rollbackProc)
			if p.alive() && r.state() == "active" {
				s.replyStackRollback(r)
			}
		})
	case "cancelupgrade":
		s.startServiceAction(r, "canceling-upgrade", func(p *proc) {
			if p.step() {
				p.finish("canceled-upgrade")
			}
		})
	case "error":
		s.startServiceAction(r, "erroring", func(p *proc) {
			if p.step() {
				p.finish("error")
			}
		})
	}
	return http.StatusAccepted, nil, nil
}

// forStackServices runs a service process on each service of the stack in state from ("" = any
// state where it is legal), waits for them to settle, and sets the stack active.
func (s *Server) forStackServices(p *proc, from, state string, fn func(*proc)) {
	var started []*resource
	for _, svc := range s.stackServices(p.r) {
		ok := svc.state() == from
		if from == "" {
			ok = contains(serviceActions[svc.state()], "rollback")
		}
		if ok {
			s.startServiceAction(svc, state, fn)
			started = append(started, svc)
		}
	}
	if !p.waitFor(func() bool {
		for _, svc := range started {
			if transitioningStates[svc.state()] && !svc.trError {
				return false
			}
		}
		return true
	}) {
		return
	}
	p.finish("active")
}

// stackUpgradeInput is the stackUpgrade action input the executor reads.
type stackUpgradeInput struct {
	dockerCompose, rancherCompose, externalID string
	environment                               map[string]string
}

func upgradeInputOf(body map[string]any) stackUpgradeInput {
	in := stackUpgradeInput{dockerCompose: str(body["dockerCompose"]), rancherCompose: str(body["rancherCompose"]),
		externalID: str(body["externalId"])}
	if body["environment"] != nil {
		in.environment = stringMap(body["environment"])
	}
	return in
}

// replyStackUpgrade stores what the executor's upgrade reply sets (rancher-compose-executor
// executor/handlers/upgrade_handler.go upgradeEnvironment): the new externalId ("" when the upgrade
// named none), the merged environment, and the previous values, kept from an earlier unfinished
// upgrade or else the current ones ("" for a stack without externalId).
func (s *Server) replyStackUpgrade(r *resource, in stackUpgradeInput, env any) {
	prevID := str(r.f["previousExternalId"])
	if prevID == "" {
		prevID = str(r.f["externalId"])
	}
	prevEnv := r.f["previousEnvironment"]
	if len(asMap(prevEnv)) == 0 {
		prevEnv = r.f["environment"]
	}
	r.f["externalId"] = in.externalID
	r.f["environment"] = env
	r.f["previousExternalId"] = prevID
	r.f["previousEnvironment"] = prevEnv
	s.touch(r)
}

// replyStackRollback is RollbackStack's reply: externalId and environment go back to the previous
// ones where there are some (a previous externalId of "" keeps the new one), previous* are cleared.
func (s *Server) replyStackRollback(r *resource) {
	if id := str(r.f["previousExternalId"]); id != "" {
		r.f["externalId"] = id
	}
	if env := asMap(r.f["previousEnvironment"]); len(env) > 0 {
		r.f["environment"] = env
	}
	r.f["previousExternalId"], r.f["previousEnvironment"] = nil, nil
	s.touch(r)
}
