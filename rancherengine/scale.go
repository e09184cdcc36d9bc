package rancherengine

import (
	"context"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// Scale sets each named service's scale to want[name], one after the other as the original did, under the
// stack's deploy lock when one of them exists (force: --force-unlock). A service missing from the stack fails.
func (s *Session) Scale(ctx context.Context, stack string, names []string, want map[string]int64, force bool) error {
	ctx, live, release, err := s.lockIfAnyExists(ctx, stack, names, force)
	if err != nil {
		return err
	}
	defer release()
	return s.EachService(ctx, stack, names, true, "", func(ctx context.Context, name string) error {
		svc := live[name]
		if svc == nil {
			return fmt.Errorf("Failed to find %s to scale", name)
		}
		return s.ChangeAndWait(ctx, name, fmt.Sprintf("Setting scale %s=%d...", name, want[name]), "scaling",
			fmt.Sprintf("Scaled to %d", want[name]), func() (*resources.Service, error) {
				return s.Client.Services().Update(ctx, svc, map[string]any{"scale": want[name]})
			})
	})
}
