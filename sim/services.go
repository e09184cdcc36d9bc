package sim

import (
	"net/http"
	"strings"
)

// createService validates and stores a service of any kind; it starts "registering".
func (s *Server) createService(cd collDef, body map[string]any) (*resource, *apiError) {
	kind := cd.kind
	if kind == "" {
		kind = "service"
		if t, _ := body["type"].(string); t == "loadBalancerService" || t == "dnsService" || t == "externalService" {
			kind = t
		}
	}
	sd := s.schemas.byID[kind]
	f := filterFields(sd, body, false)
	if err := s.validateService(kind, f, nil); err != nil {
		return nil, err
	}
	if _, ok := f["scale"]; !ok && sd.fieldByName["scale"].Name != "" {
		f["scale"] = 1
	}
	f["kind"] = kind
	f["state"] = "registering"
	f["currentScale"] = 0
	f["system"] = false
	if _, ok := f["startOnCreate"]; !ok {
		f["startOnCreate"] = false
	}
	if _, ok := f["assignServiceIpAddress"]; ok || sd.fieldByName["assignServiceIpAddress"].Name != "" {
		if f["assignServiceIpAddress"] == nil {
			f["assignServiceIpAddress"] = false
		}
	}
	if lc := asMap(f["launchConfig"]); lc != nil {
		f["launchConfig"] = normalizeLaunchConfig(lc, "launchConfig", "0")
		if kind == "loadBalancerService" {
			injectBalancer(asMap(f["launchConfig"]))
		}
	}
	var sides []any
	for _, x := range asList(f["secondaryLaunchConfigs"]) {
		sides = append(sides, normalizeLaunchConfig(asMap(x), "secondaryLaunchConfig", "0"))
	}
	if sides != nil {
		f["secondaryLaunchConfigs"] = sides
	}
	r := s.st.insert(&resource{typ: kind, table: "service", f: f, svc: &svcData{}}, s.clk.Now())
	r.f["createIndex"] = r.num
	if kind != "service" && kind != "loadBalancerService" {
		r.f["healthState"] = "healthy"
	}
	s.updateSelectorLinks(r)
	if aerr := s.setPorts(r); aerr != nil {
		r.trError, r.trMsg = true, aerr.Message
		return r, nil
	}
	s.startProc(r, s.registerService)
	return r, nil
}

// validateService applies §3.5's business rules. existing is the service being updated, or nil.
func (s *Server) validateService(kind string, f map[string]any, existing *resource) *apiError {
	name, _ := f["name"].(string)
	if err := validateDNSName("name", name); err != nil {
		return err
	}
	stack := s.st.get("stack", str(f["stackId"]))
	if stack == nil || stack.removedOrRemoving() || stack.state() == "error" {
		e := invalid(codeInvalidState, "stackId")
		e.Message = "stack is not in a valid state"
		return e
	}
	f["stackId"] = stack.id()
	names := []string{name}
	for _, x := range asList(f["secondaryLaunchConfigs"]) {
		n, _ := asMap(x)["name"].(string)
		if err := validateDNSName("name", n); err != nil {
			return err
		}
		names = append(names, n)
	}
	if err := s.checkUniqueInStack(stack, names, existing); err != nil {
		return err
	}
	if err := checkSidekickRefs(f); err != nil {
		return err
	}
	if kind != "dnsService" && kind != "externalService" {
		if err := checkImages(f); err != nil {
			return err
		}
		if err := checkPorts(f); err != nil {
			return err
		}
	}
	if kind == "loadBalancerService" {
		if err := checkBalancer(f); err != nil {
			return err
		}
	}
	if kind == "externalService" && f["hostname"] != nil && len(asList(f["externalIpAddresses"])) > 0 {
		return invalid(codeInvalidOption, "hostname")
	}
	if err := checkScalePolicy(f["scalePolicy"]); err != nil {
		return err
	}
	return checkMetadata(f["metadata"])
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// checkUniqueInStack: names (service and sidekicks) must not collide, case-insensitively, with any
// non-removed service or sidekick in the stack; services still "removing" count.
func (s *Server) checkUniqueInStack(stack *resource, names []string, existing *resource) *apiError {
	sid := stack.id()
	idx := s.svcIndexed()
	for _, name := range names {
		for _, svc := range idx.named(sid, name) {
			if s.nameTakenBy(svc, sid, names, existing) {
				return invalid(codeNotUnique, "name")
			}
		}
	}
	return nil
}

// nameTakenBy reports whether svc, in stack sid and not removed, has one of names.
func (s *Server) nameTakenBy(svc *resource, sid string, names []string, existing *resource) bool {
	if svc.str("stackId") != sid || svc == existing || svc.state() == "removed" {
		return false
	}
	if nameTaken(names, svc.str("name")) {
		return true
	}
	for _, x := range asList(svc.f["secondaryLaunchConfigs"]) {
		if nameTaken(names, str(asMap(x)["name"])) {
			return true
		}
	}
	return false
}

// nameTaken reports whether taken is one of names, case-insensitively.
func nameTaken(names []string, taken string) bool {
	for _, n := range names {
		if len(n) == len(taken) && strings.EqualFold(n, taken) {
			return true
		}
	}
	return false
}

// checkImages requires imageUuid "docker:<image>" on every launch config that has one.
func checkImages(f map[string]any) *apiError {
	lcs := []map[string]any{asMap(f["launchConfig"])}
	for _, x := range asList(f["secondaryLaunchConfigs"]) {
		lcs = append(lcs, asMap(x))
	}
	for _, lc := range lcs {
		if lc == nil {
			continue
		}
		img, _ := lc["imageUuid"].(string)
		if img == "" || img == "rancher/none" {
			continue
		}
		if !strings.HasPrefix(img, "docker:") || len(img) == len("docker:") {
			return invalid(codeInvalidReference, "imageUuid")
		}
	}
	return nil
}

func checkBalancer(f map[string]any) *apiError {
	lb := asMap(f["lbConfig"])
	if lb == nil {
		return invalid(codeMissingRequired, "lbConfig")
	}
	for _, x := range asList(lb["portRules"]) {
		if toInt(asMap(x)["sourcePort"]) == 42 {
			return invalid(codeInvalidOption, "Port 42 is reserved for service health check")
		}
	}
	return nil
}

// launchConfigDefaults are applied by Cattle's validator (§4.2).
var launchConfigDefaults = map[string]any{
	"kind": "container", "networkMode": "managed", "privileged": false, "publishAllPorts": false,
	"readOnly": false, "stdinOpen": false, "tty": false, "startOnCreate": true, "vcpu": 1,
	"instanceTriggeredStop": "stop", "drainTimeoutMs": 0,
}

func normalizeLaunchConfig(lc map[string]any, typ, version string) map[string]any {
	out := stripLinks(deepCopy(lc)).(map[string]any)
	for key, typ := range addonTypes {
		if m := asMap(out[key]); m != nil {
			m["type"] = typ
		}
	}
	for k, v := range launchConfigDefaults {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	out["type"] = typ
	out["version"] = version
	return out
}

// injectBalancer adds what Cattle adds to load balancer launch configs.
func injectBalancer(lc map[string]any) {
	labels := asMap(lc["labels"])
	if labels == nil {
		labels = map[string]any{}
	}
	labels["io.rancher.container.agent.role"] = "environmentAdmin"
	labels["io.rancher.container.create_agent"] = "true"
	lc["labels"] = labels
	if lc["healthCheck"] == nil {
		lc["healthCheck"] = map[string]any{"type": "instanceHealthCheck", "port": 42, "interval": 2000,
			"responseTimeout": 2000, "healthyThreshold": 2, "unhealthyThreshold": 3, "strategy": "recreate"}
	}
}

// scheduleUpdateFields trigger the update process when their value changes.
var scheduleUpdateFields = []string{"scale", "scalePolicy", "selectorContainer", "lbConfig"}

// updateService applies updatable fields; a changed scale runs `update` (reconcile) when the state
// allows, and answers 409 otherwise, the values saved all the same (as Cattle does).
func (s *Server) updateService(r *resource, body map[string]any) *apiError {
	sd := s.schemas.byID[r.typ]
	f := filterFields(sd, body, true)
	if n, ok := f["name"].(string); ok && n != r.str("name") {
		if err := validateDNSName("name", n); err != nil {
			return err
		}
		if err := s.checkUniqueInStack(s.st.get("stack", r.str("stackId")), []string{n}, r); err != nil {
			return err
		}
	}
	if err := checkScalePolicy(f["scalePolicy"]); err != nil {
		return err
	}
	if err := checkMetadata(f["metadata"]); err != nil {
		return err
	}
	changed := false
	for _, k := range scheduleUpdateFields {
		if v, ok := f[k]; ok && !jsonEqual(v, r.f[k]) {
			changed = true
		}
	}
	st := r.state()
	s.applyFields(r, f)
	s.updateSelectorLinks(r)
	s.changedAmong(r)
	if !changed {
		return nil
	}
	switch {
	case st == "active" || st == "updating-active":
		s.startProc(r, s.updateActive)
		s.setState(r, "updating-active")
	case st == "activating":
		s.startProc(r, s.activateService)
	case st == "inactive":
		s.startProc(r, s.updateInactive)
		s.setState(r, "updating-inactive")
	case !updateStartStates[st]:
		return httpErr(http.StatusConflict)
	}
	return nil
}

// updateStartStates are service.update's start states (spring-process-context.xml). Cattle saves the
// fields before it schedules the process (AbstractObjectResourceManager.updateInternal, no
// transaction), so a PUT in another state keeps its values and answers 409 (ProcessCancelException).
// In the transitioning ones the update rides on the running process, which reconciles to the new scale.
var updateStartStates = setOf("inactive", "active", "updating-active", "finishing-upgrade", "activating",
	"canceling-upgrade", "upgrading", "rolling-back")

// applyFields stores an update's fields. Caller holds s.mu.
func (s *Server) applyFields(r *resource, f map[string]any) {
	for k, v := range f {
		if (k == "name" || k == "stackId") && !jsonEqual(r.f[k], v) {
			s.invalidate() // names show in other resources' renderings (linkedServices aliases)
		}
		r.f[k] = v
	}
	s.touch(r)
}

// removeService starts the remove process (405 when already removing/removed).
func (s *Server) removeService(r *resource) *apiError {
	if r.removedOrRemoving() {
		return httpErr(http.StatusMethodNotAllowed)
	}
	s.setState(r, "removing")
	s.startProc(r, s.removeServiceProc)
	return nil
}

// stackServices lists a stack's non-removed services.
func (s *Server) stackServices(stack *resource) []*resource {
	var out []*resource
	id := stack.id()
	for _, svc := range s.st.all("service") {
		if svc.str("stackId") == id && svc.state() != "removed" {
			out = append(out, svc)
		}
	}
	return out
}

// addonTypes are the nested objects Cattle renders with their own "type".
var addonTypes = map[string]string{"healthCheck": "instanceHealthCheck", "logConfig": "logConfig",
	"restartPolicy": "restartPolicy"}

// stripLinks drops the null "links"/"actions" members go-rancher sends inside nested objects.
func stripLinks(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range []string{"links", "actions"} {
			if x, ok := t[k]; ok && x == nil {
				delete(t, k)
			}
		}
		for k, x := range t {
			t[k] = stripLinks(x)
		}
	case []any:
		for i, x := range t {
			t[i] = stripLinks(x)
		}
	}
	return v
}

// checkSidekickRefs: networkLaunchConfig and dataVolumesFromLaunchConfigs must name a launch config
// of the same service (a sidekick, or the primary by the service name, as rancher-compose sends
// for `net: container:<primary>`), and networkLaunchConfig must not loop.
func checkSidekickRefs(f map[string]any) *apiError {
	sides := map[string]map[string]any{}
	if lc := asMap(f["launchConfig"]); lc != nil {
		sides[str(f["name"])] = lc
	}
	for _, x := range asList(f["secondaryLaunchConfigs"]) {
		sides[str(asMap(x)["name"])] = asMap(x)
	}
	lcs := []map[string]any{asMap(f["launchConfig"])}
	for _, x := range asList(f["secondaryLaunchConfigs"]) {
		lcs = append(lcs, asMap(x))
	}
	for _, lc := range lcs {
		if lc == nil {
			continue
		}
		if n := str(lc["networkLaunchConfig"]); n != "" && sides[n] == nil {
			return invalid(codeInvalidReference, "networkLaunchConfig")
		}
		for _, n := range stringList(lc["dataVolumesFromLaunchConfigs"]) {
			if sides[n] == nil {
				return invalid(codeInvalidReference, "dataVolumesFromLaunchConfigs")
			}
		}
		seen := map[string]bool{}
		for n := str(lc["networkLaunchConfig"]); n != ""; n = str(sides[n]["networkLaunchConfig"]) {
			if seen[n] {
				return invalid(codeInvalidReference, "networkLaunchConfig")
			}
			seen[n] = true
		}
	}
	return nil
}
