package rancherengine

import (
	"context"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/transformcache"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// Session is one connection to the Rancher API for one command run: the client, the upgrade engine's
// adapter over it, the progress emitter and the health waiter, and what the run is told by the command
// line (the clock, the deploy lock's owner and lease, the command that breaks the lock, the cleanup grace).
type Session struct {
	Client *rancher.Client
	API    *upgrade.RancherAPI
	Events progress.Emitter
	Health *healthcheck.Waiter
	// TransformCache keeps transform answers across runs (nil: every transform is sent).
	TransformCache *transformcache.Cache

	// Now is the clock of timestamps, lock leases and waits.
	Now func() time.Time
	// LockOwner names this run in the deploy lock (user@host (pid), CI build); LockTTL is the lease.
	LockOwner string
	LockTTL   time.Duration
	// BreakCommand is the command line that breaks this run's lock on stack (--force-unlock), for refusals.
	BreakCommand func(ctx context.Context, stack string) string
	// CleanupContext derives the context of work that must happen after ctx ends (releasing the lock,
	// rolling back, reading where services were left): it outlives ctx by part of the grace only.
	CleanupContext func(ctx context.Context) (context.Context, context.CancelFunc)
}

// ExecuteOptions are the options every run passes to upgrade.Execute.
func (s *Session) ExecuteOptions() []upgrade.Option {
	return []upgrade.Option{upgrade.WithHealth(s.Health), upgrade.WithClock(s.Now), upgrade.WithCleanupContext(s.CleanupContext)}
}
