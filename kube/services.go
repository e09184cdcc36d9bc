package kube

import (
	"net"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// service makes the Service of a primary's pod: its ports (of every container, from ports and
// expose, plus the ports load balancer rules send to it), headless when there is none, so that links
// and DNS names resolve either way. Each running sidekick gets a Service of its own name and ports
// selecting the same pods (a sidekick shares its pod's address).
func (c *converter) service(s *compose.Service) {
	name := c.names.name(s.Name)
	c.add("Service", name, c.podService(name, name, append([]*compose.Service{s}, c.sidekicksOf(s)...)))
	for _, sk := range c.sidekicksOf(s) {
		if isTrue(sk.Compose.Labels[startOnceLabel]) && !isTrue(s.Compose.Labels[startOnceLabel]) {
			continue
		}
		skName := c.names.name(sk.Name)
		c.add("Service", skName, c.podService(skName, name, []*compose.Service{sk}))
	}
}

// podService is a Service named name for the pods of workload pod, with the ports of members.
func (c *converter) podService(name, pod string, members []*compose.Service) *corev1.Service {
	var ports []corev1.ServicePort
	seen := map[string]bool{}
	addPort := func(port int32, proto corev1.Protocol) {
		id := portName(port, proto)
		if seen[id] {
			return
		}
		seen[id] = true
		ports = append(ports, corev1.ServicePort{Name: id, Port: port, TargetPort: intstr.FromInt32(port), Protocol: proto})
	}
	for _, m := range members {
		for _, spec := range append(append([]string{}, m.Compose.Ports...), m.Compose.Expose...) {
			parsed, _ := parsePorts(spec)
			for _, p := range parsed {
				addPort(p.container, p.protocol)
			}
		}
		for _, p := range c.extraPorts[m.Name] {
			addPort(int32(p), corev1.ProtocolTCP)
		}
	}
	svc := &corev1.Service{TypeMeta: typeMeta("v1", "Service"), ObjectMeta: c.meta(name, pod),
		Spec: corev1.ServiceSpec{Selector: selector(pod), Ports: ports}}
	if len(ports) == 0 {
		svc.Spec.ClusterIP = corev1.ClusterIPNone
	}
	return svc
}

// externalService makes a Rancher external service: hostname → ExternalName; external_ips → a
// selector-less headless Service with an EndpointSlice of the addresses.
func (c *converter) externalService(s *compose.Service) {
	name, rc := c.names.name(s.Name), s.Rancher
	c.use(s, "image", "rancher.hostname", "rancher.external_ips")
	if rc.Hostname != "" {
		svc := &corev1.Service{TypeMeta: typeMeta("v1", "Service"), ObjectMeta: c.meta(name, name),
			Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: rc.Hostname}}
		c.add("Service", name, svc)
		return
	}
	svc := &corev1.Service{TypeMeta: typeMeta("v1", "Service"), ObjectMeta: c.meta(name, name),
		Spec: corev1.ServiceSpec{ClusterIP: corev1.ClusterIPNone}}
	c.add("Service", name, svc)
	eps := &discoveryv1.EndpointSlice{TypeMeta: typeMeta("discovery.k8s.io/v1", "EndpointSlice"),
		ObjectMeta: c.meta(name, name), AddressType: discoveryv1.AddressTypeIPv4}
	eps.Labels[discoveryv1.LabelServiceName] = name
	for i, ip := range rc.ExternalIPs {
		if parsed := net.ParseIP(ip); parsed == nil || parsed.To4() == nil {
			c.notes.add(Dropped, s.Key("rancher", "external_ips", strconv.Itoa(i)), "%q is not an IPv4 address", ip)
			continue
		}
		eps.Endpoints = append(eps.Endpoints, discoveryv1.Endpoint{Addresses: []string{ip}})
	}
	c.add("EndpointSlice", name, eps)
}

// dnsService makes a Rancher DNS service (an alias of its links) an ExternalName Service when it
// aliases one service; several targets have no Kubernetes counterpart.
func (c *converter) dnsService(s *compose.Service) {
	c.use(s, "image", "links")
	if len(s.Compose.Links) != 1 {
		c.notes.add(Dropped, s.Key("links"), "a DNS service over %d services: a Kubernetes Service selects the pods of one", len(s.Compose.Links))
		return
	}
	target, _, _ := strings.Cut(s.Compose.Links[0], ":")
	name := c.names.name(s.Name)
	svc := &corev1.Service{TypeMeta: typeMeta("v1", "Service"), ObjectMeta: c.meta(name, name),
		Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: c.fqdn(target)}}
	c.add("Service", name, svc)
}

// fqdn is the cluster DNS name of a service, "stack/service" naming one of another stack.
func (c *converter) fqdn(ref string) string {
	if stack, svc, ok := strings.Cut(ref, "/"); ok {
		return serviceName(svc) + "." + dnsLabel(stack) + ".svc.cluster.local"
	}
	return c.names.name(ref) + "." + c.ns + ".svc.cluster.local"
}

// linkAliases gives every link alias its own Service (a copy of the target's, selecting the same
// pods) and every external link an ExternalName Service into the other stack's namespace.
func (c *converter) linkAliases() {
	for _, s := range c.p.Services {
		for i, l := range s.Compose.Links {
			c.linkAlias(s, l, s.Key("links", strconv.Itoa(i)), false)
		}
		for i, l := range s.Compose.ExternalLinks {
			c.linkAlias(s, l, s.Key("external_links", strconv.Itoa(i)), true)
		}
		c.use(s, "links", "external_links")
	}
}

func (c *converter) linkAlias(s *compose.Service, link string, at compose.KeyRef, external bool) {
	target, alias, _ := strings.Cut(link, ":")
	target, alias = strings.TrimSpace(target), strings.TrimSpace(alias)
	if alias == "" {
		alias = target
		if i := strings.LastIndexByte(alias, '/'); i >= 0 {
			alias = alias[i+1:]
		}
	}
	name := serviceName(alias)
	if strings.Contains(target, "/") || external {
		if !strings.Contains(target, "/") {
			c.notes.add(Dropped, at, "external link %q names a container, not stack/service", link)
			return
		}
		c.aliasService(name, at, func() *corev1.Service {
			return &corev1.Service{TypeMeta: typeMeta("v1", "Service"), ObjectMeta: c.meta(name, ""),
				Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeExternalName, ExternalName: c.fqdn(target)}}
		}, target)
		return
	}
	t := c.p.Service(target)
	if t == nil || alias == target {
		return
	}
	src := c.object("Service", c.names.name(t.Name))
	if src == nil && t.IsSidekick() {
		src = c.object("Service", c.names.name(t.SidekickOf))
	}
	if src == nil {
		c.notes.add(Dropped, at, "link alias %s: %s has no Service to copy", alias, target)
		return
	}
	c.aliasService(name, at, func() *corev1.Service {
		cp := src.(*corev1.Service).DeepCopy()
		cp.ObjectMeta = c.meta(name, "")
		return cp
	}, target)
}

// aliasService adds an alias Service unless the name is taken by a service or an alias of another target.
func (c *converter) aliasService(name string, at compose.KeyRef, build func() *corev1.Service, target string) {
	if owner, ok := c.aliases[name]; ok {
		if owner != target {
			c.notes.add(Dropped, at, "alias %s already names %s: a namespace has one Service per name", name, owner)
		}
		return
	}
	if svc := c.names.taken[name]; svc != "" && svc != target {
		c.notes.add(Dropped, at, "alias %s is also a service's name: a namespace has one Service per name", name)
		return
	}
	if c.names.taken[name] == target {
		return
	}
	c.aliases[name] = target
	c.add("Service", name, build())
}

// object finds an emitted object by kind and name.
func (c *converter) object(kind, name string) any {
	for _, o := range c.objs {
		if o.Kind == kind && o.Name == name {
			return o.Obj
		}
	}
	return nil
}
