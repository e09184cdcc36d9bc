// Mirrored from service-hash.md §6.2 (go-rancher v2 at af955cd, alphabetical like go-rancher's generator): keep order and tags.

package resources

// ServiceUpgrade mirrors go-rancher v2 ServiceUpgrade field for field, with its json (wire) and yaml (hash) tags.
type ServiceUpgrade struct {
	Resource

	InServiceStrategy *InServiceUpgradeStrategy `json:"inServiceStrategy,omitempty" yaml:"in_service_strategy,omitempty"`
	ToServiceStrategy *ToServiceUpgradeStrategy `json:"toServiceStrategy,omitempty" yaml:"to_service_strategy,omitempty"`
}

// InServiceUpgradeStrategy mirrors go-rancher v2 InServiceUpgradeStrategy field for field, with its json (wire) and yaml (hash) tags.
type InServiceUpgradeStrategy struct {
	Resource

	BatchSize                      int64                   `json:"batchSize,omitempty" yaml:"batch_size,omitempty"`
	IntervalMillis                 int64                   `json:"intervalMillis,omitempty" yaml:"interval_millis,omitempty"`
	LaunchConfig                   *LaunchConfig           `json:"launchConfig,omitempty" yaml:"launch_config,omitempty"`
	PreviousLaunchConfig           *LaunchConfig           `json:"previousLaunchConfig,omitempty" yaml:"previous_launch_config,omitempty"`
	PreviousSecondaryLaunchConfigs []SecondaryLaunchConfig `json:"previousSecondaryLaunchConfigs,omitempty" yaml:"previous_secondary_launch_configs,omitempty"`
	SecondaryLaunchConfigs         []SecondaryLaunchConfig `json:"secondaryLaunchConfigs,omitempty" yaml:"secondary_launch_configs,omitempty"`
	StartFirst                     bool                    `json:"startFirst,omitempty" yaml:"start_first,omitempty"`
}

// ToServiceUpgradeStrategy mirrors go-rancher v2 ToServiceUpgradeStrategy field for field, with its json (wire) and yaml (hash) tags.
type ToServiceUpgradeStrategy struct {
	Resource

	BatchSize      int64  `json:"batchSize,omitempty" yaml:"batch_size,omitempty"`
	FinalScale     int64  `json:"finalScale,omitempty" yaml:"final_scale,omitempty"`
	IntervalMillis int64  `json:"intervalMillis,omitempty" yaml:"interval_millis,omitempty"`
	ToServiceId    string `json:"toServiceId,omitempty" yaml:"to_service_id,omitempty"`
	UpdateLinks    bool   `json:"updateLinks,omitempty" yaml:"update_links,omitempty"`
}
