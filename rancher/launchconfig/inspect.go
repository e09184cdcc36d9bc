package launchconfig

// InspectDocument is the docker-inspect-like body the original POSTs to /scripts/transform: libcompose's
// Docker Config and HostConfig for one service (docker engine-api as vendored by rancher-compose v0.12.5),
// with HostConfig.NetworkMode blanked. Field order, names, null-versus-empty and omitempty follow what the
// original sent (../shared/goldens transform requests), so that Cattle answers it exactly as before.
type InspectDocument struct {
	Name       string      `json:"Name"`
	Config     *Config     `json:"Config"`
	HostConfig *HostConfig `json:"HostConfig"`
}

// Config is Docker's container.Config as the original encoded it.
type Config struct {
	Hostname     string              `json:"Hostname"`
	Domainname   string              `json:"Domainname"`
	User         string              `json:"User"`
	AttachStdin  bool                `json:"AttachStdin"`
	AttachStdout bool                `json:"AttachStdout"`
	AttachStderr bool                `json:"AttachStderr"`
	ExposedPorts map[string]struct{} `json:"ExposedPorts,omitempty"`
	Tty          bool                `json:"Tty"`
	OpenStdin    bool                `json:"OpenStdin"`
	StdinOnce    bool                `json:"StdinOnce"`
	Env          []string            `json:"Env"`
	Cmd          []string            `json:"Cmd"`
	Image        string              `json:"Image"`
	Volumes      map[string]struct{} `json:"Volumes"`
	WorkingDir   string              `json:"WorkingDir"`
	Entrypoint   []string            `json:"Entrypoint"`
	MacAddress   string              `json:"MacAddress,omitempty"`
	OnBuild      []string            `json:"OnBuild"`
	Labels       map[string]string   `json:"Labels"`
	StopSignal   string              `json:"StopSignal,omitempty"`
}

// HostConfig is Docker's container.HostConfig (with its embedded Resources) as the original encoded it.
type HostConfig struct {
	Binds           []string                 `json:"Binds"`
	ContainerIDFile string                   `json:"ContainerIDFile"`
	LogConfig       LogConfig                `json:"LogConfig"`
	NetworkMode     string                   `json:"NetworkMode"`
	PortBindings    map[string][]PortBinding `json:"PortBindings"`
	RestartPolicy   RestartPolicy            `json:"RestartPolicy"`
	AutoRemove      bool                     `json:"AutoRemove"`
	VolumeDriver    string                   `json:"VolumeDriver"`
	VolumesFrom     []string                 `json:"VolumesFrom"`
	CapAdd          []string                 `json:"CapAdd"`
	CapDrop         []string                 `json:"CapDrop"`
	DNS             []string                 `json:"Dns"`
	DNSOptions      []string                 `json:"DnsOptions"`
	DNSSearch       []string                 `json:"DnsSearch"`
	ExtraHosts      []string                 `json:"ExtraHosts"`
	GroupAdd        []string                 `json:"GroupAdd"`
	IpcMode         string                   `json:"IpcMode"`
	Cgroup          string                   `json:"Cgroup"`
	Links           []string                 `json:"Links"`
	OomScoreAdj     int64                    `json:"OomScoreAdj"`
	PidMode         string                   `json:"PidMode"`
	Privileged      bool                     `json:"Privileged"`
	PublishAllPorts bool                     `json:"PublishAllPorts"`
	ReadonlyRootfs  bool                     `json:"ReadonlyRootfs"`
	SecurityOpt     []string                 `json:"SecurityOpt"`
	Tmpfs           map[string]string        `json:"Tmpfs,omitempty"`
	UTSMode         string                   `json:"UTSMode"`
	UsernsMode      string                   `json:"UsernsMode"`
	ShmSize         int64                    `json:"ShmSize"`
	ConsoleSize     [2]int                   `json:"ConsoleSize"`
	Isolation       string                   `json:"Isolation"`
	Resources
}

// Resources is Docker's container.Resources, embedded in HostConfig.
type Resources struct {
	CPUShares            int64            `json:"CpuShares"`
	Memory               int64            `json:"Memory"`
	CgroupParent         string           `json:"CgroupParent"`
	BlkioWeight          int64            `json:"BlkioWeight"`
	BlkioWeightDevice    []WeightDevice   `json:"BlkioWeightDevice"`
	BlkioDeviceReadBps   []ThrottleDevice `json:"BlkioDeviceReadBps"`
	BlkioDeviceWriteBps  []ThrottleDevice `json:"BlkioDeviceWriteBps"`
	BlkioDeviceReadIOps  []ThrottleDevice `json:"BlkioDeviceReadIOps"`
	BlkioDeviceWriteIOps []ThrottleDevice `json:"BlkioDeviceWriteIOps"`
	CPUPeriod            int64            `json:"CpuPeriod"`
	CPUQuota             int64            `json:"CpuQuota"`
	CpusetCpus           string           `json:"CpusetCpus"`
	CpusetMems           string           `json:"CpusetMems"`
	Devices              []DeviceMapping  `json:"Devices"`
	DiskQuota            int64            `json:"DiskQuota"`
	KernelMemory         int64            `json:"KernelMemory"`
	MemoryReservation    int64            `json:"MemoryReservation"`
	MemorySwap           int64            `json:"MemorySwap"`
	MemorySwappiness     *int64           `json:"MemorySwappiness"`
	OomKillDisable       *bool            `json:"OomKillDisable"`
	PidsLimit            int64            `json:"PidsLimit"`
	Ulimits              []Ulimit         `json:"Ulimits"`
	CPUCount             int64            `json:"CpuCount"`
	CPUPercent           int64            `json:"CpuPercent"`
	IOMaximumIOps        uint64           `json:"IOMaximumIOps"`
	IOMaximumBandwidth   uint64           `json:"IOMaximumBandwidth"`
}

// LogConfig is the container's log driver; Config is null when the compose file gave no options.
type LogConfig struct {
	Type   string            `json:"Type"`
	Config map[string]string `json:"Config"`
}

// PortBinding is one host binding of a container port.
type PortBinding struct {
	HostIP   string `json:"HostIp"`
	HostPort string `json:"HostPort"`
}

// RestartPolicy is Docker's restart policy (Cattle drops it: the launch config has no such field).
type RestartPolicy struct {
	Name              string `json:"Name"`
	MaximumRetryCount int    `json:"MaximumRetryCount"`
}

// WeightDevice is one blkio weight device.
type WeightDevice struct {
	Path   string `json:"Path"`
	Weight uint16 `json:"Weight"`
}

// ThrottleDevice is one blkio rate limit.
type ThrottleDevice struct {
	Path string `json:"Path"`
	Rate uint64 `json:"Rate"`
}

// DeviceMapping is one host device exposed to the container.
type DeviceMapping struct {
	PathOnHost        string `json:"PathOnHost"`
	PathInContainer   string `json:"PathInContainer"`
	CgroupPermissions string `json:"CgroupPermissions"`
}

// Ulimit is one ulimit.
type Ulimit struct {
	Name string `json:"Name"`
	Hard int64  `json:"Hard"`
	Soft int64  `json:"Soft"`
}
