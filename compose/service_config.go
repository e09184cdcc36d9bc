package compose

// ServiceConfig is the docker-compose side of a service, after interpolation, extends, merging and the
// v1→v2 conversion (net → NetworkMode, build + dockerfile → Build). Field names follow libcompose's
// config.ServiceConfig, which the original turned into the docker-inspect document it sent to
// /scripts/transform. String lists keep each element's YAML text (`- 8080` → "8080"); sizes are bytes.
type ServiceConfig struct {
	Image string `json:"image,omitempty" yaml:"image,omitempty"`
	// Build is set when the service builds its image (v1 `build` + `dockerfile`, or v2 `build`).
	Build *Build `json:"build,omitempty" yaml:"build,omitempty"`

	// Command and Entrypoint are shell-split when written as a string, as libcompose's Command type does.
	Command    []string `json:"command,omitempty" yaml:"command,omitempty,flow"`
	Entrypoint []string `json:"entrypoint,omitempty" yaml:"entrypoint,omitempty,flow"`
	// Environment is environment + env_file, explicit values winning; valueless keys were resolved from
	// the variable sources and dropped when unset, as the original did.
	Environment map[string]string `json:"environment,omitempty" yaml:"environment,omitempty"`
	// EnvFile lists the env files read (paths as written, relative to their compose file).
	EnvFile []string `json:"env_file,omitempty" yaml:"env_file,omitempty"`
	// Labels are string-valued, non-string YAML scalars stringified like the original's preprocess step.
	Labels map[string]string `json:"labels,omitempty" yaml:"labels,omitempty"`

	Ports         []string `json:"ports,omitempty" yaml:"ports,omitempty"`
	Expose        []string `json:"expose,omitempty" yaml:"expose,omitempty"`
	Links         []string `json:"links,omitempty" yaml:"links,omitempty"`
	ExternalLinks []string `json:"external_links,omitempty" yaml:"external_links,omitempty"`
	DependsOn     []string `json:"depends_on,omitempty" yaml:"depends_on,omitempty"`
	// DependsOnConditions maps each depends_on entry to its condition (service_started, service_healthy or
	// service_completed_successfully); the list form means service_started for every entry.
	DependsOnConditions map[string]string `json:"depends_on_conditions,omitempty" yaml:"depends_on_conditions,omitempty"`
	// DependsOnOptional are the depends_on entries with required: false: a dependency that profiles disabled
	// is then skipped instead of refused.
	DependsOnOptional []string `json:"depends_on_optional,omitempty" yaml:"depends_on_optional,omitempty"`
	// Profiles are the compose profiles that enable the service; none means it is always enabled.
	Profiles     []string `json:"profiles,omitempty" yaml:"profiles,omitempty"`
	Volumes      []string `json:"volumes,omitempty" yaml:"volumes,omitempty"`
	VolumesFrom  []string `json:"volumes_from,omitempty" yaml:"volumes_from,omitempty"`
	VolumeDriver string   `json:"volume_driver,omitempty" yaml:"volume_driver,omitempty"`

	// NetworkMode is v2 network_mode or v1 net ("" means Rancher's managed network).
	NetworkMode string `json:"network_mode,omitempty" yaml:"network_mode,omitempty"`
	// Networks are the service's networks (accepted; Rancher 1.x ignores them).
	Networks []string `json:"networks,omitempty" yaml:"networks,omitempty"`

	Hostname      string   `json:"hostname,omitempty" yaml:"hostname,omitempty"`
	DomainName    string   `json:"domainname,omitempty" yaml:"domainname,omitempty"`
	DNS           []string `json:"dns,omitempty" yaml:"dns,omitempty"`
	DNSSearch     []string `json:"dns_search,omitempty" yaml:"dns_search,omitempty"`
	DNSOpt        []string `json:"dns_opt,omitempty" yaml:"dns_opt,omitempty"`
	ExtraHosts    []string `json:"extra_hosts,omitempty" yaml:"extra_hosts,omitempty"`
	MacAddress    string   `json:"mac_address,omitempty" yaml:"mac_address,omitempty"`
	ContainerName string   `json:"container_name,omitempty" yaml:"container_name,omitempty"`

	CapAdd       []string `json:"cap_add,omitempty" yaml:"cap_add,omitempty"`
	CapDrop      []string `json:"cap_drop,omitempty" yaml:"cap_drop,omitempty"`
	Devices      []string `json:"devices,omitempty" yaml:"devices,omitempty"`
	Privileged   bool     `json:"privileged,omitempty" yaml:"privileged,omitempty"`
	ReadOnly     bool     `json:"read_only,omitempty" yaml:"read_only,omitempty"`
	StdinOpen    bool     `json:"stdin_open,omitempty" yaml:"stdin_open,omitempty"`
	Tty          bool     `json:"tty,omitempty" yaml:"tty,omitempty"`
	User         string   `json:"user,omitempty" yaml:"user,omitempty"`
	WorkingDir   string   `json:"working_dir,omitempty" yaml:"working_dir,omitempty"`
	SecurityOpt  []string `json:"security_opt,omitempty" yaml:"security_opt,omitempty"`
	GroupAdd     []string `json:"group_add,omitempty" yaml:"group_add,omitempty"`
	Pid          string   `json:"pid,omitempty" yaml:"pid,omitempty"`
	Ipc          string   `json:"ipc,omitempty" yaml:"ipc,omitempty"`
	Uts          string   `json:"uts,omitempty" yaml:"uts,omitempty"`
	Isolation    string   `json:"isolation,omitempty" yaml:"isolation,omitempty"`
	StopSignal   string   `json:"stop_signal,omitempty" yaml:"stop_signal,omitempty"`
	Restart      string   `json:"restart,omitempty" yaml:"restart,omitempty"`
	CgroupParent string   `json:"cgroup_parent,omitempty" yaml:"cgroup_parent,omitempty"`
	Tmpfs        []string `json:"tmpfs,omitempty" yaml:"tmpfs,omitempty"`

	// Memory sizes in bytes (mem_limit also takes deploy.resources.limits.memory as a fallback).
	MemLimit       int64 `json:"mem_limit,omitempty" yaml:"mem_limit,omitempty"`
	MemReservation int64 `json:"mem_reservation,omitempty" yaml:"mem_reservation,omitempty"`
	MemSwapLimit   int64 `json:"memswap_limit,omitempty" yaml:"memswap_limit,omitempty"`
	MemSwappiness  int64 `json:"mem_swappiness,omitempty" yaml:"mem_swappiness,omitempty"`
	ShmSize        int64 `json:"shm_size,omitempty" yaml:"shm_size,omitempty"`
	OomKillDisable bool  `json:"oom_kill_disable,omitempty" yaml:"oom_kill_disable,omitempty"`
	OomScoreAdj    int64 `json:"oom_score_adj,omitempty" yaml:"oom_score_adj,omitempty"`

	CPUShares int64  `json:"cpu_shares,omitempty" yaml:"cpu_shares,omitempty"`
	CPUSet    string `json:"cpuset,omitempty" yaml:"cpuset,omitempty"`
	CPUQuota  int64  `json:"cpu_quota,omitempty" yaml:"cpu_quota,omitempty"`
	CPUPeriod int64  `json:"cpu_period,omitempty" yaml:"cpu_period,omitempty"`

	BlkioWeight       int64             `json:"blkio_weight,omitempty" yaml:"blkio_weight,omitempty"`
	BlkioWeightDevice []string          `json:"blkio_weight_device,omitempty" yaml:"blkio_weight_device,omitempty"`
	DeviceReadBps     map[string]string `json:"device_read_bps,omitempty" yaml:"device_read_bps,omitempty"`
	DeviceReadIOps    map[string]string `json:"device_read_iops,omitempty" yaml:"device_read_iops,omitempty"`
	DeviceWriteBps    map[string]string `json:"device_write_bps,omitempty" yaml:"device_write_bps,omitempty"`
	DeviceWriteIOps   map[string]string `json:"device_write_iops,omitempty" yaml:"device_write_iops,omitempty"`

	// Logging is v2 logging, or v1 log_driver + log_opt.
	Logging *Logging           `json:"logging,omitempty" yaml:"logging,omitempty"`
	Ulimits map[string]*Ulimit `json:"ulimits,omitempty" yaml:"ulimits,omitempty"`

	// Healthcheck is the compose 2.1+/3.x `healthcheck:` (kept; Rancher's own health check is
	// rancher-compose `health_check`).
	Healthcheck *Healthcheck `json:"healthcheck,omitempty" yaml:"healthcheck,omitempty"`
	// Deploy keeps the parts of compose 3.x `deploy:` with a Rancher meaning.
	Deploy *Deploy `json:"deploy,omitempty" yaml:"deploy,omitempty"`
}

// Build is a service's image build.
type Build struct {
	Context    string            `json:"context,omitempty" yaml:"context,omitempty"`
	Dockerfile string            `json:"dockerfile,omitempty" yaml:"dockerfile,omitempty"`
	Args       map[string]string `json:"args,omitempty" yaml:"args,omitempty"`
}

// Logging is a log driver and its options.
type Logging struct {
	Driver  string            `json:"driver,omitempty" yaml:"driver,omitempty"`
	Options map[string]string `json:"options,omitempty" yaml:"options,omitempty"`
}

// Ulimit is one ulimit: a single value (Soft == Hard, Single set) or soft/hard.
type Ulimit struct {
	Soft   int64 `json:"soft" yaml:"soft"`
	Hard   int64 `json:"hard" yaml:"hard"`
	Single bool  `json:"-" yaml:"-"`
}

// Healthcheck is compose's container health check (2.1+/3.x); durations are kept as written.
type Healthcheck struct {
	Test        []string `json:"test,omitempty" yaml:"test,omitempty,flow"`
	Interval    string   `json:"interval,omitempty" yaml:"interval,omitempty"`
	Timeout     string   `json:"timeout,omitempty" yaml:"timeout,omitempty"`
	Retries     int64    `json:"retries,omitempty" yaml:"retries,omitempty"`
	StartPeriod string   `json:"start_period,omitempty" yaml:"start_period,omitempty"`
	Disable     bool     `json:"disable,omitempty" yaml:"disable,omitempty"`
}

// Deploy is the part of compose 3.x `deploy:` Rancher can use (deploy_keys.go maps each key).
type Deploy struct {
	// Replicas is the scale fallback when rancher-compose has no scale.
	Replicas *int64 `json:"replicas,omitempty" yaml:"replicas,omitempty"`
	// MemoryLimit is deploy.resources.limits.memory in bytes (a mem_limit fallback).
	MemoryLimit int64 `json:"memory_limit,omitempty" yaml:"memory_limit,omitempty"`
	// MemoryReservation is deploy.resources.reservations.memory in bytes (a mem_reservation fallback).
	MemoryReservation int64 `json:"memory_reservation,omitempty" yaml:"memory_reservation,omitempty"`
	// Global is deploy.mode: global (the io.rancher.scheduler.global label).
	Global bool `json:"global,omitempty" yaml:"global,omitempty"`
	// UpdateConfig is deploy.update_config, an upgrade_strategy fallback.
	UpdateConfig *UpdateConfig `json:"update_config,omitempty" yaml:"update_config,omitempty"`
	// Labels are the scheduler labels deploy.placement.constraints become (host-label affinities).
	Labels map[string]string `json:"labels,omitempty" yaml:"labels,omitempty"`
}

// UpdateConfig is the part of deploy.update_config Rancher's in-service upgrade can honour.
type UpdateConfig struct {
	// Parallelism is the batch size (0: not set).
	Parallelism int64 `json:"parallelism,omitempty" yaml:"parallelism,omitempty"`
	// DelayMillis is the interval between batches (0: not set).
	DelayMillis int64 `json:"delay_millis,omitempty" yaml:"delay_millis,omitempty"`
	// StartFirst is order: start-first.
	StartFirst bool `json:"start_first,omitempty" yaml:"start_first,omitempty"`
}
