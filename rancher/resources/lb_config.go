// Mirrored from service-hash.md §6.2 (go-rancher v2 at af955cd, alphabetical like go-rancher's generator): keep order and tags.

package resources

// LbTargetConfig mirrors go-rancher v2 LbTargetConfig field for field, with its json (wire) and yaml (hash) tags.
type LbTargetConfig struct {
	Resource

	PortRules []TargetPortRule `json:"portRules,omitempty" yaml:"port_rules,omitempty"`
}

// TargetPortRule mirrors go-rancher v2 TargetPortRule field for field, with its json (wire) and yaml (hash) tags.
type TargetPortRule struct {
	Resource

	BackendName string `json:"backendName,omitempty" yaml:"backend_name,omitempty"`
	Hostname    string `json:"hostname,omitempty" yaml:"hostname,omitempty"`
	Path        string `json:"path,omitempty" yaml:"path,omitempty"`
	TargetPort  int64  `json:"targetPort,omitempty" yaml:"target_port,omitempty"`
}

// LbConfig mirrors go-rancher v2 LbConfig field for field, with its json (wire) and yaml (hash) tags.
type LbConfig struct {
	Resource

	CertificateIds       []string                            `json:"certificateIds,omitempty" yaml:"certificate_ids,omitempty"`
	Config               string                              `json:"config,omitempty" yaml:"config,omitempty"`
	DefaultCertificateId string                              `json:"defaultCertificateId,omitempty" yaml:"default_certificate_id,omitempty"`
	PortRules            []PortRule                          `json:"portRules,omitempty" yaml:"port_rules,omitempty"`
	StickinessPolicy     *LoadBalancerCookieStickinessPolicy `json:"stickinessPolicy,omitempty" yaml:"stickiness_policy,omitempty"`
}

// PortRule mirrors go-rancher v2 PortRule field for field, with its json (wire) and yaml (hash) tags.
type PortRule struct {
	Resource

	BackendName string `json:"backendName,omitempty" yaml:"backend_name,omitempty"`
	Hostname    string `json:"hostname,omitempty" yaml:"hostname,omitempty"`
	Path        string `json:"path,omitempty" yaml:"path,omitempty"`
	Priority    int64  `json:"priority,omitempty" yaml:"priority,omitempty"`
	Protocol    string `json:"protocol,omitempty" yaml:"protocol,omitempty"`
	Selector    string `json:"selector,omitempty" yaml:"selector,omitempty"`
	ServiceId   string `json:"serviceId,omitempty" yaml:"service_id,omitempty"`
	SourcePort  int64  `json:"sourcePort,omitempty" yaml:"source_port,omitempty"`
	TargetPort  int64  `json:"targetPort,omitempty" yaml:"target_port,omitempty"`
}

// LoadBalancerCookieStickinessPolicy mirrors go-rancher v2 LoadBalancerCookieStickinessPolicy field for field, with its json (wire) and yaml (hash) tags.
type LoadBalancerCookieStickinessPolicy struct {
	Resource

	Cookie   string `json:"cookie,omitempty" yaml:"cookie,omitempty"`
	Domain   string `json:"domain,omitempty" yaml:"domain,omitempty"`
	Indirect bool   `json:"indirect,omitempty" yaml:"indirect,omitempty"`
	Mode     string `json:"mode,omitempty" yaml:"mode,omitempty"`
	Name     string `json:"name,omitempty" yaml:"name,omitempty"`
	Nocache  bool   `json:"nocache,omitempty" yaml:"nocache,omitempty"`
	Postonly bool   `json:"postonly,omitempty" yaml:"postonly,omitempty"`
}
