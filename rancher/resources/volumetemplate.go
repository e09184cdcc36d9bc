package resources

// VolumeTemplate is a stack-scoped volume definition (v2 top-level volumes).
type VolumeTemplate struct {
	Resource

	AccountId             string                 `json:"accountId,omitempty"`
	Created               string                 `json:"created,omitempty"`
	Description           string                 `json:"description,omitempty"`
	Driver                string                 `json:"driver,omitempty"`
	DriverOpts            map[string]interface{} `json:"driverOpts,omitempty"`
	External              bool                   `json:"external,omitempty"`
	Kind                  string                 `json:"kind,omitempty"`
	Name                  string                 `json:"name,omitempty"`
	PerContainer          bool                   `json:"perContainer,omitempty"`
	Removed               string                 `json:"removed,omitempty"`
	RemoveTime            string                 `json:"removeTime,omitempty"`
	StackId               string                 `json:"stackId,omitempty"`
	State                 string                 `json:"state,omitempty"`
	Transitioning         string                 `json:"transitioning,omitempty"`
	TransitioningMessage  string                 `json:"transitioningMessage,omitempty"`
	TransitioningProgress int64                  `json:"transitioningProgress,omitempty"`
	Uuid                  string                 `json:"uuid,omitempty"`
}
