// Mirrored from service-hash.md §6.2 (go-rancher v2 at af955cd, alphabetical like go-rancher's generator): keep order and tags.

package resources

// InstanceHealthCheck mirrors go-rancher v2 InstanceHealthCheck field for field, with its json (wire) and yaml (hash) tags.
type InstanceHealthCheck struct {
	Resource

	HealthyThreshold               int64                           `json:"healthyThreshold,omitempty" yaml:"healthy_threshold,omitempty"`
	InitializingTimeout            int64                           `json:"initializingTimeout,omitempty" yaml:"initializing_timeout,omitempty"`
	Interval                       int64                           `json:"interval,omitempty" yaml:"interval,omitempty"`
	Name                           string                          `json:"name,omitempty" yaml:"name,omitempty"`
	Port                           int64                           `json:"port,omitempty" yaml:"port,omitempty"`
	RecreateOnQuorumStrategyConfig *RecreateOnQuorumStrategyConfig `json:"recreateOnQuorumStrategyConfig,omitempty" yaml:"recreate_on_quorum_strategy_config,omitempty"`
	ReinitializingTimeout          int64                           `json:"reinitializingTimeout,omitempty" yaml:"reinitializing_timeout,omitempty"`
	RequestLine                    string                          `json:"requestLine,omitempty" yaml:"request_line,omitempty"`
	ResponseTimeout                int64                           `json:"responseTimeout,omitempty" yaml:"response_timeout,omitempty"`
	Strategy                       string                          `json:"strategy,omitempty" yaml:"strategy,omitempty"`
	UnhealthyThreshold             int64                           `json:"unhealthyThreshold,omitempty" yaml:"unhealthy_threshold,omitempty"`
}

// RecreateOnQuorumStrategyConfig mirrors go-rancher v2 RecreateOnQuorumStrategyConfig field for field, with its json (wire) and yaml (hash) tags.
type RecreateOnQuorumStrategyConfig struct {
	Resource

	Quorum int64 `json:"quorum,omitempty" yaml:"quorum,omitempty"`
}

// LogConfig mirrors go-rancher v2 LogConfig field for field, with its json (wire) and yaml (hash) tags.
type LogConfig struct {
	Resource

	Config map[string]interface{} `json:"config,omitempty" yaml:"config,omitempty"`
	Driver string                 `json:"driver,omitempty" yaml:"driver,omitempty"`
}

// DockerBuild mirrors go-rancher v2 DockerBuild field for field, with its json (wire) and yaml (hash) tags.
type DockerBuild struct {
	Resource

	Context    string `json:"context,omitempty" yaml:"context,omitempty"`
	Dockerfile string `json:"dockerfile,omitempty" yaml:"dockerfile,omitempty"`
	Forcerm    bool   `json:"forcerm,omitempty" yaml:"forcerm,omitempty"`
	Nocache    bool   `json:"nocache,omitempty" yaml:"nocache,omitempty"`
	Remote     string `json:"remote,omitempty" yaml:"remote,omitempty"`
	Rm         bool   `json:"rm,omitempty" yaml:"rm,omitempty"`
}

// VirtualMachineDisk mirrors go-rancher v2 VirtualMachineDisk field for field, with its json (wire) and yaml (hash) tags.
type VirtualMachineDisk struct {
	Resource

	Driver    string                 `json:"driver,omitempty" yaml:"driver,omitempty"`
	Name      string                 `json:"name,omitempty" yaml:"name,omitempty"`
	Opts      map[string]interface{} `json:"opts,omitempty" yaml:"opts,omitempty"`
	ReadIops  int64                  `json:"readIops,omitempty" yaml:"read_iops,omitempty"`
	Root      bool                   `json:"root,omitempty" yaml:"root,omitempty"`
	Size      string                 `json:"size,omitempty" yaml:"size,omitempty"`
	WriteIops int64                  `json:"writeIops,omitempty" yaml:"write_iops,omitempty"`
}

// Ulimit mirrors go-rancher v2 Ulimit field for field, with its json (wire) and yaml (hash) tags.
type Ulimit struct {
	Resource

	Hard int64  `json:"hard,omitempty" yaml:"hard,omitempty"`
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	Soft int64  `json:"soft,omitempty" yaml:"soft,omitempty"`
}
