package resources

// CompositeService is rancher-compose's service value (rancher/types.go of v0.12.5): the go-rancher Service
// plus the fields of the other service kinds. It is the value of the service digest, and the create body of
// every kind except a plain service (which is created from the embedded Service alone).
//
// In JSON the embedded Service's fields are promoted, and RealLbConfig's "lbConfig" shadows Service.LbConfig.
// In yaml (the digest) Service is a nested map under "service" and the drivers use camelCase keys.
type CompositeService struct {
	Service

	StorageDriver *StorageDriver `json:"storageDriver,omitempty" yaml:"storageDriver,omitempty"`
	NetworkDriver *NetworkDriver `json:"networkDriver,omitempty" yaml:"networkDriver,omitempty"`
	RealLbConfig  *LbConfig      `json:"lbConfig,omitempty" yaml:"lb_config,omitempty"`

	ExternalIpAddresses []string             `json:"externalIpAddresses,omitempty" yaml:"external_ip_addresses,omitempty"`
	Hostname            string               `json:"hostname,omitempty" yaml:"hostname,omitempty"`
	HealthCheck         *InstanceHealthCheck `json:"healthCheck,omitempty" yaml:"health_check,omitempty"`
}
