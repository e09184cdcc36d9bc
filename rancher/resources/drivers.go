// Mirrored from service-hash.md §6.2 (go-rancher v2 at af955cd, alphabetical like go-rancher's generator): keep order and tags.

package resources

// StorageDriver mirrors go-rancher v2 StorageDriver field for field, with its json (wire) and yaml (hash) tags.
type StorageDriver struct {
	Resource

	AccountId             string                 `json:"accountId,omitempty" yaml:"account_id,omitempty"`
	BlockDevicePath       string                 `json:"blockDevicePath,omitempty" yaml:"block_device_path,omitempty"`
	Created               string                 `json:"created,omitempty" yaml:"created,omitempty"`
	Data                  map[string]interface{} `json:"data,omitempty" yaml:"data,omitempty"`
	Description           string                 `json:"description,omitempty" yaml:"description,omitempty"`
	Kind                  string                 `json:"kind,omitempty" yaml:"kind,omitempty"`
	Name                  string                 `json:"name,omitempty" yaml:"name,omitempty"`
	RemoveTime            string                 `json:"removeTime,omitempty" yaml:"remove_time,omitempty"`
	Removed               string                 `json:"removed,omitempty" yaml:"removed,omitempty"`
	Scope                 string                 `json:"scope,omitempty" yaml:"scope,omitempty"`
	ServiceId             string                 `json:"serviceId,omitempty" yaml:"service_id,omitempty"`
	State                 string                 `json:"state,omitempty" yaml:"state,omitempty"`
	Transitioning         string                 `json:"transitioning,omitempty" yaml:"transitioning,omitempty"`
	TransitioningMessage  string                 `json:"transitioningMessage,omitempty" yaml:"transitioning_message,omitempty"`
	TransitioningProgress int64                  `json:"transitioningProgress,omitempty" yaml:"transitioning_progress,omitempty"`
	Uuid                  string                 `json:"uuid,omitempty" yaml:"uuid,omitempty"`
	VolumeAccessMode      string                 `json:"volumeAccessMode,omitempty" yaml:"volume_access_mode,omitempty"`
	VolumeCapabilities    []string               `json:"volumeCapabilities,omitempty" yaml:"volume_capabilities,omitempty"`
}

// NetworkDriver mirrors go-rancher v2 NetworkDriver field for field, with its json (wire) and yaml (hash) tags.
type NetworkDriver struct {
	Resource

	AccountId             string                 `json:"accountId,omitempty" yaml:"account_id,omitempty"`
	CniConfig             map[string]interface{} `json:"cniConfig,omitempty" yaml:"cni_config,omitempty"`
	Created               string                 `json:"created,omitempty" yaml:"created,omitempty"`
	Data                  map[string]interface{} `json:"data,omitempty" yaml:"data,omitempty"`
	DefaultNetwork        DefaultNetwork         `json:"defaultNetwork,omitempty" yaml:"default_network,omitempty"`
	Description           string                 `json:"description,omitempty" yaml:"description,omitempty"`
	Kind                  string                 `json:"kind,omitempty" yaml:"kind,omitempty"`
	Name                  string                 `json:"name,omitempty" yaml:"name,omitempty"`
	NetworkMetadata       map[string]interface{} `json:"networkMetadata,omitempty" yaml:"network_metadata,omitempty"`
	RemoveTime            string                 `json:"removeTime,omitempty" yaml:"remove_time,omitempty"`
	Removed               string                 `json:"removed,omitempty" yaml:"removed,omitempty"`
	ServiceId             string                 `json:"serviceId,omitempty" yaml:"service_id,omitempty"`
	State                 string                 `json:"state,omitempty" yaml:"state,omitempty"`
	Transitioning         string                 `json:"transitioning,omitempty" yaml:"transitioning,omitempty"`
	TransitioningMessage  string                 `json:"transitioningMessage,omitempty" yaml:"transitioning_message,omitempty"`
	TransitioningProgress int64                  `json:"transitioningProgress,omitempty" yaml:"transitioning_progress,omitempty"`
	Uuid                  string                 `json:"uuid,omitempty" yaml:"uuid,omitempty"`
}

// DefaultNetwork mirrors go-rancher v2 DefaultNetwork field for field, with its json (wire) and yaml (hash) tags.
type DefaultNetwork struct {
	Resource

	AccountId             string                 `json:"accountId,omitempty" yaml:"account_id,omitempty"`
	Created               string                 `json:"created,omitempty" yaml:"created,omitempty"`
	Data                  map[string]interface{} `json:"data,omitempty" yaml:"data,omitempty"`
	Description           string                 `json:"description,omitempty" yaml:"description,omitempty"`
	Dns                   []string               `json:"dns,omitempty" yaml:"dns,omitempty"`
	DnsSearch             []string               `json:"dnsSearch,omitempty" yaml:"dns_search,omitempty"`
	HostPorts             bool                   `json:"hostPorts,omitempty" yaml:"host_ports,omitempty"`
	Kind                  string                 `json:"kind,omitempty" yaml:"kind,omitempty"`
	Metadata              map[string]interface{} `json:"metadata,omitempty" yaml:"metadata,omitempty"`
	Name                  string                 `json:"name,omitempty" yaml:"name,omitempty"`
	RemoveTime            string                 `json:"removeTime,omitempty" yaml:"remove_time,omitempty"`
	Removed               string                 `json:"removed,omitempty" yaml:"removed,omitempty"`
	State                 string                 `json:"state,omitempty" yaml:"state,omitempty"`
	Subnets               []Subnet               `json:"subnets,omitempty" yaml:"subnets,omitempty"`
	Transitioning         string                 `json:"transitioning,omitempty" yaml:"transitioning,omitempty"`
	TransitioningMessage  string                 `json:"transitioningMessage,omitempty" yaml:"transitioning_message,omitempty"`
	TransitioningProgress int64                  `json:"transitioningProgress,omitempty" yaml:"transitioning_progress,omitempty"`
	Uuid                  string                 `json:"uuid,omitempty" yaml:"uuid,omitempty"`
}

// Subnet mirrors go-rancher v2 Subnet field for field, with its json (wire) and yaml (hash) tags.
type Subnet struct {
	Resource

	AccountId             string                 `json:"accountId,omitempty" yaml:"account_id,omitempty"`
	CidrSize              int64                  `json:"cidrSize,omitempty" yaml:"cidr_size,omitempty"`
	Created               string                 `json:"created,omitempty" yaml:"created,omitempty"`
	Data                  map[string]interface{} `json:"data,omitempty" yaml:"data,omitempty"`
	Description           string                 `json:"description,omitempty" yaml:"description,omitempty"`
	EndAddress            string                 `json:"endAddress,omitempty" yaml:"end_address,omitempty"`
	Gateway               string                 `json:"gateway,omitempty" yaml:"gateway,omitempty"`
	Kind                  string                 `json:"kind,omitempty" yaml:"kind,omitempty"`
	Name                  string                 `json:"name,omitempty" yaml:"name,omitempty"`
	NetworkAddress        string                 `json:"networkAddress,omitempty" yaml:"network_address,omitempty"`
	NetworkId             string                 `json:"networkId,omitempty" yaml:"network_id,omitempty"`
	RemoveTime            string                 `json:"removeTime,omitempty" yaml:"remove_time,omitempty"`
	Removed               string                 `json:"removed,omitempty" yaml:"removed,omitempty"`
	StartAddress          string                 `json:"startAddress,omitempty" yaml:"start_address,omitempty"`
	State                 string                 `json:"state,omitempty" yaml:"state,omitempty"`
	Transitioning         string                 `json:"transitioning,omitempty" yaml:"transitioning,omitempty"`
	TransitioningMessage  string                 `json:"transitioningMessage,omitempty" yaml:"transitioning_message,omitempty"`
	TransitioningProgress int64                  `json:"transitioningProgress,omitempty" yaml:"transitioning_progress,omitempty"`
	Uuid                  string                 `json:"uuid,omitempty" yaml:"uuid,omitempty"`
}
