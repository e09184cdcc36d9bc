package upgrade

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// Service is an existing Rancher service as the API returns it: the fields the planner and executor read.
// It decodes straight from the API's JSON, so any client can feed it (see ServiceFromJSON).
type Service struct {
	ID                     string            `json:"id"`
	Name                   string            `json:"name"`
	Kind                   string            `json:"type"`
	StackID                string            `json:"stackId,omitempty"`
	State                  string            `json:"state"`
	Transitioning          string            `json:"transitioning,omitempty"`
	TransitioningMessage   string            `json:"transitioningMessage,omitempty"`
	HealthState            string            `json:"healthState,omitempty"`
	Scale                  int64             `json:"scale"`
	CurrentScale           int64             `json:"currentScale,omitempty"`
	Actions                map[string]string `json:"actions,omitempty"`
	Metadata               map[string]any    `json:"metadata,omitempty"`
	SelectorLink           string            `json:"selectorLink,omitempty"`
	LaunchConfig           map[string]any    `json:"launchConfig,omitempty"`
	SecondaryLaunchConfigs []map[string]any  `json:"secondaryLaunchConfigs,omitempty"`
	// LinkedServices maps a link alias to the target's id (read-only, filled by the server).
	LinkedServices map[string]any `json:"linkedServices,omitempty"`
}

// ServiceFromJSON decodes one service resource of the API.
func ServiceFromJSON(data []byte) (*Service, error) {
	var s Service
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("decoding service: %w", err)
	}
	return &s, nil
}

// ServiceFrom converts any JSON-marshalable service value (for example the client's typed resource).
func ServiceFrom(v any) (*Service, error) {
	switch s := v.(type) {
	case *Service:
		return s, nil
	case *resources.Service:
		return serviceOf(s)
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding service: %w", err)
	}
	return ServiceFromJSON(data)
}

// serviceOf is what a JSON round trip of the client's typed resource gives, without encoding and decoding
// the whole service (a sixth of a 500-service deploy's CPU went there): the fields are copied, their maps
// shared (nothing reads a Service to change it), and only the launch configs, typed there and maps here, go
// through JSON. An empty map or list reads the same as the nil one the round trip would give.
func serviceOf(r *resources.Service) (*Service, error) {
	s := serviceHead(r)
	if r.LaunchConfig != nil {
		lc, err := ToMap(r.LaunchConfig)
		if err != nil {
			return nil, fmt.Errorf("decoding service %s: %w", r.Name, err)
		}
		s.LaunchConfig = lc
	}
	for i := range r.SecondaryLaunchConfigs {
		lc, err := ToMap(&r.SecondaryLaunchConfigs[i])
		if err != nil {
			return nil, fmt.Errorf("decoding service %s: %w", r.Name, err)
		}
		s.SecondaryLaunchConfigs = append(s.SecondaryLaunchConfigs, lc)
	}
	return s, nil
}

// serviceHead is serviceOf without the launch configs.
func serviceHead(r *resources.Service) *Service {
	return &Service{ID: r.Id, Name: r.Name, Kind: r.Type, StackID: r.StackId, State: r.State,
		Transitioning: r.Transitioning, TransitioningMessage: r.TransitioningMessage, HealthState: r.HealthState,
		Scale: r.Scale, CurrentScale: r.CurrentScale, Actions: r.Actions, Metadata: r.Metadata,
		SelectorLink: r.SelectorLink, LinkedServices: r.LinkedServices}
}

// healthViewOf is HealthView(ServiceFrom(r)) for what the health waits read of the launch configs (name,
// version, labels, whether a health check is set: healthcheck's assess), without converting them whole.
func healthViewOf(r *resources.Service) *healthcheck.Service {
	v := HealthView(serviceHead(r))
	if r.LaunchConfig != nil {
		v.LaunchConfig = launchConfigSummary(r.LaunchConfig.Labels, r.LaunchConfig.Version, r.LaunchConfig.HealthCheck != nil)
	}
	for i := range r.SecondaryLaunchConfigs {
		sk := &r.SecondaryLaunchConfigs[i]
		m := launchConfigSummary(sk.Labels, sk.Version, sk.HealthCheck != nil)
		if sk.Name != "" {
			m["name"] = sk.Name
		}
		v.SecondaryLaunchConfigs = append(v.SecondaryLaunchConfigs, m)
	}
	return v
}

// launchConfigSummary holds the keys of a launch config the health waits read, as ToMap would give them.
func launchConfigSummary(labels map[string]any, version string, health bool) map[string]any {
	m := map[string]any{}
	if len(labels) > 0 {
		m["labels"] = labels
	}
	if version != "" {
		m["version"] = version
	}
	if health {
		m["healthCheck"] = map[string]any{}
	}
	return m
}

// HasAction tells whether the API offers the action in the service's current state.
func (s *Service) HasAction(name string) bool {
	_, ok := s.Actions[name]
	return ok
}

// Digests reads the stored digests as the original does (service-hash.md §1): fmt "%v" of the value,
// a missing one reads as "", sidekicks keyed by name.
func (s *Service) Digests() Digests {
	d := Digests{Service: stringOf(s.Metadata[HashKey]), Primary: labelOf(s.LaunchConfig, HashKey)}
	for _, sk := range s.SecondaryLaunchConfigs {
		if d.Sidekicks == nil {
			d.Sidekicks = map[string]string{}
		}
		d.Sidekicks[stringOf(sk["name"])] = labelOf(sk, HashKey)
	}
	return d
}

// Sidekick returns the live secondary launch config of that name, or nil.
func (s *Service) Sidekick(name string) map[string]any {
	for _, sk := range s.SecondaryLaunchConfigs {
		if stringOf(sk["name"]) == name {
			return sk
		}
	}
	return nil
}

// Image is the primary image without the "docker:" prefix, or "".
func (s *Service) Image() string { return imageOf(s.LaunchConfig) }

func labelOf(lc map[string]any, key string) string {
	labels, _ := lc["labels"].(map[string]any)
	return stringOf(labels[key])
}

func stringOf(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprintf("%v", v)
}

func imageOf(lc map[string]any) string {
	return strings.TrimPrefix(stringOf(lc["imageUuid"]), "docker:")
}

// ToMap turns any JSON-marshalable value (for example a typed create body) into the map form Desired holds.
func ToMap(v any) (map[string]any, error) {
	if v == nil {
		return nil, nil
	}
	if m, ok := v.(map[string]any); ok {
		return m, nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encoding body: %w", err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("decoding body: %w", err)
	}
	return m, nil
}
