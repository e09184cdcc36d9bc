package rancherengine

import (
	"context"
	"fmt"
	"sync"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// deployNewborn deploys into a stack this run just created, born locked, so it has no service and nothing
// else adds one. Such a stack's plan needs no build: every service is created, and the compose files alone
// give the steps and their order (upgrade.ShapeOf). So the plan is made at once and carried out while the
// services are built: each create goes out as soon as its service's build (its transforms) returned, in
// plan order, instead of after the last of hundreds of transforms. Every other step waits until all the
// builds succeeded (upgrade.WithBodies): a build that fails leaves created services inactive in the new
// stack (which is already there too), never a started one, and the next run reconciles them.
func (s *Session) deployNewborn(ctx context.Context, p *compose.Project, st *resources.Stack, shapes []*upgrade.Desired,
	order []string, req DeployRequest, tr *transformCache) (*DeployOutcome, error) {
	if err := s.ensureVolumesUnless(ctx, p, st, req); err != nil {
		return nil, err
	}
	plan, err := s.planStage(ctx, st, map[string]*resources.Service{}, shapes, req)
	if err != nil {
		return nil, err
	}
	bodies := newStreamedBodies()
	go func() {
		built, err := buildServicesThen(ctx, s, p, st.Id, newResolver(s, p, map[string]*resources.Service{}), tr, order, false, bodies.deliver)
		if err == nil && len(built.deferred) > 0 {
			err = fmt.Errorf("services %v reference services that do not exist yet", built.deferred) // excluded by plannable
		}
		tr.saveLater()
		bodies.finish(err)
	}()
	out := &DeployOutcome{}
	err = s.executeStage(ctx, plan, req, out, upgrade.WithBodies(bodies))
	if berr := bodies.Built(ctx); berr != nil {
		return out, berr
	}
	return out, err
}

// shapesOf is what the compose files say of each primary (upgrade.ShapeOf).
func shapesOf(p *compose.Project, primaries []string) []*upgrade.Desired {
	out := make([]*upgrade.Desired, 0, len(primaries))
	for _, n := range primaries {
		if svc := p.Service(n); svc != nil {
			out = append(out, upgrade.ShapeOf(p, svc))
		}
	}
	return out
}

// plannable tells whether every primary can be planned from its shape alone (upgrade.Plannable).
func plannable(p *compose.Project, primaries []string) bool {
	for _, n := range primaries {
		if svc := p.Service(n); svc == nil || !upgrade.Plannable(p, svc) {
			return false
		}
	}
	return true
}

// streamedBodies hands the executor each service's create body as its build returns (upgrade.Bodies).
type streamedBodies struct {
	mu     sync.Mutex
	bodies map[string]map[string]any
	ready  map[string]chan struct{}
	done   chan struct{}
	err    error
}

func newStreamedBodies() *streamedBodies {
	return &streamedBodies{bodies: map[string]map[string]any{}, ready: map[string]chan struct{}{}, done: make(chan struct{})}
}

// readyChan is the channel closed when name's body is delivered. Caller holds b.mu.
func (b *streamedBodies) readyChan(name string) chan struct{} {
	c := b.ready[name]
	if c == nil {
		c = make(chan struct{})
		b.ready[name] = c
	}
	return c
}

// deliver keeps d's create body for its create.
func (b *streamedBodies) deliver(d *upgrade.Desired) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.bodies[d.Name] = d.CreateBody
	close(b.readyChan(d.Name))
}

// finish records the build's outcome, once every service was built or failed.
func (b *streamedBodies) finish(err error) {
	b.err = err
	close(b.done)
}

// CreateBody implements upgrade.Bodies.
func (b *streamedBodies) CreateBody(ctx context.Context, name string) (map[string]any, error) {
	b.mu.Lock()
	ready := b.readyChan(name)
	b.mu.Unlock()
	select {
	case <-ready:
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.bodies[name], nil
	case <-b.done:
		select {
		case <-ready: // delivered just before the build ended: select chose among both at random
			b.mu.Lock()
			defer b.mu.Unlock()
			return b.bodies[name], nil
		default:
		}
		if b.err != nil {
			return nil, b.err
		}
		return nil, fmt.Errorf("no build of service %s", name)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Built implements upgrade.Bodies.
func (b *streamedBodies) Built(ctx context.Context) error {
	select {
	case <-b.done:
		return b.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
