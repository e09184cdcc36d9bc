package resources

// PullTask pulls an image on every host matching its labels; Status maps host name to "Done" or an error text.
type PullTask struct {
	Resource

	AccountId             string                 `json:"accountId,omitempty"`
	Created               string                 `json:"created,omitempty"`
	Description           string                 `json:"description,omitempty"`
	Image                 string                 `json:"image,omitempty"`
	Kind                  string                 `json:"kind,omitempty"`
	Labels                map[string]interface{} `json:"labels,omitempty"`
	Mode                  string                 `json:"mode,omitempty"`
	Name                  string                 `json:"name,omitempty"`
	Removed               string                 `json:"removed,omitempty"`
	RemoveTime            string                 `json:"removeTime,omitempty"`
	State                 string                 `json:"state,omitempty"`
	Status                map[string]interface{} `json:"status,omitempty"`
	Transitioning         string                 `json:"transitioning,omitempty"`
	TransitioningMessage  string                 `json:"transitioningMessage,omitempty"`
	TransitioningProgress int64                  `json:"transitioningProgress,omitempty"`
	Uuid                  string                 `json:"uuid,omitempty"`
}
