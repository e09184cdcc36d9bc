package main

import (
	"fmt"
	"time"
)

// model is the simulator's timing: L is the latency added to every API answer (before the request is
// applied), S the time of one state step.
//
// What `up -d` of a new service cannot avoid in THIS simulator (sim/service_procs.go, sim/containers.go):
//
//   - create:   POST /services (L) answers "registering"; registering → inactive takes one step (S).
//     activate is only legal from inactive, so nothing else can happen to the service before that.
//   - activate: POST ?action=activate (L) enters "activating"; the service's containers are created and
//     walk requested → creating (one step: the image pull) → starting (one step: "Scheduling", one
//     step: "Starting") → running, all units in parallel (3S); the service turns active as soon as
//     they are running (no health wait without --wait-healthy).
//   - the client must see each state before the next request, but the GET that sees it can be sent
//     while the step is still running, so polling adds no unavoidable latency: only the two mutating
//     requests do.
//
// So the per-service minimum is m = (L + S) + (L + 3S) = 2L + 4S (840 ms at L=20ms, S=200ms). Before
// any service, the stack must be looked up and created: 2L. A service may only be activated once the
// services it links to are active, so along the critical chain of the link graph (depth D services):
//
//	minimum (the brief's formula)  = 2L + D × (2L + 4S)
//	tight minimum (creates overlap) = 2L + (L + S) + D × (L + 3S)
//
// The tight one is the true lower bound for an engine that creates every service at once and only
// orders activations (ours does); the first charges each level a full create as well.
type model struct {
	L, S time.Duration
}

// perService is m = 2L + 4S.
func (m model) perService() time.Duration { return m.create() + m.activate() }

func (m model) create() time.Duration   { return m.L + m.S }
func (m model) activate() time.Duration { return m.L + 3*m.S }
func (m model) setup() time.Duration    { return 2 * m.L }

// minimum is the brief's formula: setup + depth × (create + activate).
func (m model) minimum(depth int) time.Duration {
	return m.setup() + time.Duration(depth)*m.perService()
}

// tightMinimum overlaps every create: setup + create + depth × activate.
func (m model) tightMinimum(depth int) time.Duration {
	return m.setup() + m.create() + time.Duration(depth)*m.activate()
}

// explain says how the minimum was computed, for the output.
func (m model) explain(depth int) string {
	return fmt.Sprintf("m = 2L+4S = 2×%v+4×%v = %v per service (create: POST + registering→inactive; activate: POST + "+
		"creating/scheduling/starting steps); minimum = 2L (stack lookup+create) + D×m = %v + %d×%v = %v; "+
		"tight (all creates overlapped) = 2L + (L+S) + D×(L+3S) = %v",
		m.L, m.S, ms(m.perService()), ms(m.setup()), depth, ms(m.perService()), ms(m.minimum(depth)), ms(m.tightMinimum(depth)))
}

// upgradeMinimum is the server-side time of an in-service upgrade of `scale` units in batches of
// `batch` with `interval` between them (sim/upgrade.go inServiceLoop, stop-first, no health check):
// each batch stops the old containers (stopping: one step), starts the new ones (3 steps as above) and
// then sleeps the interval — after the last batch too, before the loop finds nothing left and the
// service turns "upgraded" (Cattle's loop does the same). Plus the upgrade POST's latency.
//
//	upgrade minimum = L + ceil(scale/batch) × (S + 3S + interval)
func (m model) upgradeMinimum(scale, batch int, interval time.Duration) time.Duration {
	batches := (scale + batch - 1) / batch
	return m.L + time.Duration(batches)*(4*m.S+interval)
}

// upgradeOne is the server-side time of one service's in-service upgrade in batches of 1: each unit is
// stopped and started (4S), waited for healthy when the service has a health check (the generated
// stacks' checks pass at the second 2 s interval) and followed by the interval.
func (m model) upgradeOne(scale int, health bool, interval time.Duration) time.Duration {
	unit := 4*m.S + interval
	if health {
		unit += 2 * 2 * time.Second
	}
	return time.Duration(max(scale, 1)) * unit
}

func (m model) explainUpgrade(scale, batch int, interval time.Duration) string {
	batches := (scale + batch - 1) / batch
	return fmt.Sprintf("L + ceil(%d/%d)=%d batches × (stop 1 step + start 3 steps + interval) = %v + %d × (4×%v + %v) = %v",
		scale, batch, batches, m.L, batches, m.S, interval, ms(m.upgradeMinimum(scale, batch, interval)))
}

// ms rounds a duration to the millisecond for printing.
func ms(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
