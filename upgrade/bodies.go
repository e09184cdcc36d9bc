package upgrade

import "context"

// Bodies delivers the create bodies of a plan made from the services' shapes (ShapeOf) before they were
// built, as each service's build returns: a stack created by this run is planned from its compose files
// alone, and its creates go out while the rest of the project is still being built.
type Bodies interface {
	// CreateBody waits for the named service's create body, or for the error of its build.
	CreateBody(ctx context.Context, name string) (map[string]any, error)
	// Built waits until every service is built: nil when all builds succeeded.
	Built(ctx context.Context) error
}

// WithBodies makes the create steps planned without a body wait for it from b, and every other step wait
// until b has built every service: until then only creates (and their settling) go out, so a build that
// fails leaves created services inactive, never a started, linked or upgraded one.
func WithBodies(b Bodies) Option { return func(x *executor) { x.bodies = b } }

// createsWhileBuilding bounds the creates in flight until every service is built (WithBodies): the builds'
// transforms keep most of the client's connections, so that the last build, which every activation waits
// for, is not put off by the creates; the first creates in plan order, the bottoms of the longest chains,
// still go out as soon as they are built.
const createsWhileBuilding = createsInFlight / 3

// slotsWhileBuilding narrows x.creates to createsWhileBuilding until every service is built.
func (x *executor) slotsWhileBuilding(ctx context.Context) {
	if x.bodies == nil {
		return
	}
	x.creates = newOrderedSlots(createsWhileBuilding)
	go func() {
		_ = x.bodies.Built(ctx)
		x.creates.grow(createsInFlight - createsWhileBuilding)
	}()
}

// createBody is the body of a create step: the planned one, or the one b delivers for a plan made before
// the build.
func (x *executor) createBody(ctx context.Context, sp *ServicePlan, st Step) (map[string]any, error) {
	if st.Body != nil || x.bodies == nil {
		return st.Body, nil
	}
	return x.bodies.CreateBody(ctx, sp.Name)
}

// afterBuild waits, before a step other than a create, until every service is built (see WithBodies).
func (x *executor) afterBuild(ctx context.Context, st Step) error {
	if x.bodies == nil || st.Kind == StepCreate {
		return nil
	}
	return x.bodies.Built(ctx)
}

// CreationOrder is the order a plan gives the services of desired (by their DependsOn): each after those
// it depends on, the bottoms of the longest chains of dependants first. Their builds (and so the
// transforms they send) are best done in this order, which is the order of their creates.
func CreationOrder(desired []*Desired) []string {
	plan := &Plan{}
	for _, d := range desired {
		plan.Services = append(plan.Services, &ServicePlan{Name: d.Name, desired: d})
	}
	orderPlan(plan)
	names := make([]string, len(plan.Services))
	for i, sp := range plan.Services {
		names[i] = sp.Name
	}
	return names
}
