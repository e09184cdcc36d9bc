package resources

// Host is a Docker host registered in the environment.
type Host struct {
	Resource

	AccountId                string                 `json:"accountId,omitempty"`
	AgentIpAddress           string                 `json:"agentIpAddress,omitempty"`
	AgentState               string                 `json:"agentState,omitempty"`
	Amazonec2Config          map[string]interface{} `json:"amazonec2Config,omitempty"`
	AuthCertificateAuthority string                 `json:"authCertificateAuthority,omitempty"`
	AuthKey                  string                 `json:"authKey,omitempty"`
	AzureConfig              map[string]interface{} `json:"azureConfig,omitempty"`
	ComputeTotal             int64                  `json:"computeTotal,omitempty"`
	Created                  string                 `json:"created,omitempty"`
	Description              string                 `json:"description,omitempty"`
	DigitaloceanConfig       map[string]interface{} `json:"digitaloceanConfig,omitempty"`
	DockerVersion            string                 `json:"dockerVersion,omitempty"`
	Driver                   string                 `json:"driver,omitempty"`
	EngineEnv                map[string]interface{} `json:"engineEnv,omitempty"`
	EngineInsecureRegistry   []string               `json:"engineInsecureRegistry,omitempty"`
	EngineInstallUrl         string                 `json:"engineInstallUrl,omitempty"`
	EngineLabel              map[string]interface{} `json:"engineLabel,omitempty"`
	EngineOpt                map[string]interface{} `json:"engineOpt,omitempty"`
	EngineRegistryMirror     []string               `json:"engineRegistryMirror,omitempty"`
	EngineStorageDriver      string                 `json:"engineStorageDriver,omitempty"`
	Hostname                 string                 `json:"hostname,omitempty"`
	Info                     map[string]interface{} `json:"info,omitempty"`
	InstanceIds              []string               `json:"instanceIds,omitempty"`
	Kind                     string                 `json:"kind,omitempty"`
	Labels                   map[string]interface{} `json:"labels,omitempty"`
	LocalStorageMb           int64                  `json:"localStorageMb,omitempty"`
	Memory                   int64                  `json:"memory,omitempty"`
	MilliCpu                 int64                  `json:"milliCpu,omitempty"`
	Name                     string                 `json:"name,omitempty"`
	PacketConfig             map[string]interface{} `json:"packetConfig,omitempty"`
	PhysicalHostId           string                 `json:"physicalHostId,omitempty"`
	PublicEndpoints          []PublicEndpoint       `json:"publicEndpoints,omitempty"`
	Removed                  string                 `json:"removed,omitempty"`
	RemoveTime               string                 `json:"removeTime,omitempty"`
	State                    string                 `json:"state,omitempty"`
	Transitioning            string                 `json:"transitioning,omitempty"`
	TransitioningMessage     string                 `json:"transitioningMessage,omitempty"`
	TransitioningProgress    int64                  `json:"transitioningProgress,omitempty"`
	Uuid                     string                 `json:"uuid,omitempty"`
}
