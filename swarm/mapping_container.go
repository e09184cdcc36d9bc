package swarm

import (
	"net/netip"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// ports maps compose ports to host-mode published ports: Rancher publishes a port on each host that runs
// a container, which is Swarm's host mode (the ingress mesh also needs IPVS, missing on many kernels).
func (m *mapper) ports(s *compose.Service) []swarmtypes.PortConfig {
	var out []swarmtypes.PortConfig
	for i, p := range s.Compose.Ports {
		pc, ok := parsePort(p)
		if !ok {
			m.problem(s.Name, "ports["+strconv.Itoa(i)+"]", "%q: expected [HOST:]CONTAINER[/PROTO] with single ports (no IP, no ranges) on swarm", p)
			continue
		}
		out = append(out, pc)
	}
	return out
}

func parsePort(p string) (swarmtypes.PortConfig, bool) {
	spec, proto, _ := strings.Cut(strings.TrimSpace(p), "/")
	if proto == "" {
		proto = "tcp"
	}
	parts := strings.Split(spec, ":")
	if len(parts) > 2 {
		return swarmtypes.PortConfig{}, false
	}
	target, err := strconv.ParseUint(parts[len(parts)-1], 10, 16)
	if err != nil || target == 0 {
		return swarmtypes.PortConfig{}, false
	}
	pc := swarmtypes.PortConfig{Protocol: network.IPProtocol(proto), TargetPort: uint32(target), PublishMode: swarmtypes.PortConfigPublishModeHost}
	if len(parts) == 2 && parts[0] != "" {
		pub, err := strconv.ParseUint(parts[0], 10, 16)
		if err != nil {
			return swarmtypes.PortConfig{}, false
		}
		pc.PublishedPort = uint32(pub)
	}
	return pc, true
}

// mounts maps volumes ("host:/ctr[:ro]", "name:/ctr", "/ctr") and tmpfs; named volumes get the stack
// prefix as docker stack deploy gives them.
func (m *mapper) mounts(s *compose.Service) []mount.Mount {
	var out []mount.Mount
	for i, v := range s.Compose.Volumes {
		parts := strings.Split(v, ":")
		mt := mount.Mount{Type: mount.TypeVolume}
		switch len(parts) {
		case 1:
			mt.Target = parts[0]
		case 2, 3:
			mt.Source, mt.Target = parts[0], parts[1]
			if len(parts) == 3 {
				mt.ReadOnly = strings.Contains(parts[2], "ro")
			}
			mt.Type = mountType(mt.Source)
		default:
			m.problem(s.Name, "volumes["+strconv.Itoa(i)+"]", "%q: expected [SOURCE:]TARGET[:MODE]", v)
			continue
		}
		switch {
		case mt.Type == mount.TypeBind && !filepath.IsAbs(mt.Source):
			mt.Source = filepath.Join(m.p.WorkDir, mt.Source)
		case mt.Type == mount.TypeVolume && mt.Source != "":
			mt.Source = m.p.Name + "_" + mt.Source
			if vol := m.p.Volumes[parts[0]]; vol != nil && vol.External {
				mt.Source = parts[0]
				if vol.ExternalName != "" {
					mt.Source = vol.ExternalName
				}
			}
			mt.VolumeOptions = &mount.VolumeOptions{Labels: map[string]string{LabelNamespace: m.p.Name}}
		}
		out = append(out, mt)
	}
	for _, t := range s.Compose.Tmpfs {
		target, _, _ := strings.Cut(t, ":")
		out = append(out, mount.Mount{Type: mount.TypeTmpfs, Target: target})
	}
	if s.Compose.Healthcheck == nil && probeWanted(s) && m.o.ProbePath != "" {
		out = append(out, mount.Mount{Type: mount.TypeBind, Source: m.o.ProbePath, Target: ProbeMountPath, ReadOnly: true})
	}
	return out
}

func (m *mapper) dnsConfig(s *compose.Service) *swarmtypes.DNSConfig {
	c := s.Compose
	if len(c.DNS) == 0 && len(c.DNSSearch) == 0 && len(c.DNSOpt) == 0 {
		return nil
	}
	d := &swarmtypes.DNSConfig{Search: c.DNSSearch, Options: c.DNSOpt}
	for i, ip := range c.DNS {
		a, err := netip.ParseAddr(strings.TrimSpace(ip))
		if err != nil {
			m.problem(s.Name, "dns["+strconv.Itoa(i)+"]", "%q is not an IP address", ip)
			continue
		}
		d.Nameservers = append(d.Nameservers, a)
	}
	return d
}

func ulimits(u map[string]*compose.Ulimit) []*container.Ulimit {
	names := make([]string, 0, len(u))
	for n := range u {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []*container.Ulimit
	for _, n := range names {
		out = append(out, &container.Ulimit{Name: n, Soft: u[n].Soft, Hard: u[n].Hard})
	}
	return out
}
