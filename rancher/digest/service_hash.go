package digest

import (
	"fmt"
	"reflect"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// ServiceHash holds the three kinds of digest of one service: its CompositeService (stored in
// metadata), its primary launch config and each sidekick's, keyed by sidekick name (stored in labels).
type ServiceHash struct {
	Service                string
	LaunchConfig           string
	SecondaryLaunchConfigs map[string]string
}

// Create computes the digests as the original's CreateServiceHash does. service must not carry its launch
// configs yet, and none of the values may carry the hash key yet (it is in the ignore list anyway).
func Create(service *resources.CompositeService, launchConfig *resources.LaunchConfig, secondaries []resources.SecondaryLaunchConfig) (ServiceHash, error) {
	var (
		result ServiceHash
		err    error
	)
	if result.Service, err = Of(service); err != nil {
		return result, fmt.Errorf("service digest: %w", err)
	}
	if result.LaunchConfig, err = Of(launchConfig); err != nil {
		return result, fmt.Errorf("launch config digest: %w", err)
	}
	for _, s := range secondaries {
		d, err := Of(s)
		if err != nil {
			return result, fmt.Errorf("sidekick %s digest: %w", s.Name, err)
		}
		if result.SecondaryLaunchConfigs == nil {
			result.SecondaryLaunchConfigs = map[string]string{}
		}
		result.SecondaryLaunchConfigs[s.Name] = d
	}
	return result, nil
}

// Lookup reads the digests stored on an existing service. ok is false when the service has no service
// digest: the original then treats it as always out of sync.
func Lookup(service *resources.Service) (h ServiceHash, ok bool) {
	h.SecondaryLaunchConfigs = map[string]string{}
	h.Service = text(service.Metadata[Key])
	if service.LaunchConfig != nil {
		h.LaunchConfig = text(service.LaunchConfig.Labels[Key])
	}
	for _, s := range service.SecondaryLaunchConfigs {
		h.SecondaryLaunchConfigs[s.Name] = text(s.Labels[Key])
	}
	return h, h.Service != ""
}

// Equals reports whether every digest matches; a nil and an empty sidekick map are equal.
func (h ServiceHash) Equals(other ServiceHash) bool {
	if h.Service != other.Service || h.LaunchConfig != other.LaunchConfig {
		return false
	}
	if len(h.SecondaryLaunchConfigs) == 0 && len(other.SecondaryLaunchConfigs) == 0 {
		return true
	}
	return reflect.DeepEqual(h.SecondaryLaunchConfigs, other.SecondaryLaunchConfigs)
}

// Stamp writes the digests into the values, as the original does after hashing: the service digest into
// metadata, the launch config's into its labels and each sidekick's into its labels (maps are created
// when nil).
func (h ServiceHash) Stamp(service *resources.Service, launchConfig *resources.LaunchConfig, secondaries []resources.SecondaryLaunchConfig) {
	if service != nil {
		if service.Metadata == nil {
			service.Metadata = map[string]interface{}{}
		}
		service.Metadata[Key] = h.Service
	}
	if launchConfig != nil {
		if launchConfig.Labels == nil {
			launchConfig.Labels = map[string]interface{}{}
		}
		launchConfig.Labels[Key] = h.LaunchConfig
	}
	for i := range secondaries {
		if secondaries[i].Labels == nil {
			secondaries[i].Labels = map[string]interface{}{}
		}
		secondaries[i].Labels[Key] = h.SecondaryLaunchConfigs[secondaries[i].Name]
	}
}

func text(v interface{}) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf("%v", v)
}
