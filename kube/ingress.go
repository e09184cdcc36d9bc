package kube

import (
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
)

// lbRule is a load balancer port rule with where it is written.
type lbRule struct {
	compose.PortRule
	at compose.KeyRef
}

// loadBalancer turns a Rancher load balancer (lb_config port rules, or a legacy one's ports, links and
// io.rancher.loadbalancer.* labels) into an Ingress for its HTTP(S) rules and a LoadBalancer Service
// per target for the TCP rules Ingress cannot carry. The targets' Services get the rules' ports.
func (c *converter) loadBalancer(s *compose.Service) {
	rules := c.lbRules(s)
	name := c.names.name(s.Name)
	ing := &networkingv1.Ingress{TypeMeta: typeMeta("networking.k8s.io/v1", "Ingress"), ObjectMeta: c.meta(name, name)}
	tcp := map[string][]lbRule{}
	tlsHosts := map[string]bool{}
	hasTLS := false
	holders, holderTargets := map[string]int64{}, map[string]string{}
	for _, r := range rules {
		target, ok := c.lbTarget(r)
		if !ok {
			continue
		}
		c.extraPorts[target] = append(c.extraPorts[target], r.TargetPort)
		switch strings.ToLower(r.Protocol) {
		case "http", "https", "":
			route := r.Hostname + " " + ingressPath(r.Path)
			added, clash := c.ingressRule(ing, r, target)
			switch {
			case clash && holders[route] == r.SourcePort:
				c.notes.add(Dropped, r.at, "port %d %s goes to several services, which Rancher balanced across; an Ingress path goes to one Service (%s here)",
					r.SourcePort, strings.TrimSpace(route), holderTargets[route])
				continue
			case clash && r.Hostname == "" && ingressPath(r.Path) == "/":
				tcp[target] = append(tcp[target], r)
				continue
			case !added:
				continue
			}
			holders[route], holderTargets[route] = r.SourcePort, target
			if strings.EqualFold(r.Protocol, "https") {
				hasTLS = true
				if r.Hostname != "" {
					tlsHosts[r.Hostname] = true
				}
			}
			if r.SourcePort != 80 && r.SourcePort != 443 && r.SourcePort != 0 {
				c.notes.add(Info, r.at, "an Ingress listens on 80/443: source port %d is not kept", r.SourcePort)
			}
		default:
			tcp[target] = append(tcp[target], r)
		}
	}
	if hasTLS {
		c.ingressTLS(s, ing, tlsHosts)
	}
	if len(ing.Spec.Rules) > 0 {
		c.add("Ingress", name, ing)
	}
	c.tcpServices(s, name, tcp)
	c.lbKeys(s)
}

// lbRules returns the port rules of a v2 (lb_config) or legacy load balancer, sorted by priority.
func (c *converter) lbRules(s *compose.Service) []lbRule {
	var out []lbRule
	if launchconfig.KindOf(s) == launchconfig.KindLegacyLoadBalancer {
		rules, err := launchconfig.LegacyPortRules(s)
		if err != nil {
			c.notes.add(Dropped, s.Key("labels"), "legacy load balancer: %v", err)
		}
		for _, r := range rules {
			out = append(out, lbRule{PortRule: r, at: s.Key("ports")})
		}
		c.use(s, "ports", "expose", "links", "external_links", "labels", "image")
		return out
	}
	for i, r := range s.Rancher.LBConfig.PortRules {
		out = append(out, lbRule{PortRule: r, at: s.Key("rancher", "lb_config", "port_rules", strconv.Itoa(i))})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Priority < out[j].Priority })
	c.use(s, "rancher.lb_config", "ports", "expose", "image")
	return out
}

// lbTarget checks that a rule names a service of this stack and returns it (a sidekick's rule goes to its pod).
func (c *converter) lbTarget(r lbRule) (string, bool) {
	switch {
	case r.Selector != "":
		c.notes.add(Dropped, r.at, "selector rule %q: an Ingress routes to a Service; label the pods and add one", r.Selector)
		return "", false
	case strings.Contains(r.Service, "/"):
		c.notes.add(Dropped, r.at, "target %s is in another stack: an Ingress routes within its namespace", r.Service)
		return "", false
	case r.TargetPort <= 0 || r.TargetPort > 65535:
		c.notes.add(Dropped, r.at, "a rule without a target port")
		return "", false
	}
	t := c.p.Service(r.Service)
	if t == nil {
		c.notes.add(Dropped, r.at, "target %q is not a service of the stack", r.Service)
		return "", false
	}
	if t.IsSidekick() {
		return t.SidekickOf, true
	}
	return t.Name, true
}

// ingressRule adds host/path → target:port to the Ingress. added is false when the host is not valid
// or, with clash set, when an earlier rule routes the same host and path (Rancher told them apart by
// source port; a rule of the whole port then goes to a LoadBalancer Service instead).
func (c *converter) ingressRule(ing *networkingv1.Ingress, r lbRule, target string) (added, clash bool) {
	host := r.Hostname
	if host != "" && len(validation.IsDNS1123Subdomain(strings.TrimPrefix(host, "*."))) > 0 {
		c.notes.add(Dropped, r.at, "hostname %q is not a DNS name an Ingress can match", host)
		return false, false
	}
	path := ingressPath(r.Path)
	pathType := networkingv1.PathTypePrefix
	backend := networkingv1.IngressBackend{Service: &networkingv1.IngressServiceBackend{
		Name: c.names.name(target), Port: networkingv1.ServiceBackendPort{Number: int32(r.TargetPort)}}}
	p := networkingv1.HTTPIngressPath{Path: path, PathType: &pathType, Backend: backend}
	for i := range ing.Spec.Rules {
		if ing.Spec.Rules[i].Host == host {
			for _, existing := range ing.Spec.Rules[i].HTTP.Paths {
				if existing.Path == path {
					if host != "" || path != "/" {
						c.notes.add(Dropped, r.at, "%s%s is routed by an earlier rule (an Ingress routes a host and path once)", host, path)
					}
					return false, true
				}
			}
			ing.Spec.Rules[i].HTTP.Paths = append(ing.Spec.Rules[i].HTTP.Paths, p)
			return true, false
		}
	}
	ing.Spec.Rules = append(ing.Spec.Rules, networkingv1.IngressRule{Host: host,
		IngressRuleValue: networkingv1.IngressRuleValue{HTTP: &networkingv1.HTTPIngressRuleValue{Paths: []networkingv1.HTTPIngressPath{p}}}})
	return true, false
}

// ingressPath is a rule's path as an Ingress takes it: "/" when empty, always starting with "/".
func ingressPath(p string) string {
	if !strings.HasPrefix(p, "/") {
		return "/" + p
	}
	return p
}

// ingressTLS terminates TLS for the https rules' hosts with the load balancer's default certificate.
func (c *converter) ingressTLS(s *compose.Service, ing *networkingv1.Ingress, hosts map[string]bool) {
	cert, at := "", s.Key("rancher")
	if rc := s.Rancher; rc != nil {
		switch {
		case rc.LBConfig != nil && rc.LBConfig.DefaultCert != "":
			cert, at = rc.LBConfig.DefaultCert, s.Key("rancher", "lb_config", "default_cert")
		case rc.DefaultCert != "":
			cert, at = rc.DefaultCert, s.Key("rancher", "default_cert")
		}
	}
	secret := dnsLabel(ing.Name + "-tls")
	if cert != "" {
		secret = dnsLabel(cert)
	}
	c.notes.add(Info, at, "https rules terminate TLS with Secret %s/%s (type kubernetes.io/tls): create it from the certificate", c.ns, secret)
	list := make([]string, 0, len(hosts))
	for h := range hosts {
		list = append(list, h)
	}
	sort.Strings(list)
	ing.Spec.TLS = []networkingv1.IngressTLS{{Hosts: list, SecretName: secret}}
	c.use(s, "rancher.default_cert", "rancher.certs")
}

// tcpServices makes a LoadBalancer Service for the TCP rules (port = source port): named after the load
// balancer when they all go to one service, else one per target (<lb>-<target>).
func (c *converter) tcpServices(s *compose.Service, lb string, byTarget map[string][]lbRule) {
	targets := make([]string, 0, len(byTarget))
	for t := range byTarget {
		targets = append(targets, t)
	}
	sort.Strings(targets)
	for _, t := range targets {
		name := dnsLabel(lb + "-" + c.names.name(t))
		if len(targets) == 1 {
			name = lb
		}
		svc := &corev1.Service{TypeMeta: typeMeta("v1", "Service"), ObjectMeta: c.meta(name, lb),
			Spec: corev1.ServiceSpec{Type: corev1.ServiceTypeLoadBalancer, Selector: selector(c.names.name(t))}}
		seen := map[int64]bool{}
		for _, r := range byTarget[t] {
			src := r.SourcePort
			if src == 0 {
				src = r.TargetPort
			}
			if seen[src] {
				continue
			}
			seen[src] = true
			why := "an Ingress carries HTTP only"
			if p := strings.ToLower(r.Protocol); p == "http" || p == "https" || p == "" {
				why = "an earlier rule holds its host and path in the Ingress"
			}
			c.notes.add(Info, r.at, "%s rule %d → %s:%d: %s; it becomes LoadBalancer Service %s", r.Protocol, src, t, r.TargetPort, why, name)
			proto := corev1.ProtocolTCP
			if strings.EqualFold(r.Protocol, "udp") {
				proto = corev1.ProtocolUDP
			}
			svc.Spec.Ports = append(svc.Spec.Ports, corev1.ServicePort{Name: portName(int32(src), proto),
				Port: int32(src), TargetPort: intstr.FromInt32(int32(r.TargetPort)), Protocol: proto})
		}
		c.add("Service", name, svc)
	}
}

// lbKeys reports what of a load balancer has no Ingress counterpart; its own scale, scheduling and
// health check belong to the cluster's ingress controller.
func (c *converter) lbKeys(s *compose.Service) {
	if rc := s.Rancher; rc != nil && rc.LBConfig != nil {
		if rc.LBConfig.Config != "" {
			c.notes.add(Dropped, s.Key("rancher", "lb_config", "config"), "custom HAProxy configuration: set your ingress controller's options instead")
		}
		if len(rc.LBConfig.Certs) > 0 {
			c.notes.add(Dropped, s.Key("rancher", "lb_config", "certs"), "extra (SNI) certificates: add a tls entry per host to the Ingress")
		}
		if rc.LBConfig.StickinessPolicy != nil {
			c.notes.add(Dropped, s.Key("rancher", "lb_config", "stickiness_policy"), "cookie stickiness is an ingress controller annotation (not portable)")
		}
	}
	why := "the Ingress is served by the cluster's ingress controller"
	for _, k := range s.TopKeys(true) {
		if rancherKeys[k] && !c.used[s]["rancher."+k] && k != "lb_config" {
			c.notes.add(Dropped, s.Key("rancher", k), "a load balancer's %s: %s", k, why)
		}
	}
	for _, k := range s.TopKeys(false) {
		if !c.used[s][k] && !rancherKeys[k] {
			c.notes.add(Dropped, s.Key(k), "a load balancer's %s: %s", k, why)
		}
	}
	c.useAll(s)
}
