package compose

// RancherConfig is one service's rancher-compose entry (the original's rancher.RancherConfig).
// Integer fields accept numeric strings (after interpolation); the struct-like keys had the original's
// TryConvertStringsToInts applied, so a string such as "007" inside them is already "7".
type RancherConfig struct {
	// Scale is nil when not set (the create body then uses 1).
	Scale           *int64           `json:"scale,omitempty" yaml:"scale,omitempty"`
	HealthCheck     *HealthCheck     `json:"health_check,omitempty" yaml:"health_check,omitempty"`
	UpgradeStrategy *UpgradeStrategy `json:"upgrade_strategy,omitempty" yaml:"upgrade_strategy,omitempty"`
	RetainIP        bool             `json:"retain_ip,omitempty" yaml:"retain_ip,omitempty"`
	// Metadata keeps yaml.v2 types (string, int, int64, uint64, float64, bool, nil, []any,
	// map[string]any), which the service hash depends on. Never numeric-converted.
	Metadata    map[string]any `json:"metadata,omitempty" yaml:"metadata,omitempty"`
	ScalePolicy *ScalePolicy   `json:"scale_policy,omitempty" yaml:"scale_policy,omitempty"`
	// ExternalIPs or Hostname make the service an external service.
	ExternalIPs []string `json:"external_ips,omitempty" yaml:"external_ips,omitempty"`
	Hostname    string   `json:"hostname,omitempty" yaml:"hostname,omitempty"`

	LBConfig           *LBConfig           `json:"lb_config,omitempty" yaml:"lb_config,omitempty"`
	LoadBalancerConfig *LoadBalancerConfig `json:"load_balancer_config,omitempty" yaml:"load_balancer_config,omitempty"`
	DefaultCert        string              `json:"default_cert,omitempty" yaml:"default_cert,omitempty"`
	Certs              []string            `json:"certs,omitempty" yaml:"certs,omitempty"`

	// Type is the launch config kind (virtual_machine/virtualmachine in any case → "virtualMachine").
	Type     string `json:"type,omitempty" yaml:"type,omitempty"`
	Vcpu     int64  `json:"vcpu,omitempty" yaml:"vcpu,omitempty"`
	Memory   int64  `json:"memory,omitempty" yaml:"memory,omitempty"`
	Userdata string `json:"userdata,omitempty" yaml:"userdata,omitempty"`
	Disks    []Disk `json:"disks,omitempty" yaml:"disks,omitempty"`

	// StorageDriver and NetworkDriver are kept as generic values (yaml.v2 types, numeric strings
	// converted); their presence selects the driver service types.
	StorageDriver map[string]any `json:"storage_driver,omitempty" yaml:"storage_driver,omitempty"`
	NetworkDriver map[string]any `json:"network_driver,omitempty" yaml:"network_driver,omitempty"`
	// ServiceSchemas is parsed and unused, as in the original.
	ServiceSchemas map[string]any `json:"service_schemas,omitempty" yaml:"service_schemas,omitempty"`
	// StartOnCreate is accepted; the CLI always creates services inactive and activates them.
	StartOnCreate bool `json:"start_on_create,omitempty" yaml:"start_on_create,omitempty"`
}

// HealthCheck is Rancher's instance health check (go-rancher InstanceHealthCheck); times in ms.
type HealthCheck struct {
	Port                           int64                           `json:"port,omitempty" yaml:"port,omitempty"`
	Interval                       int64                           `json:"interval,omitempty" yaml:"interval,omitempty"`
	HealthyThreshold               int64                           `json:"healthy_threshold,omitempty" yaml:"healthy_threshold,omitempty"`
	UnhealthyThreshold             int64                           `json:"unhealthy_threshold,omitempty" yaml:"unhealthy_threshold,omitempty"`
	ResponseTimeout                int64                           `json:"response_timeout,omitempty" yaml:"response_timeout,omitempty"`
	RequestLine                    string                          `json:"request_line,omitempty" yaml:"request_line,omitempty"`
	InitializingTimeout            int64                           `json:"initializing_timeout,omitempty" yaml:"initializing_timeout,omitempty"`
	ReinitializingTimeout          int64                           `json:"reinitializing_timeout,omitempty" yaml:"reinitializing_timeout,omitempty"`
	Strategy                       string                          `json:"strategy,omitempty" yaml:"strategy,omitempty"`
	RecreateOnQuorumStrategyConfig *RecreateOnQuorumStrategyConfig `json:"recreate_on_quorum_strategy_config,omitempty" yaml:"recreate_on_quorum_strategy_config,omitempty"`
	Name                           string                          `json:"name,omitempty" yaml:"name,omitempty"`
}

// RecreateOnQuorumStrategyConfig is health_check.recreate_on_quorum_strategy_config.
type RecreateOnQuorumStrategyConfig struct {
	Quorum int64 `json:"quorum,omitempty" yaml:"quorum,omitempty"`
}

// UpgradeStrategy is rancher-compose upgrade_strategy. The original used only StartFirst; BatchSize and
// IntervalMillis (0 = not set) are honoured by this tool when no CLI flag overrides them.
type UpgradeStrategy struct {
	StartFirst     bool  `json:"start_first,omitempty" yaml:"start_first,omitempty"`
	BatchSize      int64 `json:"batch_size,omitempty" yaml:"batch_size,omitempty"`
	IntervalMillis int64 `json:"interval_millis,omitempty" yaml:"interval_millis,omitempty"`
}

// ScalePolicy is rancher-compose scale_policy.
type ScalePolicy struct {
	Min       int64 `json:"min,omitempty" yaml:"min,omitempty"`
	Max       int64 `json:"max,omitempty" yaml:"max,omitempty"`
	Increment int64 `json:"increment,omitempty" yaml:"increment,omitempty"`
}

// LBConfig is rancher-compose lb_config (a new-style load balancer when a rule has a source port).
type LBConfig struct {
	Certs            []string          `json:"certs,omitempty" yaml:"certs,omitempty"`
	DefaultCert      string            `json:"default_cert,omitempty" yaml:"default_cert,omitempty"`
	PortRules        []PortRule        `json:"port_rules,omitempty" yaml:"port_rules,omitempty"`
	Config           string            `json:"config,omitempty" yaml:"config,omitempty"`
	StickinessPolicy *StickinessPolicy `json:"stickiness_policy,omitempty" yaml:"stickiness_policy,omitempty"`
}

// PortRule is one lb_config.port_rules entry.
type PortRule struct {
	SourcePort  int64  `json:"source_port,omitempty" yaml:"source_port,omitempty"`
	Protocol    string `json:"protocol,omitempty" yaml:"protocol,omitempty"`
	Path        string `json:"path,omitempty" yaml:"path,omitempty"`
	Hostname    string `json:"hostname,omitempty" yaml:"hostname,omitempty"`
	Service     string `json:"service,omitempty" yaml:"service,omitempty"`
	TargetPort  int64  `json:"target_port,omitempty" yaml:"target_port,omitempty"`
	Priority    int64  `json:"priority,omitempty" yaml:"priority,omitempty"`
	BackendName string `json:"backend_name,omitempty" yaml:"backend_name,omitempty"`
	Selector    string `json:"selector,omitempty" yaml:"selector,omitempty"`
}

// StickinessPolicy is a load balancer cookie stickiness policy.
type StickinessPolicy struct {
	Name     string `json:"name,omitempty" yaml:"name,omitempty"`
	Cookie   string `json:"cookie,omitempty" yaml:"cookie,omitempty"`
	Domain   string `json:"domain,omitempty" yaml:"domain,omitempty"`
	Indirect bool   `json:"indirect,omitempty" yaml:"indirect,omitempty"`
	Nocache  bool   `json:"nocache,omitempty" yaml:"nocache,omitempty"`
	Postonly bool   `json:"postonly,omitempty" yaml:"postonly,omitempty"`
	Mode     string `json:"mode,omitempty" yaml:"mode,omitempty"`
}

// LoadBalancerConfig is the legacy load_balancer_config.
type LoadBalancerConfig struct {
	HaproxyConfig            *HaproxyConfig    `json:"haproxy_config,omitempty" yaml:"haproxy_config,omitempty"`
	LbCookieStickinessPolicy *StickinessPolicy `json:"lb_cookie_stickiness_policy,omitempty" yaml:"lb_cookie_stickiness_policy,omitempty"`
}

// HaproxyConfig is load_balancer_config.haproxy_config.
type HaproxyConfig struct {
	Global   string `json:"global,omitempty" yaml:"global,omitempty"`
	Defaults string `json:"defaults,omitempty" yaml:"defaults,omitempty"`
}

// Disk is one virtual machine disk.
type Disk struct {
	Name      string         `json:"name,omitempty" yaml:"name,omitempty"`
	Size      string         `json:"size,omitempty" yaml:"size,omitempty"`
	Opts      map[string]any `json:"opts,omitempty" yaml:"opts,omitempty"`
	Driver    string         `json:"driver,omitempty" yaml:"driver,omitempty"`
	Root      bool           `json:"root,omitempty" yaml:"root,omitempty"`
	ReadIops  int64          `json:"read_iops,omitempty" yaml:"read_iops,omitempty"`
	WriteIops int64          `json:"write_iops,omitempty" yaml:"write_iops,omitempty"`
}
