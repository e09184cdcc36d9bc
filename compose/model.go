package compose

// Project is the loaded, merged, interpolated and validated configuration: the one model every command
// uses (config prints it; create/up/upgrade deploy it).
type Project struct {
	// Name is the sanitised stack name (§1.4 of the original's behaviour).
	Name string `json:"name" yaml:"name"`
	// ComposeFiles are the docker-compose files read, in merge order ("-" is stdin).
	ComposeFiles []string `json:"composeFiles" yaml:"composeFiles"`
	// RancherFile is the rancher-compose.yml that supplied the Rancher keys; "" when they came from the
	// first compose file (the original's fallback when rancher-compose.yml is missing or empty).
	RancherFile string `json:"rancherFile,omitempty" yaml:"rancherFile,omitempty"`
	// WorkDir is the directory the project was loaded from (the first file's directory, or the working
	// directory for stdin); relative build contexts and volume paths refer to it.
	WorkDir string `json:"-" yaml:"-"`
	// Services in name order. Sidekicks are services too (with SidekickOf set).
	Services []*Service `json:"services" yaml:"services"`
	// Disabled are the services ApplyProfiles left out (not orphans: the files define them).
	Disabled []string `json:"-" yaml:"-"`
	// Volumes and Networks are the top-level keys of version 2+ files (name → raw definition).
	Volumes  map[string]*Volume `json:"volumes,omitempty" yaml:"volumes,omitempty"`
	Networks map[string]any     `json:"networks,omitempty" yaml:"networks,omitempty"`
	// Catalog holds the rancher-compose.yml `.catalog` section, if any.
	Catalog *Catalog `json:"catalog,omitempty" yaml:"catalog,omitempty"`
	// Variables lists every variable the files use, with the value used and where it came from.
	Variables []Variable `json:"-" yaml:"-"`
	// Warnings are the non-fatal findings (warnings and infos), sorted by position.
	Warnings []Diagnostic `json:"-" yaml:"-"`
}

// Service is one compose service with its Rancher settings.
type Service struct {
	// Name is the compose service name (the Rancher service or sidekick name).
	Name string `json:"name" yaml:"name"`
	// Compose is the docker-compose side, close to libcompose's ServiceConfig.
	Compose ServiceConfig `json:"compose" yaml:"compose"`
	// Rancher is this service's rancher-compose entry; nil when the rancher source has no entry for it.
	// Whether the entry exists matters for the service hash (ports/expose and metadata handling).
	Rancher *RancherConfig `json:"rancher,omitempty" yaml:"rancher,omitempty"`
	// Sidekicks are the names in this service's io.rancher.sidekicks label, split on ',' and trimmed,
	// in label order.
	Sidekicks []string `json:"sidekicks,omitempty" yaml:"sidekicks,omitempty"`
	// SidekickOf is the primary whose io.rancher.sidekicks label names this service ("" for primaries).
	SidekickOf string `json:"sidekickOf,omitempty" yaml:"sidekickOf,omitempty"`
	// Pos is where the service is defined (its key in the last compose file that sets it).
	Pos Pos `json:"-" yaml:"-"`
	// refs holds the positions of reference values ("links[0]", "network_mode", ...) for messages.
	refs map[string]Pos
	// path is the service's YAML path ("web" in a v1 file, "services.web" otherwise).
	path string
	// portRuleRefs are the services named by lb_config port rules; sidekicksBlanked is set when an
	// unset variable was blanked into the io.rancher.sidekicks label.
	portRuleRefs     []valueRef
	sidekicksBlanked bool
	// keys holds where each key of the service is written (see Key).
	keys map[string]KeyRef
}

// refPos returns the position of a reference value, or the service's position.
func (s *Service) refPos(key string) Pos {
	if p, ok := s.refs[key]; ok {
		return p
	}
	return s.Pos
}

// IsSidekick reports whether the service is a secondary launch config of another service.
func (s *Service) IsSidekick() bool { return s.SidekickOf != "" }

// Scale is the configured scale as the original computes it (getConfiguredScale): rancher-compose
// `scale`, else compose deploy.replicas, defaulting to 1 when unset or not positive.
func (s *Service) Scale() int64 {
	if s.Rancher != nil && s.Rancher.Scale != nil && *s.Rancher.Scale > 0 {
		return *s.Rancher.Scale
	}
	if s.Compose.Deploy != nil && s.Compose.Deploy.Replicas != nil && *s.Compose.Deploy.Replicas > 0 {
		return *s.Compose.Deploy.Replicas
	}
	return 1
}

// Service returns the service named name, or nil.
func (p *Project) Service(name string) *Service {
	for _, s := range p.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// ServiceNames returns all service names (sidekicks included), sorted.
func (p *Project) ServiceNames() []string {
	names := make([]string, len(p.Services))
	for i, s := range p.Services {
		names[i] = s.Name
	}
	return names
}

// Primaries returns the services that are not sidekicks: the ones that become Rancher services.
func (p *Project) Primaries() []*Service {
	var out []*Service
	for _, s := range p.Services {
		if !s.IsSidekick() {
			out = append(out, s)
		}
	}
	return out
}

// Volume is a top-level named volume (version 2+).
type Volume struct {
	Driver     string            `json:"driver,omitempty" yaml:"driver,omitempty"`
	DriverOpts map[string]string `json:"driver_opts,omitempty" yaml:"driver_opts,omitempty"`
	External   bool              `json:"external,omitempty" yaml:"external,omitempty"`
	// ExternalName is external.name when given.
	ExternalName string `json:"external_name,omitempty" yaml:"external_name,omitempty"`
	// PerContainer is the Rancher `per_container` flag.
	PerContainer bool `json:"per_container,omitempty" yaml:"per_container,omitempty"`
}

// Catalog is the `.catalog` (or `catalog`) section of rancher-compose.yml.
type Catalog struct {
	Name        string     `json:"name,omitempty" yaml:"name,omitempty"`
	Version     string     `json:"version,omitempty" yaml:"version,omitempty"`
	Description string     `json:"description,omitempty" yaml:"description,omitempty"`
	Questions   []Question `json:"questions,omitempty" yaml:"questions,omitempty"`
}

// Question is one catalog question; only Variable and Default matter to loading (defaults fill variables
// no source sets; nothing ever prompts).
type Question struct {
	Variable    string `json:"variable" yaml:"variable"`
	Label       string `json:"label,omitempty" yaml:"label,omitempty"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	Type        string `json:"type,omitempty" yaml:"type,omitempty"`
	Required    bool   `json:"required,omitempty" yaml:"required,omitempty"`
	// Default is the default's text ("" when absent); HasDefault tells an explicit "" from no default.
	Default    string `json:"default,omitempty" yaml:"default,omitempty"`
	HasDefault bool   `json:"-" yaml:"-"`
	Pos        Pos    `json:"-" yaml:"-"`
}

// Variable is one interpolation variable used by the project.
type Variable struct {
	Name  string `json:"name" yaml:"name"`
	Value string `json:"value" yaml:"value"`
	// Source is where the value came from: "env-file", "os", ".env", "catalog default", or "unset".
	Source string `json:"source" yaml:"source"`
	// Uses are the places that reference the variable.
	Uses []Pos `json:"uses" yaml:"uses"`
}
