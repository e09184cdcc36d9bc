package launchconfig

import (
	"fmt"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// LegacyPortRules returns the port rules a legacy load balancer (rancher/load-balancer-service) stands
// for, computed as populateLegacyLB does (ports and expose × links and external links, selector rules,
// io.rancher.loadbalancer.target.* overrides, ssl ports), with every linked service taken to exist:
// no API is asked. Exporters use it to carry legacy load balancers elsewhere.
func LegacyPortRules(s *compose.Service) ([]compose.PortRule, error) {
	c := &s.Compose
	rules, err := legacyRules(c.Ports, c.Links, c.ExternalLinks, "")
	if err != nil {
		return nil, fmt.Errorf("ports: %w", err)
	}
	exposeRules, _ := legacyRules(c.Expose, c.Links, c.ExternalLinks, "")
	rules = append(rules, exposeRules...)
	if selector, ok := c.Labels[selectorLinkLabel]; ok {
		for _, ports := range [][]string{c.Ports, c.Expose} {
			more, err := legacyRules(ports, nil, nil, selector)
			if err != nil {
				return nil, fmt.Errorf("ports: %w", err)
			}
			rules = append(rules, more...)
		}
	}
	for _, link := range append(append([]string{}, c.Links...), c.ExternalLinks...) {
		name := strings.TrimSpace(strings.SplitN(link, ":", 2)[0])
		label, ok := c.Labels[lbTargetLabelPrefix+name]
		if !ok {
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
	if label, ok := c.Labels[lbSSLPortsLabel]; ok {
		if err := applySSLPorts(label, rules); err != nil {
			return nil, err
		}
	}
	out := make([]compose.PortRule, len(rules))
	for i, r := range rules {
		out[i] = compose.PortRule{SourcePort: r.SourcePort, Protocol: r.Protocol, Path: r.Path, Hostname: r.Hostname,
			Service: r.Service, TargetPort: r.TargetPort, Priority: r.Priority, BackendName: r.BackendName, Selector: r.Selector}
	}
	return out, nil
}
