package scheduler

import (
	"fmt"
	"strconv"
	"strings"
)

// hostPort is a published host port: bind IP ("" = all), public port and protocol.
type hostPort struct {
	ip     string
	port   int
	proto  string
	source string
}

func (p hostPort) String() string { return strconv.Itoa(p.port) + "/" + p.proto }

// conflicts reports whether two host ports cannot coexist on one host.
func (p hostPort) conflicts(o hostPort) bool {
	if p.port != o.port || p.proto != o.proto {
		return false
	}
	return anyIP(p.ip) || anyIP(o.ip) || p.ip == o.ip
}

func anyIP(ip string) bool { return ip == "" || ip == "0.0.0.0" }

// parsePortSpec reads a launchConfig port spec ("8080:80/tcp", "0.0.0.0:8080:80", "80/tcp", "80")
// and returns its host port, or ok=false when the spec publishes no fixed host port.
func parsePortSpec(spec string) (hp hostPort, ok bool, err error) {
	body, proto, hasProto := strings.Cut(spec, "/")
	if !hasProto {
		proto = "tcp"
	}
	proto = strings.ToLower(proto)
	if proto != "tcp" && proto != "udp" {
		return hostPort{}, false, fmt.Errorf("port %q: protocol must be tcp or udp", spec)
	}
	parts := strings.Split(body, ":")
	var ip, public string
	switch len(parts) {
	case 1:
		return hostPort{}, false, checkPort(spec, parts[0])
	case 2:
		public = parts[0]
	case 3:
		ip, public = parts[0], parts[1]
	default:
		return hostPort{}, false, fmt.Errorf("port %q: expected [ip:][hostPort:]port[/proto]", spec)
	}
	if err := checkPort(spec, parts[len(parts)-1]); err != nil {
		return hostPort{}, false, err
	}
	if public == "" {
		return hostPort{}, false, nil
	}
	n, err := strconv.Atoi(public)
	if err != nil || n < 1 || n > 65535 {
		return hostPort{}, false, fmt.Errorf("port %q: host port must be 1-65535", spec)
	}
	return hostPort{ip: ip, port: n, proto: proto, source: spec}, true, nil
}

func checkPort(spec, s string) error {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("port %q: container port must be 1-65535", spec)
	}
	return nil
}

// hostPorts parses every spec, keeping the ones that publish a fixed host port.
func hostPorts(specs []string) ([]hostPort, error) {
	var out []hostPort
	for _, s := range specs {
		hp, ok, err := parsePortSpec(s)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, hp)
		}
	}
	return out, nil
}

// duplicateUnitPort returns the message for a host port the unit asks for twice, or "".
func duplicateUnitPort(unit [][]hostPort) string {
	var seen []hostPort
	for _, ports := range unit {
		for _, p := range ports {
			for _, s := range seen {
				if s.conflicts(p) {
					return fmt.Sprintf("Port %s requested more than once.", p)
				}
			}
			seen = append(seen, p)
		}
	}
	return ""
}
