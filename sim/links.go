package sim

import (
	"strconv"
	"strings"
)

// consumeMaps lists a service's live links: outbound (it consumes) or inbound (consumed by others).
func (s *Server) consumeMaps(svc *resource, inbound bool) []*resource {
	var out []*resource
	field := "serviceId"
	if inbound {
		field = "consumedServiceId"
	}
	for _, m := range s.st.linksWith(field, svc.id()) {
		if !m.removedOrRemoving() {
			out = append(out, m)
		}
	}
	return out
}

type linkSpec struct{ target, name string }

// parseLinks validates serviceLink entries (setservicelinks / addservicelink input).
func (s *Server) parseLinks(list []any) ([]linkSpec, *apiError) {
	var out []linkSpec
	seen := map[string]bool{}
	for _, x := range list {
		m := asMap(x)
		id := str(m["serviceId"])
		if id == "" {
			return nil, invalid(codeMissingRequired, "serviceId")
		}
		t := s.st.get("service", id)
		if t == nil {
			return nil, invalid(codeInvalidReference, "serviceId")
		}
		if t.removedOrRemoving() {
			return nil, invalid(codeInvalidReference, "Service "+t.str("name")+" is removed")
		}
		name := str(m["name"])
		key := t.id() + "/" + strings.ToLower(name)
		if seen[key] {
			return nil, invalid(codeNotUnique, "serviceId and link name combination")
		}
		seen[key] = true
		out = append(out, linkSpec{target: t.id(), name: name})
	}
	return out, nil
}

// setServiceLinks replaces the service's outbound links (200, not a process).
func (s *Server) setServiceLinks(r *resource, list []any) *apiError {
	links, err := s.parseLinks(list)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	for _, l := range links {
		want[l.target+"/"+l.name] = true
	}
	have := map[string]bool{}
	for _, m := range s.consumeMaps(r, false) {
		key := m.str("consumedServiceId") + "/" + m.str("name")
		if !want[key] || m.boolean("selector") {
			s.markRemoved(m)
			continue
		}
		have[key] = true
	}
	for _, l := range links {
		if !have[l.target+"/"+l.name] {
			s.addConsumeMap(r, l)
		}
	}
	s.changedAmong(r)
	return nil
}

func (s *Server) addServiceLink(r *resource, m map[string]any) *apiError {
	links, err := s.parseLinks([]any{m})
	if err != nil {
		return err
	}
	for _, cm := range s.consumeMaps(r, false) {
		if cm.str("consumedServiceId") == links[0].target {
			return invalid(codeNotUnique, "serviceId")
		}
	}
	s.addConsumeMap(r, links[0])
	return nil
}

func (s *Server) removeServiceLink(r *resource, m map[string]any) *apiError {
	id := str(m["serviceId"])
	if id == "" {
		return invalid(codeMissingRequired, "serviceId")
	}
	n, _ := parseID(id)
	for _, cm := range s.consumeMaps(r, false) {
		if cn, _ := parseID(cm.str("consumedServiceId")); cn == n {
			s.markRemoved(cm)
		}
	}
	s.changedAmong(r)
	return nil
}

func (s *Server) addConsumeMap(r *resource, l linkSpec) *resource {
	name := l.name
	if name == "" {
		if t := s.st.get("service", l.target); t != nil {
			name = t.str("name")
		}
	}
	return s.st.insert(&resource{typ: "serviceConsumeMap", table: "serviceConsumeMap", f: map[string]any{
		"serviceId": r.id(), "consumedServiceId": l.target, "name": name, "state": "active",
		"kind": "serviceConsumeMap", "ports": []any{},
	}}, s.clk.Now())
}

// linkedServices is the service's alias → service id map; cross-stack aliases default to stack/name.
func (s *Server) linkedServices(svc *resource) map[string]any {
	out := map[string]any{}
	for _, m := range s.consumeMaps(svc, false) {
		t := s.st.get("service", m.str("consumedServiceId"))
		if t == nil {
			continue
		}
		alias := m.str("name")
		if t.str("stackId") != svc.str("stackId") && alias == t.str("name") {
			if st := s.st.get("stack", t.str("stackId")); st != nil {
				alias = st.str("name") + "/" + alias
			}
		}
		out[alias] = t.id()
	}
	return out
}

// removeLinksOf removes every link to or from svc.
func (s *Server) removeLinksOf(svc *resource) {
	for _, m := range append(s.consumeMaps(svc, false), s.consumeMaps(svc, true)...) {
		s.markRemoved(m)
	}
}

// cloneInboundLinks makes every service consuming src consume dst too (toService updateLinks).
func (s *Server) cloneInboundLinks(src, dst *resource) {
	for _, m := range s.consumeMaps(src, true) {
		consumer := s.st.get("service", m.str("serviceId"))
		if consumer == nil {
			continue
		}
		dup := false
		for _, o := range s.consumeMaps(consumer, false) {
			if o.str("consumedServiceId") == dst.id() {
				dup = true
			}
		}
		if !dup {
			s.addConsumeMap(consumer, linkSpec{target: dst.id(), name: m.str("name")})
		}
	}
}

// updateSelectorLinks links services through selectorLink: svc consumes every service whose
// primary labels match its selector, and services whose selector matches svc consume it.
func (s *Server) updateSelectorLinks(svc *resource) {
	if svc.removedOrRemoving() {
		return
	}
	own := svc.str("selectorLink") != ""
	others := s.st.all("service")
	if !own {
		others = s.svcIndexed().selectors // only theirs can link: those that have a selector, in the same order
	}
	for _, other := range others {
		theirs := other.str("selectorLink") != ""
		if other == svc || (!own && !theirs) || other.removedOrRemoving() {
			continue // most services have no selector: one field read each, not two selector checks
		}
		if own {
			s.selectorLink(svc, other)
		}
		if theirs {
			s.selectorLink(other, svc)
		}
	}
}

func (s *Server) selectorLink(consumer, target *resource) {
	sel := consumer.str("selectorLink")
	if sel == "" || !matchSelector(sel, stringMap(asMap(target.f["launchConfig"])["labels"])) {
		return
	}
	for _, m := range s.consumeMaps(consumer, false) {
		if m.str("consumedServiceId") == target.id() {
			return
		}
	}
	m := s.addConsumeMap(consumer, linkSpec{target: target.id()})
	m.f["selector"] = true
}

// matchSelector evaluates a Rancher label selector: "a=b, c!=d, e in (x,y), f notin (x), g".
func matchSelector(sel string, labels map[string]string) bool {
	for _, term := range splitSelector(sel) {
		term = strings.TrimSpace(term)
		if term == "" {
			continue
		}
		lower := strings.ToLower(term)
		switch {
		case strings.Contains(lower, " notin "):
			k, vals := inTerm(term, " notin ")
			if contains(vals, labels[k]) {
				return false
			}
		case strings.Contains(lower, " in "):
			k, vals := inTerm(term, " in ")
			v, ok := labels[k]
			if !ok || !contains(vals, v) {
				return false
			}
		case strings.Contains(term, "!="):
			kv := strings.SplitN(term, "!=", 2)
			if labels[strings.TrimSpace(kv[0])] == strings.TrimSpace(kv[1]) {
				return false
			}
		case strings.Contains(term, "="):
			kv := strings.SplitN(term, "=", 2)
			v, ok := labels[strings.TrimSpace(kv[0])]
			if !ok || v != strings.TrimSpace(kv[1]) {
				return false
			}
		default:
			if _, ok := labels[term]; !ok {
				return false
			}
		}
	}
	return true
}

func splitSelector(sel string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range sel {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, sel[start:i])
				start = i + 1
			}
		}
	}
	return append(out, sel[start:])
}

func inTerm(term, op string) (string, []string) {
	i := strings.Index(strings.ToLower(term), op)
	key := strings.TrimSpace(term[:i])
	rest := strings.Trim(strings.TrimSpace(term[i+len(op):]), "()")
	var vals []string
	for _, v := range strings.Split(rest, ",") {
		vals = append(vals, strings.TrimSpace(v))
	}
	return key, vals
}

// publicEndpoints lists the published host ports of the service's running containers.
func (s *Server) publicEndpoints(rc *reqCtx, svc *resource) []any {
	out := []any{}
	for _, c := range s.managedContainers(svc) {
		if c.state() != "running" || c.ctr.host == nil {
			continue
		}
		for _, p := range stringList(c.f["ports"]) {
			port, ok := publishedPort(p)
			if !ok {
				continue
			}
			out = append(out, map[string]any{"type": "publicEndpoint", "ipAddress": c.ctr.host.str("agentIpAddress"),
				"port": port, "hostId": c.ctr.host.id(), "instanceId": c.id(), "serviceId": svc.id()})
		}
	}
	return out
}

// publishedPort extracts the host port of "8080:80/tcp" or "0.0.0.0:8080:80".
func publishedPort(spec string) (int, bool) {
	spec = strings.SplitN(spec, "/", 2)[0]
	parts := strings.Split(spec, ":")
	if len(parts) < 2 {
		return 0, false
	}
	n, err := strconv.Atoi(parts[len(parts)-2])
	return n, err == nil
}

// selectedContainers are the standalone containers a selectorContainer service adopts (its labels
// selector matches them); they show in instanceIds and links.instances.
func (s *Server) selectedContainers(svc *resource) []*resource {
	sel := svc.str("selectorContainer")
	if sel == "" {
		return nil
	}
	var out []*resource
	for _, c := range s.st.all("instance") {
		if c.ctr != nil && c.ctr.service == nil && c.state() != "removed" && matchSelector(sel, stringMap(c.f["labels"])) {
			out = append(out, c)
		}
	}
	return out
}
