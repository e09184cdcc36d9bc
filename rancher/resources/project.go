package resources

// Project is a Rancher environment (called "project" in the API).
type Project struct {
	Resource

	Created               string                   `json:"created,omitempty"`
	DefaultNetworkId      string                   `json:"defaultNetworkId,omitempty"`
	Description           string                   `json:"description,omitempty"`
	HealthState           string                   `json:"healthState,omitempty"`
	Kind                  string                   `json:"kind,omitempty"`
	Members               []map[string]interface{} `json:"members,omitempty"`
	Name                  string                   `json:"name,omitempty"`
	Orchestration         string                   `json:"orchestration,omitempty"`
	ProjectTemplateId     string                   `json:"projectTemplateId,omitempty"`
	Removed               string                   `json:"removed,omitempty"`
	RemoveTime            string                   `json:"removeTime,omitempty"`
	ServicesPortRange     map[string]interface{}   `json:"servicesPortRange,omitempty"`
	State                 string                   `json:"state,omitempty"`
	Transitioning         string                   `json:"transitioning,omitempty"`
	TransitioningMessage  string                   `json:"transitioningMessage,omitempty"`
	TransitioningProgress int64                    `json:"transitioningProgress,omitempty"`
	Uuid                  string                   `json:"uuid,omitempty"`
	Version               string                   `json:"version,omitempty"`
	VirtualMachine        bool                     `json:"virtualMachine,omitempty"`
}
