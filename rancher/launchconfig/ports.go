package launchconfig

import (
	"fmt"
	"net"
	"strconv"
	"strings"
)

// dockerPorts turns compose ports and expose into Docker's ExposedPorts and PortBindings, with the rules
// of docker/go-connections nat.ParsePortSpecs that libcompose used (ranges expand, "tcp" by default).
func dockerPorts(ports, expose []string) (map[string]struct{}, map[string][]PortBinding, error) {
	exposed := map[string]struct{}{}
	bindings := map[string][]PortBinding{}
	if err := parsePortSpecs(ports, exposed, bindings); err != nil {
		return nil, nil, fmt.Errorf("ports: %w", err)
	}
	if err := parsePortSpecs(expose, exposed, map[string][]PortBinding{}); err != nil {
		return nil, nil, fmt.Errorf("expose: %w", err)
	}
	return exposed, bindings, nil
}

func parsePortSpecs(specs []string, exposed map[string]struct{}, bindings map[string][]PortBinding) error {
	for _, raw := range specs {
		spec, proto := raw, "tcp"
		if i := strings.LastIndex(spec, "/"); i != -1 {
			spec, proto = spec[:i], spec[i+1:]
		}
		parts := strings.Split(spec, ":")
		switch len(parts) {
		case 1:
			parts = []string{"", "", parts[0]}
		case 2:
			parts = []string{"", parts[0], parts[1]}
		case 3:
		default:
			return fmt.Errorf("invalid port %q: expected [ip:][host:]container[/protocol]", raw)
		}
		ip, hostPort, containerPort := parts[0], parts[1], parts[2]
		if ip != "" && net.ParseIP(ip) == nil {
			return fmt.Errorf("invalid IP address %q in %q", ip, raw)
		}
		if containerPort == "" {
			return fmt.Errorf("no container port in %q", raw)
		}
		start, end, err := portRange(containerPort)
		if err != nil {
			return fmt.Errorf("invalid container port in %q", raw)
		}
		var hostStart, hostEnd uint64
		if hostPort != "" {
			if hostStart, hostEnd, err = portRange(hostPort); err != nil {
				return fmt.Errorf("invalid host port in %q", raw)
			}
			if end-start != hostEnd-hostStart && end != start {
				return fmt.Errorf("invalid ranges for container and host ports in %q", raw)
			}
		}
		proto = strings.ToLower(proto)
		if proto != "tcp" && proto != "udp" {
			return fmt.Errorf("invalid protocol %q in %q", proto, raw)
		}
		for i := uint64(0); i <= end-start; i++ {
			host := hostPort
			if hostPort != "" {
				host = strconv.FormatUint(hostStart+i, 10)
			}
			if start == end && hostStart != hostEnd {
				host = fmt.Sprintf("%s-%d", host, hostEnd)
			}
			port := strconv.FormatUint(start+i, 10) + "/" + proto
			exposed[port] = struct{}{}
			bindings[port] = append(bindings[port], PortBinding{HostIP: ip, HostPort: host})
		}
	}
	return nil
}

func portRange(s string) (start, end uint64, err error) {
	lo, hi, isRange := strings.Cut(s, "-")
	if start, err = strconv.ParseUint(lo, 10, 16); err != nil {
		return 0, 0, err
	}
	if !isRange {
		return start, start, nil
	}
	if end, err = strconv.ParseUint(hi, 10, 16); err != nil {
		return 0, 0, err
	}
	if end < start {
		return 0, 0, fmt.Errorf("invalid range %s", s)
	}
	return start, end, nil
}
