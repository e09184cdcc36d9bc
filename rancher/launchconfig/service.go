package launchconfig

import (
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/digest"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// Labels that set a service's selectors.
const (
	selectorContainerLabel = "io.rancher.service.selector.container"
	selectorLinkLabel      = "io.rancher.service.selector.link"
)

// compositeService builds the service-level value as the original's NormalFactory.config did, before the
// load balancer fields and without launch configs.
func (b *Builder) compositeService(s *compose.Service) (*resources.CompositeService, error) {
	svc := &resources.CompositeService{Service: resources.Service{
		Name:              s.Name,
		Metadata:          metadata(s.Rancher),
		Scale:             s.Scale(),
		StackId:           b.StackID,
		SelectorContainer: s.Compose.Labels[selectorContainerLabel],
		SelectorLink:      s.Compose.Labels[selectorLinkLabel],
	}}
	rc := s.Rancher
	if rc == nil {
		return svc, nil
	}
	svc.RetainIp = rc.RetainIP
	if p := rc.ScalePolicy; p != nil {
		svc.ScalePolicy = &resources.ScalePolicy{Increment: p.Increment, Max: p.Max, Min: p.Min}
	}
	svc.ExternalIpAddresses = copyStrings(rc.ExternalIPs)
	svc.Hostname = rc.Hostname
	svc.HealthCheck = healthCheck(rc)
	if rc.StorageDriver != nil {
		svc.StorageDriver = &resources.StorageDriver{}
		if err := digest.Convert(rc.StorageDriver, svc.StorageDriver); err != nil {
			return nil, fmt.Errorf("service %s: storage_driver: %w", s.Name, err)
		}
		svc.StorageDriver.Data = stringKeyMap(svc.StorageDriver.Data)
	}
	if rc.NetworkDriver != nil {
		nd := &resources.NetworkDriver{}
		if err := digest.Convert(rc.NetworkDriver, nd); err != nil {
			return nil, fmt.Errorf("service %s: network_driver: %w", s.Name, err)
		}
		nd.CniConfig, nd.Data, nd.NetworkMetadata = stringKeyMap(nd.CniConfig), stringKeyMap(nd.Data), stringKeyMap(nd.NetworkMetadata)
		nd.DefaultNetwork.Data, nd.DefaultNetwork.Metadata = stringKeyMap(nd.DefaultNetwork.Data), stringKeyMap(nd.DefaultNetwork.Metadata)
		for i := range nd.DefaultNetwork.Subnets {
			nd.DefaultNetwork.Subnets[i].Data = stringKeyMap(nd.DefaultNetwork.Subnets[i].Data)
		}
		svc.NetworkDriver = nd
	}
	return svc, nil
}

// metadata returns a new map each time (the digest is stamped into it), empty when the service has no
// rancher-compose entry.
func metadata(rc *compose.RancherConfig) map[string]interface{} {
	out := map[string]interface{}{}
	if rc == nil {
		return out
	}
	for k, v := range rc.Metadata {
		out[k] = stringKeys(v)
	}
	return out
}

// stringKeys rewrites the keys of nested maps as fmt %v strings (the original's
// NestedMapsToMapInterface), so that the value can be sent as JSON.
func stringKeys(v interface{}) interface{} {
	switch t := v.(type) {
	case map[interface{}]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, e := range t {
			out[fmt.Sprintf("%v", k)] = stringKeys(e)
		}
		return out
	case map[string]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, e := range t {
			out[k] = stringKeys(e)
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, e := range t {
			out[i] = stringKeys(e)
		}
		return out
	}
	return v
}

func stringKeyMap(m map[string]interface{}) map[string]interface{} {
	if m == nil {
		return nil
	}
	return stringKeys(m).(map[string]interface{})
}
