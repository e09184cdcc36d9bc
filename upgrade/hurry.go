package upgrade

import (
	"context"
	"sync"
	"time"
)

// Hurrier is implemented by an API whose waits gather the ends of a wave of changes into one read
// (RancherAPI, gather.go). Hurry tells it that a consumer now waits on the service alone: its end is read
// as soon as it is expected, never held back for the rest of its wave.
type Hurrier interface {
	Hurry(id string)
}

// lastDeps follows, for each planned service, its dependencies not done yet, and tells which service a
// dependant now waits on alone (the one left): the services a deploy's critical chains run through.
type lastDeps struct {
	mu         sync.Mutex
	left       map[string]map[string]bool // per service, its dependencies not done yet
	dependants map[string][]string
	hurried    map[string]bool
}

func newLastDeps(services []*ServicePlan) *lastDeps {
	d := &lastDeps{left: map[string]map[string]bool{}, dependants: map[string][]string{}, hurried: map[string]bool{}}
	for _, sp := range services {
		d.left[sp.Name] = map[string]bool{}
		for _, dep := range sp.DependsOn {
			d.left[sp.Name][dep] = true
			d.dependants[dep] = append(d.dependants[dep], sp.Name)
		}
	}
	for _, deps := range d.left {
		d.hurryLast(deps)
	}
	return d
}

// done records that a service is done and returns the services a dependant of it now waits on alone.
func (d *lastDeps) done(name string) (hurried []string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.dependants[name] {
		delete(d.left[c], name)
		hurried = append(hurried, d.hurryLast(d.left[c])...)
	}
	return hurried
}

// isHurried tells whether a dependant waits on the service alone.
func (d *lastDeps) isHurried(name string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.hurried[name]
}

func (d *lastDeps) hurryLast(deps map[string]bool) []string {
	if len(deps) != 1 {
		return nil
	}
	for dep := range deps {
		if !d.hurried[dep] {
			d.hurried[dep] = true
			return []string{dep}
		}
	}
	return nil
}

// hurry tells the API that a dependant waits on these services alone, those whose id is known (the
// others when they are created, see setID).
func (x *executor) hurry(names ...string) {
	h, ok := x.api.(Hurrier)
	if !ok || x.deps == nil {
		return
	}
	for _, name := range names {
		if id := x.id(name); id != "" && x.deps.isHurried(name) {
			h.Hurry(id)
		}
	}
}

// hurry marks a service a consumer waits on alone: its end is read when expected, not gathered.
func (f *feed) hurry(stackID, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.poll(stackID)
	p.paceOf(id, f.now(), f.policy.Tick).hurried = true
	p.signal()
}

// landHurried sends one landing for the hurried services whose ends are due together (expected by now, or
// within a fineTick: a read sent then is as soon), when that pays (landingPays), and returns the due
// services left to read. The bottoms of a deploy's chains (its stores, say) are many, each waited on alone
// by a consumer, and end together: none is held back for another, yet one round trip answers them all.
func (f *feed) landHurried(ctx context.Context, stackID string, p *stackPoll, now time.Time, due []string) []string {
	if f.listIn == nil {
		return due
	}
	groups := map[string][]string{}
	for id, sp := range p.pace {
		if !sp.hurried || len(p.waiting[id]) == 0 || sp.due.After(now.Add(f.policy.fineTick())) || p.covered(id) {
			continue
		}
		if to, start, ok := p.endOf(id); ok && start.Before(now.Add(p.rtt)) {
			groups[to] = append(groups[to], id)
		}
	}
	return f.landWherePays(ctx, stackID, p, groups, due)
}
