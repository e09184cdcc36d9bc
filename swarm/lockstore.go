package swarm

import (
	"context"
	"errors"
	"fmt"

	swarmtypes "github.com/moby/moby/api/types/swarm"
)

// LockStore keeps a stack's deploy lock (package upgrade/lock's Outputs/SetOutputs store) in the labels of a
// Swarm config named "<stack>_rancher-compose-lock": Swarm lets a config's labels change, and the config is
// visible to every manager, so two pipelines on different machines see the same lock. rm removes it.
type LockStore struct {
	Client *Client
}

// LockConfigName is the name of a stack's lock config.
func LockConfigName(stack string) string { return stack + "_rancher-compose-lock" }

// Outputs returns the lock config's labels (empty when there is no config).
func (s LockStore) Outputs(ctx context.Context, stack string) (map[string]string, error) {
	cfg, err := s.Client.Config(ctx, LockConfigName(stack))
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.NotFound() {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range cfg.Spec.Labels {
		if k != LabelNamespace {
			out[k] = v
		}
	}
	return out, nil
}

// SetOutputs writes the labels, creating the config on first use.
func (s LockStore) SetOutputs(ctx context.Context, stack string, outputs map[string]string) error {
	labels := map[string]string{LabelNamespace: stack}
	for k, v := range outputs {
		labels[k] = v
	}
	cfg, err := s.Client.Config(ctx, LockConfigName(stack))
	var apiErr *APIError
	if errors.As(err, &apiErr) && apiErr.NotFound() {
		_, err = s.Client.CreateConfig(ctx, swarmtypes.ConfigSpec{Annotations: swarmtypes.Annotations{Name: LockConfigName(stack), Labels: labels},
			Data: []byte("rancher-compose deploy lock of stack " + stack + "\n")})
		return err
	}
	if err != nil {
		return err
	}
	spec := cfg.Spec
	spec.Labels = labels
	if err := s.Client.UpdateConfig(ctx, cfg.ID, cfg.Version.Index, spec); err != nil {
		return fmt.Errorf("updating config %s: %w", LockConfigName(stack), err)
	}
	return nil
}
