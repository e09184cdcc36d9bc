package launchconfig

import "github.com/rancher-compose-ng/rancher-compose/compose"

// Kind is the Rancher service type a compose service becomes (the original's FindServiceType).
type Kind int

// The service kinds, in the order FindServiceType tests them.
const (
	KindService Kind = iota
	KindExternal
	KindLegacyLoadBalancer
	KindLoadBalancer
	KindDNS
	KindNetworkDriver
	KindStorageDriver
)

// dnsImage marks a DNS service.
const dnsImage = "rancher/dns-service"

// KindOf returns the kind of service s becomes; the first matching rule wins, as in the original.
func KindOf(s *compose.Service) Kind {
	rc := s.Rancher
	switch {
	case rc != nil && (len(rc.ExternalIPs) > 0 || rc.Hostname != ""):
		return KindExternal
	case s.Compose.Image == legacyLBImage:
		return KindLegacyLoadBalancer
	case rc != nil && hasSourcePort(rc.LBConfig):
		return KindLoadBalancer
	case s.Compose.Image == dnsImage:
		return KindDNS
	case rc != nil && rc.NetworkDriver != nil:
		return KindNetworkDriver
	case rc != nil && rc.StorageDriver != nil:
		return KindStorageDriver
	}
	return KindService
}

func hasSourcePort(lb *compose.LBConfig) bool {
	if lb == nil {
		return false
	}
	for _, r := range lb.PortRules {
		if r.SourcePort != 0 {
			return true
		}
	}
	return false
}

// SchemaType is the API type the service is created as (its collection is the schema's).
func (k Kind) SchemaType() string {
	switch k {
	case KindExternal:
		return "externalService"
	case KindLegacyLoadBalancer, KindLoadBalancer:
		return "loadBalancerService"
	case KindDNS:
		return "dnsService"
	case KindNetworkDriver:
		return "networkDriverService"
	case KindStorageDriver:
		return "storageDriverService"
	}
	return "service"
}

// String names the kind for messages.
func (k Kind) String() string {
	switch k {
	case KindExternal:
		return "external service"
	case KindLegacyLoadBalancer:
		return "legacy load balancer"
	case KindLoadBalancer:
		return "load balancer"
	case KindDNS:
		return "DNS service"
	case KindNetworkDriver:
		return "network driver service"
	case KindStorageDriver:
		return "storage driver service"
	}
	return "service"
}

// Upgradable reports whether the original would ever upgrade a service of this kind (external and DNS
// services are never upgraded by shouldUpgrade).
func (k Kind) Upgradable() bool { return k != KindExternal && k != KindDNS }
