package launchconfig

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// Labels a legacy load balancer is configured with.
const (
	lbTargetLabelPrefix = "io.rancher.loadbalancer.target."
	lbSSLPortsLabel     = "io.rancher.loadbalancer.ssl.ports"
	lbProxyPortsLabel   = "io.rancher.loadbalancer.proxy-protocol.ports"
)

// populateLegacyLB converts a rancher/load-balancer-service into a v2 load balancer as the original did:
// port rules from ports and expose × links and external_links (then selector rules), label overrides,
// HAProxy config text, source-only launch ports and no expose.
func (b *Builder) populateLegacyLB(ctx context.Context, s *compose.Service, rc *compose.RancherConfig, lc *resources.LaunchConfig, svc *resources.CompositeService) error {
	c := &s.Compose
	haproxy := ""
	var sticky *compose.StickinessPolicy
	if l := rc.LoadBalancerConfig; l != nil {
		sticky = l.LbCookieStickinessPolicy
		if l.HaproxyConfig != nil {
			haproxy = haproxyConf(l.HaproxyConfig.Global, l.HaproxyConfig.Defaults)
		}
	}
	svc.RealLbConfig = &resources.LbConfig{CertificateIds: rc.Certs, Config: haproxy, DefaultCertificateId: rc.DefaultCert,
		StickinessPolicy: stickiness(sticky)}
	rules, err := legacyRules(c.Ports, c.Links, c.ExternalLinks, "")
	if err != nil {
		return err
	}
	// The original dropped an error from the expose rules (it was overwritten before being checked).
	exposeRules, _ := legacyRules(c.Expose, c.Links, c.ExternalLinks, "")
	rules = append(rules, exposeRules...)
	if selector, ok := c.Labels[selectorLinkLabel]; ok {
		for _, ports := range [][]string{c.Ports, c.Expose} {
			more, err := legacyRules(ports, nil, nil, selector)
			if err != nil {
				return err
			}
			rules = append(rules, more...)
		}
	}
	if rules, err = b.applyTargetLabels(ctx, c, rules); err != nil {
		return err
	}
	if label, ok := c.Labels[lbSSLPortsLabel]; ok {
		if err := applySSLPorts(label, rules); err != nil {
			return err
		}
	}
	if label, ok := c.Labels[lbProxyPortsLabel]; ok {
		for _, port := range strings.Split(label, ",") {
			svc.RealLbConfig.Config += "\nfrontend " + port + "\n    accept-proxy"
		}
	}
	for _, r := range rules {
		rule, err := b.portRule(ctx, r)
		if err != nil {
			return err
		}
		svc.RealLbConfig.PortRules = append(svc.RealLbConfig.PortRules, rule)
	}
	lc.Ports, lc.Expose = sourcePorts(c.Ports), nil
	return b.populateCerts(ctx, svc.RealLbConfig, rc.DefaultCert, rc.Certs)
}

// applyTargetLabels applies io.rancher.loadbalancer.target.<service> to the rules of linked services
// that exist on the server. Every link is looked up, labelled or not, as the original's getLinks did, so
// a link into a missing stack fails the load balancer as it did.
func (b *Builder) applyTargetLabels(ctx context.Context, c *compose.ServiceConfig, rules []lbRule) ([]lbRule, error) {
	for _, link := range append(append([]string{}, c.Links...), c.ExternalLinks...) {
		name := strings.TrimSpace(strings.SplitN(link, ":", 2)[0])
		id, err := b.Resolver.ServiceID(ctx, name)
		if err != nil {
			return nil, fmt.Errorf("looking up linked service %s: %w", name, err)
		}
		label, ok := c.Labels[lbTargetLabelPrefix+name]
		if !ok || id == "" {
			continue
		}
		overrides, err := parseTargetLabel(label)
		if err != nil {
			return nil, fmt.Errorf("label %s%s: %w", lbTargetLabelPrefix, name, err)
		}
		for i := range overrides {
			overrides[i].Service = name
		}
		rules = mergePortRules(rules, overrides)
	}
	return rules, nil
}

func applySSLPorts(label string, rules []lbRule) error {
	for _, p := range strings.Split(label, ",") {
		port, err := strconv.ParseInt(p, 10, 32)
		if err != nil {
			return fmt.Errorf("label %s: %w", lbSSLPortsLabel, err)
		}
		for i := range rules {
			if rules[i].SourcePort == port {
				rules[i].Protocol = "https"
			}
		}
	}
	return nil
}

// haproxyConf renders load_balancer_config.haproxy_config as the original's generateHAProxyConf.
func haproxyConf(global, defaults string) string {
	conf := ""
	if global != "" {
		conf += "global" + strings.ReplaceAll("\n"+global, "\n", "\n    ") + "\n"
	}
	if defaults != "" {
		conf += "defaults" + strings.ReplaceAll("\n"+defaults, "\n", "\n    ")
	}
	return conf
}

// legacyRules makes one rule per port × (link, external link), plus one selector rule per port when
// selector is set. The protocol is the part after '/', "http" by default.
func legacyRules(ports, links, externalLinks []string, selector string) ([]lbRule, error) {
	rules := []lbRule{}
	for _, port := range ports {
		protocol := "http"
		if parts := strings.Split(port, "/"); len(parts) == 2 {
			protocol = parts[1]
		}
		var source, target int64
		var err error
		switch parts := strings.Split(port, ":"); len(parts) {
		case 1:
			single := leadingDigits(parts[0])
			if source, err = strconv.ParseInt(single, 10, 32); err != nil {
				return nil, err
			}
			target = source
		case 2:
			if source, err = strconv.ParseInt(parts[0], 10, 32); err != nil {
				return nil, err
			}
			if target, err = strconv.ParseInt(leadingDigits(parts[1]), 10, 32); err != nil {
				return nil, err
			}
		}
		for _, link := range append(append([]string{}, links...), externalLinks...) {
			rules = append(rules, lbRule{SourcePort: source, TargetPort: target, Service: strings.Split(link, ":")[0], Protocol: protocol})
		}
		if selector != "" {
			rules = append(rules, lbRule{SourcePort: source, TargetPort: target, Selector: selector, Protocol: protocol})
		}
	}
	return rules, nil
}

// sourcePorts keeps only the source port (and protocol) of each port: "80:8080/tcp" → "80/tcp".
func sourcePorts(ports []string) []string {
	out := []string{}
	for _, port := range ports {
		protocol := ""
		if parts := strings.Split(port, "/"); len(parts) == 2 {
			protocol = parts[1]
		}
		source := ""
		switch parts := strings.Split(port, ":"); len(parts) {
		case 1:
			source = leadingDigits(parts[0])
		case 2:
			source = parts[0]
		}
		if protocol != "" {
			source += "/" + protocol
		}
		out = append(out, source)
	}
	return out
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}
