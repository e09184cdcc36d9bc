package sim

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// composeService is one service of a stack's dockerCompose/rancherCompose text, ready to create.
type composeService struct {
	name  string
	body  map[string]any
	links []linkSpec // target names in linkSpec.target, resolved to ids after creation
	lb    bool
}

// parseComposeText reads compose text the way the server-side compose executor does (§4.1.1), for
// the keys a simulated deployment needs: image, command, entrypoint, environment, labels, ports,
// expose, volumes, volumes_from, net/network_mode, mem_limit, links and io.rancher.sidekicks; from
// rancher-compose: scale, health_check, retain_ip, start_on_create and lb_config.
// String values are interpolated with vars first (interpolate.go).
func parseComposeText(dockerCompose, rancherCompose string, vars map[string]string) ([]composeService, error) {
	dc, err := composeServices(dockerCompose, "docker-compose", vars)
	if err != nil {
		return nil, err
	}
	rc, err := composeServices(rancherCompose, "rancher-compose", vars)
	if err != nil {
		return nil, err
	}
	sidekickOf := map[string]string{}
	for name, m := range dc {
		for _, sk := range strings.Split(str(labelsOf(m["labels"])["io.rancher.sidekicks"]), ",") {
			if sk = strings.TrimSpace(sk); sk != "" {
				sidekickOf[sk] = name
			}
		}
	}
	var out []composeService
	for _, name := range sortedKeys(dc) {
		if sidekickOf[name] != "" {
			continue
		}
		cs, err := composeToService(name, dc, rc, sidekickOf)
		if err != nil {
			return nil, err
		}
		out = append(out, cs)
	}
	return out, nil
}

func composeServices(text, file string, vars map[string]string) (map[string]map[string]any, error) {
	out := map[string]map[string]any{}
	if strings.TrimSpace(text) == "" {
		return out, nil
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	interpolateValues(doc, vars)
	services := doc
	if m, ok := doc["services"].(map[string]any); ok {
		services = m
	}
	for name, v := range services {
		if name == "version" || name == "volumes" || name == "networks" {
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: service %s: expected a mapping", file, name)
		}
		out[name] = m
	}
	return out, nil
}

func composeToService(name string, dc, rc map[string]map[string]any, sidekickOf map[string]string) (composeService, error) {
	m := dc[name]
	r := rc[name]
	image := str(m["image"])
	cs := composeService{name: name, body: map[string]any{"name": name}}
	switch {
	case strings.HasPrefix(image, "rancher/external-service"):
		cs.body["type"] = "externalService"
		cs.body["externalIpAddresses"] = toAnyList(r["external_ips"])
		if h := str(r["hostname"]); h != "" {
			cs.body["hostname"] = h
		}
	case strings.HasPrefix(image, "rancher/dns-service"):
		cs.body["type"] = "dnsService"
	default:
		lc, err := composeLaunchConfig(name, m)
		if err != nil {
			return cs, err
		}
		if hc := asMap(r["health_check"]); hc != nil {
			lc["healthCheck"] = camelKeys(hc)
		}
		cs.body["launchConfig"] = lc
		var sides []any
		for _, sk := range sortedKeys(sidekickOf) {
			if sidekickOf[sk] != name {
				continue
			}
			sm, ok := dc[sk]
			if !ok {
				return cs, fmt.Errorf("service %s: sidekick %s is not defined", name, sk)
			}
			slc, err := composeLaunchConfig(sk, sm)
			if err != nil {
				return cs, err
			}
			slc["name"] = sk
			sides = append(sides, slc)
		}
		if sides != nil {
			cs.body["secondaryLaunchConfigs"] = sides
		}
		if strings.HasPrefix(image, "rancher/lb-service-haproxy") {
			cs.body["type"] = "loadBalancerService"
			cs.lb = true
			cs.body["lbConfig"] = camelKeys(asMap(r["lb_config"]))
		}
	}
	if v, ok := r["scale"]; ok {
		cs.body["scale"] = v
	}
	if v, ok := r["retain_ip"]; ok {
		cs.body["retainIp"] = v
	}
	for _, l := range stringList(m["links"]) {
		target, alias, _ := strings.Cut(l, ":")
		cs.links = append(cs.links, linkSpec{target: target, name: alias})
	}
	return cs, nil
}

func composeLaunchConfig(name string, m map[string]any) (map[string]any, error) {
	image := str(m["image"])
	if image == "" {
		return nil, fmt.Errorf("service %s: image is required", name)
	}
	lc := map[string]any{"imageUuid": "docker:" + image}
	if v, ok := m["command"]; ok {
		lc["command"] = fieldsOf(v)
	}
	if v, ok := m["entrypoint"]; ok {
		lc["entryPoint"] = fieldsOf(v)
	}
	if v := labelsOf(m["environment"]); len(v) > 0 {
		lc["environment"] = v
	}
	if v := labelsOf(m["labels"]); len(v) > 0 {
		lc["labels"] = v
	}
	for key, field := range map[string]string{"ports": "ports", "expose": "expose", "volumes": "dataVolumes",
		"volumes_from": "dataVolumesFromLaunchConfigs", "dns": "dns"} {
		if v, ok := m[key]; ok {
			lc[field] = toAnyList(v)
		}
	}
	net := firstNonEmpty(str(m["network_mode"]), str(m["net"]))
	if target, ok := strings.CutPrefix(net, "container:"); ok {
		lc["networkMode"] = "container"
		lc["networkLaunchConfig"] = target
	} else if net != "" {
		lc["networkMode"] = net
	}
	if v, ok := m["mem_limit"]; ok {
		lc["memory"] = v
	}
	for key, field := range map[string]string{"privileged": "privileged", "tty": "tty", "stdin_open": "stdinOpen",
		"user": "user", "working_dir": "workingDir", "hostname": "hostname"} {
		if v, ok := m[key]; ok {
			lc[field] = v
		}
	}
	return lc, nil
}

// labelsOf reads a compose map or "K=V" list into a map of strings.
func labelsOf(v any) map[string]any {
	out := map[string]any{}
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if x == nil {
				x = ""
			}
			out[k] = fmt.Sprint(x)
		}
	case []any:
		for _, x := range t {
			k, val, _ := strings.Cut(fmt.Sprint(x), "=")
			out[k] = val
		}
	}
	return out
}

func fieldsOf(v any) []any {
	if s, ok := v.(string); ok {
		return toAnyList(strings.Fields(s))
	}
	return toAnyList(v)
}

func toAnyList(v any) []any {
	out := []any{}
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			out = append(out, fmt.Sprint(x))
		}
	case []string:
		for _, x := range t {
			out = append(out, x)
		}
	case string:
		out = append(out, t)
	}
	return out
}

// camelKeys turns snake_case keys (health_check, lb_config) into the API's camelCase, recursively.
func camelKeys(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		parts := strings.Split(k, "_")
		for i := 1; i < len(parts); i++ {
			if parts[i] != "" {
				parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
			}
		}
		switch t := v.(type) {
		case map[string]any:
			v = camelKeys(t)
		case []any:
			l := make([]any, len(t))
			for i, x := range t {
				if xm, ok := x.(map[string]any); ok {
					l[i] = camelKeys(xm)
				} else {
					l[i] = x
				}
			}
			v = l
		}
		out[strings.Join(parts, "")] = v
	}
	return out
}

// executeCompose creates the services of a stack created with compose text, links them, waits until
// every one is registered (so the stack turns active only with its services inactive, ready for
// activateservices) and, with startOnCreate, activates them; any failure puts the stack in error (§4.1.1).
func (s *Server) executeCompose(p *proc) bool {
	stack := p.r
	s.setMessage(stack, "Creating stack")
	rancherCompose := str(stack.f["rancherCompose"])
	services, err := parseComposeText(str(stack.f["dockerCompose"]), rancherCompose,
		composeVariables(stack.f["environment"], rancherCompose))
	if err != nil {
		s.stackError(stack, err.Error())
		return false
	}
	created := map[string]*resource{}
	sort.SliceStable(services, func(i, j int) bool { return !services[i].lb && services[j].lb })
	for _, cs := range services {
		cs.body["stackId"] = stack.id()
		if cs.lb {
			resolveRuleServices(cs.body, created)
		}
		kind := str(cs.body["type"])
		svc, aerr := s.createService(collDef{table: "service", kind: kind}, cs.body)
		if aerr != nil {
			s.stackError(stack, fmt.Sprintf("creating service %s: %s %s", cs.name, aerr.Code, firstNonEmpty(aerr.FieldName, aerr.Message)))
			return false
		}
		created[cs.name] = svc
	}
	for _, cs := range services {
		var links []any
		for _, l := range cs.links {
			if t := created[l.target]; t != nil {
				links = append(links, map[string]any{"serviceId": t.id(), "name": l.name})
			}
		}
		if links != nil {
			_ = s.setServiceLinks(created[cs.name], links)
		}
	}
	if !p.waitFor(func() bool {
		for _, svc := range created {
			if svc.state() == "registering" && !svc.trError {
				return false
			}
		}
		return true
	}) {
		return false
	}
	for _, cs := range services {
		if svc := created[cs.name]; svc.trError {
			s.stackError(stack, fmt.Sprintf("creating service %s: %s", cs.name, svc.trMsg))
			return false
		}
	}
	if stack.boolean("startOnCreate") {
		for _, svc := range created {
			if svc.state() == "inactive" {
				s.startServiceAction(svc, "activating", s.activateService)
			}
		}
	}
	return true
}

// resolveRuleServices replaces lb_config port rules' service names by ids.
func resolveRuleServices(body map[string]any, created map[string]*resource) {
	for _, x := range asList(asMap(body["lbConfig"])["portRules"]) {
		rule := asMap(x)
		if name := str(rule["service"]); name != "" {
			if t := created[name]; t != nil {
				rule["serviceId"] = t.id()
			}
			delete(rule, "service")
		}
	}
}

func (s *Server) stackError(stack *resource, msg string) {
	s.setState(stack, "error")
	stack.trError = true
	stack.trMsg = msg
	s.changedAmong(stack)
}

// upgradeCompose is the executor's stack upgrade: services whose launch configs differ from the
// new compose text get an in-service upgrade, new ones are created and activated; the stack waits
// until every upgraded service is "upgraded".
// It answers the variables the new text was read with: the stack's environment merged with the
// upgrade's (constructProjectUpgrade), which becomes the stack's environment.
func (s *Server) upgradeCompose(p *proc, in stackUpgradeInput) (map[string]any, bool) {
	stack := p.r
	vars := composeVariables(stack.f["environment"], in.rancherCompose)
	for k, v := range in.environment {
		vars[k] = v
	}
	merged := map[string]any{}
	for k, v := range vars {
		merged[k] = v
	}
	services, err := parseComposeText(in.dockerCompose, in.rancherCompose, vars)
	if err != nil {
		s.stackError(stack, err.Error())
		return nil, false
	}
	existing := map[string]*resource{}
	for _, svc := range s.stackServices(stack) {
		existing[svc.str("name")] = svc
	}
	var upgrading []*resource
	for _, cs := range services {
		svc := existing[cs.name]
		if svc == nil {
			cs.body["stackId"] = stack.id()
			cs.body["startOnCreate"] = true
			if _, aerr := s.createService(collDef{table: "service", kind: str(cs.body["type"])}, cs.body); aerr != nil {
				s.stackError(stack, fmt.Sprintf("creating service %s: %s %s", cs.name, aerr.Code, firstNonEmpty(aerr.FieldName, aerr.Message)))
				return nil, false
			}
			continue
		}
		lc := asMap(cs.body["launchConfig"])
		if lc == nil || !contains(serviceActions[svc.state()], "upgrade") || sameLaunchConfig(asMap(svc.f["launchConfig"]), lc) {
			continue
		}
		in := map[string]any{"launchConfig": lc, "secondaryLaunchConfigs": cs.body["secondaryLaunchConfigs"], "batchSize": 1}
		if aerr := s.validateInService(svc, in); aerr != nil {
			s.stackError(stack, fmt.Sprintf("upgrading service %s: %s %s", cs.name, aerr.Code, aerr.FieldName))
			return nil, false
		}
		s.applyInServiceUpgrade(svc, in)
		s.startServiceAction(svc, "upgrading", s.upgradeProc)
		upgrading = append(upgrading, svc)
	}
	return merged, p.waitFor(func() bool {
		for _, svc := range upgrading {
			if svc.state() == "upgrading" {
				return false
			}
		}
		return true
	})
}

// sameLaunchConfig compares the fields compose text sets, ignoring what the server adds.
func sameLaunchConfig(current, next map[string]any) bool {
	for k, v := range next {
		if !jsonEqual(current[k], normalizeLaunchConfig(map[string]any{k: v}, "launchConfig", "")[k]) {
			return false
		}
	}
	return true
}
