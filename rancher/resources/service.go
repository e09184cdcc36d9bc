// Mirrored from service-hash.md §6.2 (go-rancher v2 at af955cd, alphabetical like go-rancher's generator): keep order and tags.

package resources

// Service mirrors go-rancher v2 Service field for field, with its json (wire) and yaml (hash) tags.
type Service struct {
	Resource

	AccountId              string                  `json:"accountId,omitempty" yaml:"account_id,omitempty"`
	AssignServiceIpAddress bool                    `json:"assignServiceIpAddress,omitempty" yaml:"assign_service_ip_address,omitempty"`
	CreateIndex            int64                   `json:"createIndex,omitempty" yaml:"create_index,omitempty"`
	Created                string                  `json:"created,omitempty" yaml:"created,omitempty"`
	CurrentScale           int64                   `json:"currentScale,omitempty" yaml:"current_scale,omitempty"`
	Data                   map[string]interface{}  `json:"data,omitempty" yaml:"data,omitempty"`
	Description            string                  `json:"description,omitempty" yaml:"description,omitempty"`
	ExternalId             string                  `json:"externalId,omitempty" yaml:"external_id,omitempty"`
	Fqdn                   string                  `json:"fqdn,omitempty" yaml:"fqdn,omitempty"`
	HealthState            string                  `json:"healthState,omitempty" yaml:"health_state,omitempty"`
	InstanceIds            []string                `json:"instanceIds,omitempty" yaml:"instance_ids,omitempty"`
	Kind                   string                  `json:"kind,omitempty" yaml:"kind,omitempty"`
	LaunchConfig           *LaunchConfig           `json:"launchConfig,omitempty" yaml:"launch_config,omitempty"`
	LbConfig               *LbTargetConfig         `json:"lbConfig,omitempty" yaml:"lb_config,omitempty"`
	LinkedServices         map[string]interface{}  `json:"linkedServices,omitempty" yaml:"linked_services,omitempty"`
	Metadata               map[string]interface{}  `json:"metadata,omitempty" yaml:"metadata,omitempty"`
	Name                   string                  `json:"name,omitempty" yaml:"name,omitempty"`
	PublicEndpoints        []PublicEndpoint        `json:"publicEndpoints,omitempty" yaml:"public_endpoints,omitempty"`
	RemoveTime             string                  `json:"removeTime,omitempty" yaml:"remove_time,omitempty"`
	Removed                string                  `json:"removed,omitempty" yaml:"removed,omitempty"`
	RetainIp               bool                    `json:"retainIp,omitempty" yaml:"retain_ip,omitempty"`
	Scale                  int64                   `json:"scale,omitempty" yaml:"scale,omitempty"`
	ScalePolicy            *ScalePolicy            `json:"scalePolicy,omitempty" yaml:"scale_policy,omitempty"`
	SecondaryLaunchConfigs []SecondaryLaunchConfig `json:"secondaryLaunchConfigs,omitempty" yaml:"secondary_launch_configs,omitempty"`
	SelectorContainer      string                  `json:"selectorContainer,omitempty" yaml:"selector_container,omitempty"`
	SelectorLink           string                  `json:"selectorLink,omitempty" yaml:"selector_link,omitempty"`
	StackId                string                  `json:"stackId,omitempty" yaml:"stack_id,omitempty"`
	StartOnCreate          bool                    `json:"startOnCreate,omitempty" yaml:"start_on_create,omitempty"`
	State                  string                  `json:"state,omitempty" yaml:"state,omitempty"`
	System                 bool                    `json:"system,omitempty" yaml:"system,omitempty"`
	Transitioning          string                  `json:"transitioning,omitempty" yaml:"transitioning,omitempty"`
	TransitioningMessage   string                  `json:"transitioningMessage,omitempty" yaml:"transitioning_message,omitempty"`
	TransitioningProgress  int64                   `json:"transitioningProgress,omitempty" yaml:"transitioning_progress,omitempty"`
	Upgrade                *ServiceUpgrade         `json:"upgrade,omitempty" yaml:"upgrade,omitempty"`
	Uuid                   string                  `json:"uuid,omitempty" yaml:"uuid,omitempty"`
	Vip                    string                  `json:"vip,omitempty" yaml:"vip,omitempty"`
}

// ScalePolicy mirrors go-rancher v2 ScalePolicy field for field, with its json (wire) and yaml (hash) tags.
type ScalePolicy struct {
	Resource

	Increment int64 `json:"increment,omitempty" yaml:"increment,omitempty"`
	Max       int64 `json:"max,omitempty" yaml:"max,omitempty"`
	Min       int64 `json:"min,omitempty" yaml:"min,omitempty"`
}

// PublicEndpoint mirrors go-rancher v2 PublicEndpoint field for field, with its json (wire) and yaml (hash) tags.
type PublicEndpoint struct {
	Resource

	HostId     string `json:"hostId,omitempty" yaml:"host_id,omitempty"`
	InstanceId string `json:"instanceId,omitempty" yaml:"instance_id,omitempty"`
	IpAddress  string `json:"ipAddress,omitempty" yaml:"ip_address,omitempty"`
	Port       int64  `json:"port,omitempty" yaml:"port,omitempty"`
	ServiceId  string `json:"serviceId,omitempty" yaml:"service_id,omitempty"`
}
