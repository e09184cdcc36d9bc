package kube

import (
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// network carries network_mode: Rancher's managed network is the pod network; host is hostNetwork;
// container:X or service:X naming a member of the same pod is the pod's shared network already.
func (pb *podBuilder) network(m *compose.Service) {
	mode := m.Compose.NetworkMode
	if mode == "" {
		return
	}
	pb.c.use(m, "network_mode", "net")
	at := m.Key("network_mode")
	switch kind, target, _ := strings.Cut(mode, ":"); {
	case mode == "bridge" || mode == "default" || mode == "managed":
	case mode == "host" && !m.IsSidekick():
		pb.spec.HostNetwork = true
		pb.spec.DNSPolicy = corev1.DNSClusterFirstWithHostNet
	case mode == "none" && m.IsSidekick():
		pb.c.notes.add(Info, at, "network_mode none: %s shares the network of %s's pod", m.Name, pb.name)
	case (kind == "container" || kind == "service") && pb.has(target):
		pb.c.notes.add(Info, at, "%s shares the network of %s's pod already", m.Name, pb.name)
	default:
		pb.c.notes.add(Dropped, at, "network_mode %q has no counterpart in a pod (a pod has one network)", mode)
	}
}

// has reports whether the named service is a container of this pod.
func (pb *podBuilder) has(name string) bool {
	for _, m := range pb.members {
		if m.Name == name {
			return true
		}
	}
	return false
}

// maxNameservers is the API server's limit on dnsConfig.nameservers.
const maxNameservers = 3

// podLevel carries the primary's pod-wide keys: hostname, dns*, extra_hosts, pid/ipc host, group_add, restart.
func (pb *podBuilder) podLevel(s *compose.Service) {
	sc, c := &s.Compose, pb.c
	if sc.Hostname != "" {
		if len(validation.IsDNS1123Label(sc.Hostname)) == 0 {
			pb.spec.Hostname = sc.Hostname
		} else {
			c.notes.add(Dropped, s.Key("hostname"), "hostname %q is not an RFC 1123 label", sc.Hostname)
		}
		c.use(s, "hostname")
	}
	if len(sc.DNS)+len(sc.DNSSearch)+len(sc.DNSOpt) > 0 {
		cfg := &corev1.PodDNSConfig{Nameservers: sc.DNS, Searches: sc.DNSSearch}
		if len(cfg.Nameservers) > maxNameservers {
			c.notes.add(Dropped, s.Key("dns"), "a pod takes %d nameservers at most: %v left out", maxNameservers, cfg.Nameservers[maxNameservers:])
			cfg.Nameservers = cfg.Nameservers[:maxNameservers]
		}
		for _, o := range sc.DNSOpt {
			name, value, hasValue := strings.Cut(o, ":")
			opt := corev1.PodDNSConfigOption{Name: name}
			if hasValue {
				opt.Value = &value
			}
			cfg.Options = append(cfg.Options, opt)
		}
		pb.spec.DNSConfig = cfg
		c.use(s, "dns", "dns_search", "dns_opt")
	}
	pb.hostNetworkPorts()
	pb.uniqueHostPorts()
	pb.hostAliases(s)
	pb.hostNamespaces(s)
	pb.supplementalGroups(s)
	switch sc.Restart {
	case "", "always", "unless-stopped":
		c.use(s, "restart")
	}
}

// uniqueHostPorts keeps the first container publishing a host port: two containers of one pod cannot.
func (pb *podBuilder) uniqueHostPorts() {
	seen := map[string]bool{}
	for _, list := range [][]corev1.Container{pb.spec.InitContainers, pb.spec.Containers} {
		for i := range list {
			for j := range list[i].Ports {
				p := &list[i].Ports[j]
				if p.HostPort == 0 {
					continue
				}
				id := string(p.Protocol) + "/" + p.HostIP + ":" + strconv.Itoa(int(p.HostPort))
				if seen[id] {
					pb.c.notes.add(Dropped, pb.c.p.Service(pb.nameOf(list[i].Name)).Key("ports"), "host port %d is published by another container of %s's pod", p.HostPort, pb.name)
					p.HostPort, p.HostIP = 0, ""
				}
				seen[id] = true
			}
		}
	}
}

// nameOf returns the compose service of a container of the pod.
func (pb *podBuilder) nameOf(container string) string {
	for _, m := range pb.members {
		if pb.c.names.name(m.Name) == container {
			return m.Name
		}
	}
	return pb.primary.Name
}

// hostNetworkPorts drops host ports on a host-network pod: its containers listen on the node directly
// (Rancher ignored the mapping too), and the API server wants hostPort = containerPort there.
func (pb *podBuilder) hostNetworkPorts() {
	if !pb.spec.HostNetwork {
		return
	}
	for i := range pb.spec.Containers {
		for j := range pb.spec.Containers[i].Ports {
			p := &pb.spec.Containers[i].Ports[j]
			if p.HostPort != 0 && p.HostPort != p.ContainerPort {
				pb.c.notes.add(Info, pb.primary.Key("ports"), "network_mode host: port %d is served on the node as %d, not %d", p.ContainerPort, p.ContainerPort, p.HostPort)
			}
			p.HostPort, p.HostIP = 0, ""
		}
	}
}

// hostAliases turns extra_hosts ("name:ip") into hostAliases grouped by IP.
func (pb *podBuilder) hostAliases(s *compose.Service) {
	byIP := map[string][]string{}
	for i, h := range s.Compose.ExtraHosts {
		name, ip, ok := strings.Cut(h, ":")
		if !ok {
			pb.c.notes.add(Dropped, s.Key("extra_hosts", strconv.Itoa(i)), "%q is not host:ip", h)
			continue
		}
		byIP[ip] = append(byIP[ip], name)
	}
	ips := make([]string, 0, len(byIP))
	for ip := range byIP {
		ips = append(ips, ip)
	}
	sort.Strings(ips)
	for _, ip := range ips {
		pb.spec.HostAliases = append(pb.spec.HostAliases, corev1.HostAlias{IP: ip, Hostnames: byIP[ip]})
	}
	pb.c.use(s, "extra_hosts")
}

// hostNamespaces carries pid: host and ipc: host.
func (pb *podBuilder) hostNamespaces(s *compose.Service) {
	if s.Compose.Pid == "host" {
		pb.spec.HostPID = true
		pb.c.use(s, "pid")
	}
	if s.Compose.Ipc == "host" {
		pb.spec.HostIPC = true
		pb.c.use(s, "ipc")
	}
}

// supplementalGroups carries numeric group_add entries.
func (pb *podBuilder) supplementalGroups(s *compose.Service) {
	var groups []int64
	for i, g := range s.Compose.GroupAdd {
		n, err := strconv.ParseInt(g, 10, 64)
		if err != nil {
			pb.c.notes.add(Dropped, s.Key("group_add", strconv.Itoa(i)), "group %q is a name: Kubernetes takes numeric supplementalGroups", g)
			continue
		}
		groups = append(groups, n)
	}
	if len(groups) > 0 {
		pb.spec.SecurityContext = &corev1.PodSecurityContext{SupplementalGroups: groups}
	}
	pb.c.use(s, "group_add")
}
