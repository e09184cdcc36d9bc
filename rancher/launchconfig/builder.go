// Package launchconfig builds what rancher-compose v0.12.5 sent to create or compare a service: the
// docker-inspect document it POSTed to /scripts/transform, the launch configs it derived from the
// answers, the CompositeService, the three io.rancher.service.hash digests, and the create body of each
// service kind. The transform call and the server lookups are injected, so the builder runs without a
// network. ../shared/docs/service-hash.md and original-behavior.md §2.3, §2.8, §2.9, §3.2 are the spec.
package launchconfig

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/digest"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// Resolver answers the server lookups a build needs.
type Resolver interface {
	// Setting returns the value of a server setting (the build reads lb.instance.image).
	Setting(ctx context.Context, name string) (string, error)
	// ServiceID returns the id of a service of this stack, or of "stack/service"; "" with a nil error
	// when it does not exist.
	ServiceID(ctx context.Context, name string) (string, error)
	// CertificateID returns the id of the certificate with this name, or an error when there is none.
	CertificateID(ctx context.Context, name string) (string, error)
}

// Builder builds services of one project for one stack. Build may be called concurrently when the
// Transformer and the Resolver allow it.
type Builder struct {
	Project     *compose.Project
	StackID     string
	Transformer Transformer
	Resolver    Resolver
	// Now is the clock for remote-build image names (time.Now when nil).
	Now func() time.Time

	mu           sync.Mutex
	lbImageValue string
}

// Built is one service as the original would create or compare it.
type Built struct {
	Kind Kind
	// Service is the hashed CompositeService with its launch configs attached and the digests stamped
	// (metadata and labels), ready to send.
	Service *resources.CompositeService
	Hash    digest.ServiceHash
}

func (b *Builder) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

func (b *Builder) lbImage(ctx context.Context) (string, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.lbImageValue == "" {
		v, err := b.Resolver.Setting(ctx, "lb.instance.image")
		if err != nil {
			return "", fmt.Errorf("reading setting lb.instance.image: %w", err)
		}
		b.lbImageValue = v
	}
	return b.lbImageValue, nil
}

// Build builds the named primary service: one transform call per launch config (primary first, then
// each sidekick in label order), the overrides, the CompositeService and its digests.
func (b *Builder) Build(ctx context.Context, name string) (*Built, error) {
	s := b.Project.Service(name)
	if s == nil {
		return nil, fmt.Errorf("no service %q in the project", name)
	}
	if s.IsSidekick() {
		return nil, fmt.Errorf("%s is a sidekick of %s: it is built with its primary", name, s.SidekickOf)
	}
	lc, err := b.launchConfigFor(ctx, s)
	if err != nil {
		return nil, err
	}
	secondaries, err := b.sidekicks(ctx, s)
	if err != nil {
		return nil, err
	}
	kind := KindOf(s)
	svc, err := b.compositeService(s)
	if err != nil {
		return nil, err
	}
	if err := b.populateLB(ctx, s, kind, lc, svc); err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	hash, err := digest.Create(svc, lc, secondaries)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	hash.Stamp(&svc.Service, lc, secondaries)
	svc.LaunchConfig, svc.SecondaryLaunchConfigs = lc, secondaries
	return &Built{Kind: kind, Service: svc, Hash: hash}, nil
}

// sidekicks builds the secondary launch configs named by the primary's io.rancher.sidekicks label.
func (b *Builder) sidekicks(ctx context.Context, s *compose.Service) ([]resources.SecondaryLaunchConfig, error) {
	out := []resources.SecondaryLaunchConfig{}
	for _, name := range s.Sidekicks {
		side := b.Project.Service(name)
		if side == nil {
			return nil, fmt.Errorf("service %s: Failed to find sidekick: %s", s.Name, name)
		}
		lc, err := b.launchConfigFor(ctx, side)
		if err != nil {
			return nil, err
		}
		var slc resources.SecondaryLaunchConfig
		if err := digest.Convert(lc, &slc); err != nil {
			return nil, fmt.Errorf("sidekick %s: %w", name, err)
		}
		slc.Name = name
		if slc.Labels == nil {
			slc.Labels = map[string]interface{}{}
		}
		out = append(out, slc)
	}
	return out, nil
}

// CreateBody is what the original POSTed to create the service: a plain service sends the embedded
// Service alone (so health_check, drivers and the full lbConfig are not sent), every other kind the whole
// CompositeService.
func (r *Built) CreateBody() interface{} {
	if r.Kind == KindService {
		return &r.Service.Service
	}
	return r.Service
}
