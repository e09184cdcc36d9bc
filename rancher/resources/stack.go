package resources

// Stack is a v2-beta stack (a v1 "environment"): the group of services one rancher-compose project deploys.
type Stack struct {
	Resource

	AccountId             string                 `json:"accountId,omitempty"`
	Answers               map[string]interface{} `json:"answers,omitempty"`
	Binding               map[string]interface{} `json:"binding,omitempty"`
	Created               string                 `json:"created,omitempty"`
	Description           string                 `json:"description,omitempty"`
	DockerCompose         string                 `json:"dockerCompose,omitempty"`
	Environment           map[string]interface{} `json:"environment,omitempty"`
	ExternalId            string                 `json:"externalId,omitempty"`
	Group                 string                 `json:"group,omitempty"`
	HealthState           string                 `json:"healthState,omitempty"`
	Kind                  string                 `json:"kind,omitempty"`
	Name                  string                 `json:"name,omitempty"`
	Outputs               map[string]interface{} `json:"outputs,omitempty"`
	PreviousEnvironment   map[string]interface{} `json:"previousEnvironment,omitempty"`
	PreviousExternalId    string                 `json:"previousExternalId,omitempty"`
	RancherCompose        string                 `json:"rancherCompose,omitempty"`
	Removed               string                 `json:"removed,omitempty"`
	RemoveTime            string                 `json:"removeTime,omitempty"`
	ServiceIds            []string               `json:"serviceIds,omitempty"`
	StartOnCreate         bool                   `json:"startOnCreate,omitempty"`
	State                 string                 `json:"state,omitempty"`
	System                bool                   `json:"system,omitempty"`
	Templates             map[string]interface{} `json:"templates,omitempty"`
	Transitioning         string                 `json:"transitioning,omitempty"`
	TransitioningMessage  string                 `json:"transitioningMessage,omitempty"`
	TransitioningProgress int64                  `json:"transitioningProgress,omitempty"`
	Uuid                  string                 `json:"uuid,omitempty"`
}
