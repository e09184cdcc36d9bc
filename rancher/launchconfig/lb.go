package launchconfig

import (
	"context"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// populateLB is the original's populateLbFields: for a service with a rancher-compose entry (or a legacy
// load balancer) the compose ports/expose replace the transform's, a plain service's lb_config becomes
// target rules, and load balancers get their lbConfig with server-resolved service and certificate ids.
func (b *Builder) populateLB(ctx context.Context, s *compose.Service, kind Kind, lc *resources.LaunchConfig, svc *resources.CompositeService) error {
	rc := s.Rancher
	if rc == nil {
		if kind != KindLegacyLoadBalancer {
			return nil
		}
		rc = &compose.RancherConfig{}
	}
	if kind == KindService && rc.LBConfig != nil {
		svc.LbConfig = &resources.LbTargetConfig{PortRules: []resources.TargetPortRule{}}
		for _, r := range rc.LBConfig.PortRules {
			svc.LbConfig.PortRules = append(svc.LbConfig.PortRules, resources.TargetPortRule{
				BackendName: r.BackendName, Hostname: r.Hostname, Path: r.Path, TargetPort: r.TargetPort})
		}
	}
	lc.Ports, lc.Expose = copyStrings(s.Compose.Ports), copyStrings(s.Compose.Expose)
	switch kind {
	case KindLegacyLoadBalancer:
		return b.populateLegacyLB(ctx, s, rc, lc, svc)
	case KindLoadBalancer:
		return b.populateNewLB(ctx, rc.LBConfig, svc)
	}
	return nil
}

// populateNewLB builds the lbConfig of an lb_config load balancer.
func (b *Builder) populateNewLB(ctx context.Context, lb *compose.LBConfig, svc *resources.CompositeService) error {
	svc.RealLbConfig = &resources.LbConfig{Config: lb.Config, StickinessPolicy: stickiness(lb.StickinessPolicy)}
	for _, r := range lb.PortRules {
		rule, err := b.portRule(ctx, lbRule{
			SourcePort: r.SourcePort, Protocol: r.Protocol, Path: r.Path, Hostname: r.Hostname, Service: r.Service,
			TargetPort: r.TargetPort, Priority: r.Priority, BackendName: r.BackendName, Selector: r.Selector})
		if err != nil {
			return err
		}
		svc.RealLbConfig.PortRules = append(svc.RealLbConfig.PortRules, rule)
	}
	return b.populateCerts(ctx, svc.RealLbConfig, lb.DefaultCert, lb.Certs)
}

// lbRule is a port rule before its target service is resolved to an id.
type lbRule struct {
	SourcePort  int64
	Protocol    string
	Path        string
	Hostname    string
	Service     string
	TargetPort  int64
	Priority    int64
	BackendName string
	Selector    string
}

// portRule resolves a rule's target service name to the id the server knows it by.
func (b *Builder) portRule(ctx context.Context, r lbRule) (resources.PortRule, error) {
	out := resources.PortRule{SourcePort: r.SourcePort, Protocol: r.Protocol, Path: r.Path, Hostname: r.Hostname,
		TargetPort: r.TargetPort, Priority: r.Priority, BackendName: r.BackendName, Selector: r.Selector}
	if r.Service == "" {
		return out, nil
	}
	id, err := b.Resolver.ServiceID(ctx, r.Service)
	if err != nil {
		return out, fmt.Errorf("looking up load balancer target %s: %w", r.Service, err)
	}
	if id == "" {
		return out, fmt.Errorf("Failed to find existing service: %s", r.Service)
	}
	out.ServiceId = id
	return out, nil
}

// populateCerts resolves certificate names to ids (CertificateIds is always set, so empty is omitted).
func (b *Builder) populateCerts(ctx context.Context, lb *resources.LbConfig, defaultCert string, certs []string) error {
	if defaultCert != "" {
		id, err := b.Resolver.CertificateID(ctx, defaultCert)
		if err != nil {
			return fmt.Errorf("default certificate %s: %w", defaultCert, err)
		}
		lb.DefaultCertificateId = id
	}
	lb.CertificateIds = []string{}
	for _, name := range certs {
		id, err := b.Resolver.CertificateID(ctx, name)
		if err != nil {
			return fmt.Errorf("certificate %s: %w", name, err)
		}
		lb.CertificateIds = append(lb.CertificateIds, id)
	}
	return nil
}

func stickiness(p *compose.StickinessPolicy) *resources.LoadBalancerCookieStickinessPolicy {
	if p == nil {
		return nil
	}
	return &resources.LoadBalancerCookieStickinessPolicy{Cookie: p.Cookie, Domain: p.Domain, Indirect: p.Indirect,
		Mode: p.Mode, Name: p.Name, Nocache: p.Nocache, Postonly: p.Postonly}
}
