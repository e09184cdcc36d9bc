package rancherengine

import (
	"context"
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// OnEachExisting is the flow of stop, rm and restart: read the stack's services, take the stack's deploy lock
// when one of the named services exists (force: --force-unlock), and run fn on each named one concurrently
// with its live copy (nil when it does not exist). next is the command that finishes a run cut short.
func (s *Session) OnEachExisting(ctx context.Context, stack string, names []string, force bool, next string,
	fn func(ctx context.Context, name string, svc *resources.Service) error) error {
	ctx, live, release, err := s.lockIfAnyExists(ctx, stack, names, force)
	if err != nil {
		return err
	}
	defer release()
	return s.EachService(ctx, stack, names, false, next, func(ctx context.Context, name string) error {
		return fn(ctx, name, live[name])
	})
}

// lockIfAnyExists reads the stack's services and takes the stack's deploy lock when one of the named services
// exists (force: --force-unlock); release is a no-op when no lock was taken.
func (s *Session) lockIfAnyExists(ctx context.Context, stack string, names []string, force bool) (context.Context, map[string]*resources.Service, func(), error) {
	st, live, err := s.LiveServices(ctx, stack)
	if err != nil || !anyOf(names, live) {
		return ctx, live, func() {}, err
	}
	ctx, release, err := s.AcquireLock(ctx, st, force)
	if err != nil {
		return ctx, nil, nil, err
	}
	return ctx, live, release, nil
}

// anyOf tells whether one of names is in live.
func anyOf(names []string, live map[string]*resources.Service) bool {
	for _, n := range names {
		if live[n] != nil {
			return true
		}
	}
	return false
}

// Stop deactivates every named service that exists and is not inactive, concurrently.
func (s *Session) Stop(ctx context.Context, stack string, names []string, force bool) error {
	return s.OnEachExisting(ctx, stack, names, force, "stop", func(ctx context.Context, name string, svc *resources.Service) error {
		if svc == nil || svc.State == "inactive" {
			return nil
		}
		return s.ChangeAndWait(ctx, name, "Stopping", "deactivating", "Stopped", func() (*resources.Service, error) {
			return s.Client.Services().Action(ctx, svc, "deactivate", nil)
		})
	})
}

// Remove deletes the named services that exist; the stack and its other services are untouched.
func (s *Session) Remove(ctx context.Context, stack string, names []string, force bool) error {
	return s.OnEachExisting(ctx, stack, names, force, "rm", func(ctx context.Context, name string, svc *resources.Service) error {
		if svc == nil || svc.State == "removed" || svc.State == "removing" {
			return nil
		}
		return s.ChangeAndWait(ctx, name, "Deleting", "deleting", "Deleted", func() (*resources.Service, error) {
			return s.Client.Services().Delete(ctx, svc)
		})
	})
}

// Restart restarts the named services' containers in rolling batches of batch, interval milliseconds apart.
func (s *Session) Restart(ctx context.Context, stack string, names []string, force bool, batch, interval int) error {
	return s.OnEachExisting(ctx, stack, names, force, "restart", func(ctx context.Context, name string, svc *resources.Service) error {
		if svc == nil {
			return fmt.Errorf("Failed to find %s to restart", name)
		}
		return s.ChangeAndWait(ctx, name, "Restarting", "restarting", "Restarted", func() (*resources.Service, error) {
			return s.Client.Services().Action(ctx, svc, "restart", restartBody(batch, interval))
		})
	})
}

// restartBody is the rolling restart the original posted; a zero interval is omitted.
func restartBody(batch, interval int) map[string]any {
	strategy := map[string]any{"batchSize": batch}
	if interval > 0 {
		strategy["intervalMillis"] = interval
	}
	return map[string]any{"rollingRestartStrategy": strategy}
}
