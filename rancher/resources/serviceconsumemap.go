package resources

// ServiceConsumeMap is one link from a service (ServiceId) to the service it consumes, under an alias (Name).
type ServiceConsumeMap struct {
	Resource

	AccountId             string   `json:"accountId,omitempty"`
	ConsumedServiceId     string   `json:"consumedServiceId,omitempty"`
	Created               string   `json:"created,omitempty"`
	Description           string   `json:"description,omitempty"`
	Kind                  string   `json:"kind,omitempty"`
	Name                  string   `json:"name,omitempty"`
	Ports                 []string `json:"ports,omitempty"`
	Removed               string   `json:"removed,omitempty"`
	RemoveTime            string   `json:"removeTime,omitempty"`
	ServiceId             string   `json:"serviceId,omitempty"`
	State                 string   `json:"state,omitempty"`
	Transitioning         string   `json:"transitioning,omitempty"`
	TransitioningMessage  string   `json:"transitioningMessage,omitempty"`
	TransitioningProgress int64    `json:"transitioningProgress,omitempty"`
	Uuid                  string   `json:"uuid,omitempty"`
}
