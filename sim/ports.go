package sim

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// Default environment port range (Cattle: environment.services.port.range=49153-65535).
const (
	defaultPortRangeStart = 49153
	defaultPortRangeEnd   = 65535
)

// portSpec is Cattle's PortSpec: "[ip:][public:]private[/protocol]".
type portSpec struct {
	ip       string
	public   int // 0: none given
	private  int
	protocol string
}

var portSpecPattern = regexp.MustCompile(`^(([0-9]+):)?([0-9]+)(/(.*))?$`)

// parsePortSpec reads a port the way PortSpec(String) does; a bad spec is Cattle's 422
// PortWrongFormat / PortInvalidPublicPort / PortInvalidPrivatePort / PortInvalidProtocol.
func parsePortSpec(spec string) (portSpec, *apiError) {
	var p portSpec
	rest := spec
	if parts := strings.Split(spec, "]"); len(parts) == 2 {
		if !strings.HasPrefix(parts[0], "[") {
			return p, portErr("PortWrongFormat", "the specified port spec format is wrong")
		}
		p.ip = strings.TrimPrefix(parts[0], "[")
		rest = strings.TrimPrefix(parts[1], ":")
	} else if strings.Count(spec, ":") == 2 {
		ip, r, _ := strings.Cut(spec, ":")
		p.ip, rest = ip, strings.TrimPrefix(r, ":")
	}
	m := portSpecPattern.FindStringSubmatch(rest)
	if m == nil {
		return p, portErr("PortWrongFormat", "the specified port spec format is wrong")
	}
	p.private, _ = strconv.Atoi(m[3])
	if p.private <= 0 || p.private > 65535 {
		return p, portErr("PortInvalidPrivatePort", "incorrect private port, valid range is 0-65535")
	}
	if m[2] != "" {
		p.public, _ = strconv.Atoi(m[2])
		if p.public <= 0 || p.public > 65535 {
			return p, portErr("PortInvalidPublicPort", "incorrect public port, valid range is 0-65535")
		}
	}
	p.protocol = "tcp"
	if m[4] != "" {
		p.protocol = m[5]
		if p.protocol != "tcp" && p.protocol != "udp" {
			return p, portErr("PortInvalidProtocol", "invalid protocol, only tcp/udp is allowed")
		}
	}
	return p, nil
}

func portErr(code, msg string) *apiError {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: code, Message: msg}
}

// spec is PortSpec.toSpec: "[ip:][public:]private/protocol".
func (p portSpec) spec() string {
	out := strconv.Itoa(p.private) + "/" + p.protocol
	if p.public != 0 {
		out = strconv.Itoa(p.public) + ":" + out
	}
	if p.ip != "" {
		out = p.ip + ":" + out
	}
	return out
}

// checkPorts is ServiceValidationFilter's port check: every port of the primary launch config parses.
func checkPorts(f map[string]any) *apiError {
	for _, x := range asList(asMap(f["launchConfig"])["ports"]) {
		if x == nil {
			return invalid(codeMissingRequired, "ports")
		}
		if _, err := parsePortSpec(str(x)); err != nil {
			return err
		}
	}
	return nil
}

// setPorts is ServiceDiscoveryServiceImpl.setPorts, run by ServiceCreate: every port is rewritten to
// its full spec ("80:80" → "80:80/tcp"); a port without a public one gets one from the environment's
// port pool, except on a load balancer, where the public port is the private one.
func (s *Server) setPorts(svc *resource) *apiError {
	lcs := launchConfigMaps(svc)
	allocate := svc.typ != "loadBalancerService"
	need := 0
	for _, lc := range lcs {
		for _, x := range asList(lc["ports"]) {
			if p, err := parsePortSpec(str(x)); err == nil && p.public == 0 {
				need++
			}
		}
	}
	var pool []int
	if allocate && need > 0 {
		pool = s.freeEnvironmentPorts(need)
		if len(pool) < need {
			e := httpErrMsg(http.StatusInternalServerError, "Not enough environment ports to create service. Needed: "+
				strconv.Itoa(need)+", available: "+strconv.Itoa(len(pool)))
			return e
		}
		svc.svc.poolPorts = append([]int(nil), pool...)
	}
	for _, lc := range lcs {
		ports := asList(lc["ports"])
		if len(ports) == 0 {
			continue
		}
		var fixed, allocated []any
		for _, x := range ports {
			p, err := parsePortSpec(str(x))
			if err != nil {
				fixed = append(fixed, x)
				continue
			}
			switch {
			case p.public != 0:
				fixed = append(fixed, p.spec())
			case !allocate:
				p.public = p.private
				fixed = append(fixed, p.spec())
			default:
				p.public, pool = pool[0], pool[1:]
				allocated = append(allocated, p.spec())
			}
		}
		lc["ports"] = append(fixed, allocated...)
	}
	return nil
}

// launchConfigMaps are the stored primary and secondary launch configs of a service.
func launchConfigMaps(svc *resource) []map[string]any {
	var out []map[string]any
	if lc := asMap(svc.f["launchConfig"]); lc != nil {
		out = append(out, lc)
	}
	for _, x := range asList(svc.f["secondaryLaunchConfigs"]) {
		if lc := asMap(x); lc != nil {
			out = append(out, lc)
		}
	}
	return out
}

// portRange is the project's servicesPortRange.
func (s *Server) portRange() (int, int) {
	start, end := defaultPortRangeStart, defaultPortRangeEnd
	for _, p := range s.st.all("project") {
		if r := asMap(p.f["servicesPortRange"]); r != nil {
			if a, b := int(toInt(r["startPort"])), int(toInt(r["endPort"])); a > 0 && b >= a {
				start, end = a, b
			}
		}
	}
	return start, end
}

// freeEnvironmentPorts hands out up to n ports of the range not held by a live service, lowest first
// (Cattle's generator starts at a random point of the range; a simulator wants repeatable runs).
func (s *Server) freeEnvironmentPorts(n int) []int {
	used := map[int]bool{}
	for _, svc := range s.st.all("service") {
		if svc.svc != nil && svc.state() != "removed" {
			for _, p := range svc.svc.poolPorts {
				used[p] = true
			}
		}
	}
	start, end := s.portRange()
	var out []int
	for p := start; p <= end && len(out) < n; p++ {
		if !used[p] {
			out = append(out, p)
		}
	}
	return out
}

// preserveOldRandomPorts is ServiceDiscoveryUtil.preserveOldRandomPorts, run when an in-service upgrade
// switches the primary launch config: a new port without a public port keeps the public port the old
// config had for the same private port; if any did, every new port is rewritten to its full spec, one
// per private port (Cattle keys them by private port). Nothing is allocated here.
func preserveOldRandomPorts(newLC, oldLC map[string]any) {
	oldPorts := portsByPrivate(oldLC)
	newPorts := portsByPrivate(newLC)
	changed := false
	for i, p := range newPorts.specs {
		if old, ok := oldPorts.byPrivate(p.private); ok && p.public == 0 {
			newPorts.specs[i].public = old.public
			changed = true
		}
	}
	if !changed {
		return
	}
	var out []any
	for _, p := range newPorts.specs {
		out = append(out, p.spec())
	}
	newLC["ports"] = out
}

// privatePortMap is Cattle's LinkedHashMap<privatePort, PortSpec>: insertion order, last spec wins.
type privatePortMap struct{ specs []portSpec }

func portsByPrivate(lc map[string]any) privatePortMap {
	var m privatePortMap
	for _, x := range asList(lc["ports"]) {
		p, err := parsePortSpec(str(x))
		if err != nil {
			continue
		}
		if i := m.index(p.private); i >= 0 {
			m.specs[i] = p
			continue
		}
		m.specs = append(m.specs, p)
	}
	return m
}

func (m privatePortMap) index(private int) int {
	for i, p := range m.specs {
		if p.private == private {
			return i
		}
	}
	return -1
}

func (m privatePortMap) byPrivate(private int) (portSpec, bool) {
	if i := m.index(private); i >= 0 {
		return m.specs[i], true
	}
	return portSpec{}, false
}
