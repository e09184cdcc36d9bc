package swarm

import (
	"context"
	"fmt"
	"strings"

	swarmtypes "github.com/moby/moby/api/types/swarm"
)

// Observe reads what the cluster holds for a stack: its services (by the stack namespace label) and the
// networks and configs.
func Observe(ctx context.Context, c *Client, stack string) (Observed, error) {
	obs := Observed{Services: map[string]swarmtypes.Service{}}
	svcs, err := c.Services(ctx, LabelNamespace+"="+stack)
	if err != nil {
		return obs, fmt.Errorf("listing the services of stack %s: %w", stack, err)
	}
	for _, s := range svcs {
		obs.Services[strings.TrimPrefix(s.Spec.Name, stack+"_")] = s
	}
	if obs.Networks, err = c.Networks(ctx); err != nil {
		return obs, fmt.Errorf("listing networks: %w", err)
	}
	cfgs, err := c.Configs(ctx, LabelNamespace+"="+stack)
	if err != nil {
		return obs, fmt.Errorf("listing the configs of stack %s: %w", stack, err)
	}
	for _, cfg := range cfgs {
		obs.Configs = append(obs.Configs, cfg.Spec.Name)
	}
	return obs, nil
}
