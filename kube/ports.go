package kube

import (
	"fmt"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
)

// maxPortRange bounds how many ports one "a-b" range may expand to.
const maxPortRange = 100

// portSpec is one container port of a compose `ports` or `expose` entry.
type portSpec struct {
	hostIP    string
	host      int32 // 0 when not published on a fixed host port
	container int32
	protocol  corev1.Protocol
}

// parsePorts reads "80", "80/udp", "8000:80", "127.0.0.1:8000:80", "127.0.0.1::80" and ranges
// ("8000-8010:8000-8010"), one portSpec per container port.
func parsePorts(spec string) ([]portSpec, error) {
	text, proto := spec, "tcp"
	if i := strings.LastIndexByte(spec, '/'); i >= 0 {
		text, proto = spec[:i], strings.ToLower(spec[i+1:])
	}
	protocol, ok := map[string]corev1.Protocol{"tcp": corev1.ProtocolTCP, "udp": corev1.ProtocolUDP, "sctp": corev1.ProtocolSCTP}[proto]
	if !ok {
		return nil, fmt.Errorf("protocol %q is not tcp, udp or sctp", proto)
	}
	var hostIP, hostPart, containerPart string
	switch parts := strings.Split(text, ":"); len(parts) {
	case 1:
		containerPart = parts[0]
	case 2:
		hostPart, containerPart = parts[0], parts[1]
	case 3:
		hostIP, hostPart, containerPart = parts[0], parts[1], parts[2]
	default:
		return nil, fmt.Errorf("%q is not [[ip:]host:]container[/protocol]", spec)
	}
	cLo, cHi, err := portRangeOf(containerPart)
	if err != nil {
		return nil, err
	}
	hLo, hHi := int32(0), int32(0)
	if hostPart != "" {
		if hLo, hHi, err = portRangeOf(hostPart); err != nil {
			return nil, err
		}
		if hHi-hLo != cHi-cLo && hHi != hLo {
			return nil, fmt.Errorf("%q maps ranges of different sizes", spec)
		}
	}
	var out []portSpec
	for p := cLo; p <= cHi; p++ {
		ps := portSpec{hostIP: hostIP, container: p, protocol: protocol}
		if hLo != 0 && hHi != hLo {
			ps.host = hLo + (p - cLo)
		} else if hLo != 0 && cHi == cLo {
			ps.host = hLo
		}
		out = append(out, ps)
	}
	return out, nil
}

// portRangeOf parses "80" or "8000-8010".
func portRangeOf(s string) (lo, hi int32, err error) {
	loText, hiText, isRange := strings.Cut(s, "-")
	if lo, err = portNumber(loText); err != nil {
		return 0, 0, err
	}
	hi = lo
	if isRange {
		if hi, err = portNumber(hiText); err != nil {
			return 0, 0, err
		}
	}
	if hi < lo || hi-lo >= maxPortRange {
		return 0, 0, fmt.Errorf("port range %q is reversed or wider than %d ports", s, maxPortRange)
	}
	return lo, hi, nil
}

func portNumber(s string) (int32, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 32)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("%q is not a port number (1-65535)", s)
	}
	return int32(n), nil
}

// portName is the IANA_SVC_NAME of a port: "tcp-8080".
func portName(port int32, protocol corev1.Protocol) string {
	return strings.ToLower(string(protocol)) + "-" + strconv.Itoa(int(port))
}
