package upgrade

import (
	"fmt"
	"sort"
	"strings"
)

// Observed is the live stack: its existing services by name, and the external link targets resolved.
type Observed struct {
	Stack   string
	StackID string
	// Services are the stack's non-removed services, by name.
	Services map[string]*Service
	// External maps an external link target ("stack/service") to its id; a target absent here was not found.
	External map[string]string
}

// Reconcile decides what `up` does to each selected service. It is pure: no I/O, same input, same plan.
func Reconcile(desired []*Desired, observed *Observed, opts Options) *Plan {
	if observed == nil {
		observed = &Observed{}
	}
	plan := &Plan{Version: SchemaVersion, Stack: observed.Stack, StackID: observed.StackID, Atomic: opts.Atomic}
	for _, d := range desired {
		if opts.selected(d.Name) {
			sp := planService(d, observed, opts)
			if !opts.ShowSecrets {
				hideSecrets(sp, opts.Secrets)
			}
			plan.Services = append(plan.Services, sp)
		}
	}
	orderPlan(plan)
	if opts.CreateOnly {
		createOnlyGates(plan)
	}
	return plan
}

// UnknownServices returns the positional names that are not services of the project, for a usage error.
func UnknownServices(desired []*Desired, names []string) []string {
	known := map[string]bool{}
	for _, d := range desired {
		known[d.Name] = true
		for sk := range d.Digests.Sidekicks {
			known[sk] = true
		}
	}
	var unknown []string
	for _, n := range names {
		if !known[n] {
			unknown = append(unknown, n)
		}
	}
	return unknown
}

func planService(d *Desired, observed *Observed, o Options) *ServicePlan {
	s := observed.Services[d.Name]
	p := &ServicePlan{Name: d.Name, Kind: d.Kind, State: stateMissing, NewImage: d.Image(), Steps: []Step{}, desired: d}
	if s == nil {
		planCreate(p, d, observed, o)
	} else {
		p.ID, p.State, p.OldImage = s.ID, s.State, s.Image()
		planExisting(p, d, s, observed, o)
		if !p.Has(StepUpgrade) {
			p.NewImage = p.OldImage
		}
	}
	p.Action = summarize(p)
	return p
}

func planCreate(p *ServicePlan, d *Desired, observed *Observed, o Options) {
	p.add(Step{Kind: StepCreate, Reason: fmt.Sprintf("not in the stack; created inactive at scale %d", d.Scale), Body: d.CreateBody})
	if d.ManagesLinks && len(d.Links) > 0 {
		p.add(linkStep(p, d, observed, "new service"))
	}
	if o.CreateOnly {
		return
	}
	p.add(Step{Kind: StepActivate, Reason: "new services come up inactive"})
	if o.WaitHealthy && hasContainers(d.Kind) {
		p.add(Step{Kind: StepWaitHealthy, Reason: "--wait-healthy"})
	}
}

// planExisting follows RancherService.up (original-behavior.md §3.4) step by step.
func planExisting(p *ServicePlan, d *Desired, s *Service, observed *Observed, o Options) {
	if !o.CreateOnly {
		s = planAwait(p, s)
	}
	if o.Rollback {
		planRollback(p, s, o)
		return
	}
	if o.CreateOnly {
		planLinks(p, d, s, observed)
		return
	}
	state := s.State
	doUpgrade, warning := shouldUpgrade(d, s, o)
	if warning != "" {
		p.Warnings = append(p.Warnings, warning+" (run with --upgrade to apply it)")
	}
	scaleDone := !o.ApplyScale || d.Scale == s.Scale || d.Kind == KindExternal || d.Kind == KindDNS
	upgradedNow := false
	if doUpgrade {
		var ok bool
		if state, upgradedNow, scaleDone, ok = planUpgrade(p, d, s, o, state, scaleDone); !ok {
			return
		}
	}
	planLinks(p, d, s, observed)
	state = planConfirm(p, o, state, upgradedNow)
	planLateScale(p, d, s, state, scaleDone)
	planActivate(p, d, s, o, state)
	if p.Has(StepAwait) && o.WaitHealthy && hasContainers(d.Kind) && !p.Has(StepWaitHealthy) {
		p.add(Step{Kind: StepWaitHealthy, Reason: "--wait-healthy, after the transition under way"})
	}
}

func planLinks(p *ServicePlan, d *Desired, s *Service, observed *Observed) {
	if !d.ManagesLinks || !linksDiffer(d, s, observed) {
		return
	}
	why := "links differ from the live service"
	if s.LinkedServices == nil {
		why = "re-posted, as the API did not report the current links"
	}
	st := linkStep(p, d, observed, why)
	st.Refresh = s.LinkedServices == nil
	p.add(st)
}

func planRollback(p *ServicePlan, s *Service, o Options) {
	if !s.HasAction(actionRollback) {
		p.add(Step{Kind: StepFail, Reason: "--rollback", Error: fmt.Sprintf("Action [rollback] not available on service %s (state %s)", s.Name, s.State)})
		return
	}
	p.add(Step{Kind: StepRollback, Reason: fmt.Sprintf("--rollback (service is %s)", s.State)})
	if o.WaitHealthy && hasContainers(p.Kind) {
		p.add(Step{Kind: StepWaitHealthy, Reason: "--wait-healthy"})
	}
}

// planUpgrade adds pull, finish-previous, update, scale and upgrade. It returns the state the service is in
// afterwards, whether an in-service upgrade was planned, whether the scale was applied, and false when the
// original fails the service.
func planUpgrade(p *ServicePlan, d *Desired, s *Service, o Options, state string, scaleDone bool) (string, bool, bool, bool) {
	if o.Pull && len(d.Images) > 0 {
		p.add(Step{Kind: StepPull, Reason: "--pull, and the service is upgraded", Images: d.Images})
	}
	if state == stateUpgraded {
		p.add(Step{Kind: StepFinishPrevious, Reason: "a previous upgrade was never confirmed"})
		state = stateActive
	}
	if !upgradableState(state) {
		p.add(Step{Kind: StepFail, Reason: "wrong state for an upgrade", Error: wrongStateError(d.Name, state)})
		return state, false, scaleDone, false
	}
	c := changedParts(d, s, o)
	if c.service {
		scaleDone = planUpdate(p, d, s, o, scaleDone)
	}
	if !c.launchConfigs() {
		return state, false, scaleDone, true
	}
	if !scaleDone {
		p.add(scaleStep(d, s, "before the upgrade, while the service accepts a PUT"))
		scaleDone = true
	}
	p.add(upgradeStep(d, s, o, c))
	if (o.WaitHealthy || o.Atomic) && hasContainers(d.Kind) {
		p.add(Step{Kind: StepWaitHealthy, Reason: waitReason(o)})
	}
	return stateUpgraded, true, scaleDone, true
}

func waitReason(o Options) string {
	if o.Atomic {
		return "--atomic: every upgraded service must be healthy before any is confirmed"
	}
	return "--wait-healthy"
}

func planUpdate(p *ServicePlan, d *Desired, s *Service, o Options, scaleDone bool) bool {
	body := copyMap(d.ServiceBody)
	scale, reason := s.Scale, "service-level fields changed (scale kept at %d)"
	if !scaleDone {
		scale, reason, scaleDone = d.Scale, "service-level fields changed, and scale %d (--apply-scale)", true
	}
	if o.ForceUpgrade && s.Digests().Service == d.Digests.Service {
		reason = "--force-upgrade (scale kept at %d)"
	}
	body[bodyFieldScale] = scale
	live := map[string]any{"metadata": s.Metadata, "selectorLink": s.SelectorLink}
	diff := diffFields("", live, d.ServiceBody, map[string]bool{
		"launchConfig": true, "secondaryLaunchConfigs": true, "scale": true, "links": true, "actions": true,
		"stackId": true, "name": true, "type": true, "kind": true,
	})
	if scale != s.Scale {
		diff = append(diff, Change{Path: "scale", Op: "~", Old: s.Scale, New: scale})
	}
	p.add(Step{Kind: StepUpdate, Reason: fmt.Sprintf(reason, scale), Diff: diff, Body: body, Scale: scale})
	return scaleDone
}

func upgradeStep(d *Desired, s *Service, o Options, c changes) Step {
	strategy := map[string]any{"links": nil, "actions": nil}
	batch, interval := o.batchSize(d.Strategy), o.interval(d.Strategy)
	if batch != 0 {
		strategy["batchSize"] = batch
	}
	if interval != 0 {
		strategy["intervalMillis"] = interval
	}
	if d.Strategy.StartFirst {
		strategy["startFirst"] = true
	}
	var diff []Change
	var parts []string
	if c.primary {
		strategy[bodyFieldLaunchConfig] = d.LaunchConfig
		diff = diffLaunchConfig("", s.LaunchConfig, d.LaunchConfig)
		parts = append(parts, "launch config")
	}
	var secondaries []any
	for _, name := range c.sidekicks {
		secondaries = append(secondaries, d.Sidekicks[name])
		diff = append(diff, diffLaunchConfig("sidekick "+name, s.Sidekick(name), d.Sidekicks[name])...)
		parts = append(parts, "sidekick "+name)
	}
	for _, name := range c.removed {
		secondaries = append(secondaries, map[string]any{"name": name, "imageUuid": noneImage})
		diff = append(diff, Change{Path: "sidekick " + name, Op: "-", Old: imageOf(s.Sidekick(name))})
		parts = append(parts, "sidekick "+name+" removed")
	}
	if len(secondaries) > 0 {
		strategy[bodyFieldSecondaryLaunchConf] = secondaries
	}
	order := "stop first"
	if d.Strategy.StartFirst {
		order = "start first"
	}
	why := "changed"
	if o.ForceUpgrade {
		why = "forced"
	}
	return Step{
		Kind:   StepUpgrade,
		Reason: fmt.Sprintf("%s %s (batch %d, interval %dms, %s)", strings.Join(parts, ", "), why, batch, interval, order),
		Diff:   diff,
		Body:   map[string]any{"links": nil, "actions": nil, bodyFieldInServiceStrategy: strategy},
	}
}

// planConfirm adds finishupgrade for a service left in `upgraded`: with -c for any such service (even one
// upgraded by an earlier run), and, under --atomic, after every service is healthy.
func planConfirm(p *ServicePlan, o Options, state string, upgradedNow bool) string {
	if state != stateUpgraded {
		return state
	}
	switch {
	case upgradedNow && o.Atomic:
		p.add(Step{Kind: StepConfirm, Reason: "--atomic: once every upgraded service is healthy", AfterAll: true})
		return stateActive
	case o.ConfirmUpgrade:
		p.add(Step{Kind: StepConfirm, Reason: "--confirm-upgrade"})
		return stateActive
	}
	p.Notes = append(p.Notes, fmt.Sprintf("left upgraded: confirm with `upgrade --confirm %s` or undo with `rollback %s`", p.Name, p.Name))
	return state
}

func planLateScale(p *ServicePlan, d *Desired, s *Service, state string, scaleDone bool) {
	if scaleDone {
		return
	}
	if !upgradableState(state) {
		p.Warnings = append(p.Warnings, fmt.Sprintf("scale %d not applied: the service is %s (confirm or roll back first)", d.Scale, state))
		return
	}
	st := scaleStep(d, s, "--apply-scale")
	if c := p.step(StepConfirm); c != nil && c.AfterAll {
		st.AfterAll = true
		st.Reason += ", after the atomic confirm"
	}
	p.add(st)
}

func scaleStep(d *Desired, s *Service, why string) Step {
	return Step{
		Kind:   StepScale,
		Reason: fmt.Sprintf("scale %d -> %d (%s)", s.Scale, d.Scale, why),
		Scale:  d.Scale,
		Diff:   []Change{{Path: "scale", Op: "~", Old: s.Scale, New: d.Scale}},
		Body:   map[string]any{bodyFieldScale: d.Scale},
	}
}

// planActivate: a service that ends anywhere but active is activated when the API offers the action there.
func planActivate(p *ServicePlan, d *Desired, s *Service, o Options, state string) {
	if state == stateActive {
		return
	}
	offered := s.HasAction(actionActivate)
	if state != s.State {
		offered = state == stateInactive
	}
	if !offered {
		if state != stateUpgraded {
			p.Notes = append(p.Notes, fmt.Sprintf("left %s: no activate action in that state", state))
		}
		return
	}
	p.add(Step{Kind: StepActivate, Reason: fmt.Sprintf("service is %s", state)})
	if o.WaitHealthy && hasContainers(d.Kind) && !p.Has(StepWaitHealthy) {
		p.add(Step{Kind: StepWaitHealthy, Reason: "--wait-healthy"})
	}
}

func (p *ServicePlan) add(s Step) { p.Steps = append(p.Steps, s) }

// summaryOrder ranks step kinds for the one-word Action of a service plan.
var summaryOrder = []StepKind{StepFail, StepCreate, StepRollback, StepUpgrade, StepUpdate, StepFinishPrevious, StepConfirm, StepScale, StepActivate, StepSetLinks, StepAwait}

func summarize(p *ServicePlan) string {
	for _, k := range summaryOrder {
		if k == StepSetLinks && !p.hasChangingLinks() {
			continue
		}
		if p.Has(k) {
			if k == StepFail {
				return summaryFailed
			}
			if k == StepFinishPrevious {
				return string(StepConfirm)
			}
			return string(k)
		}
	}
	return summaryUnchanged
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func sortedStrings(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

func (p *ServicePlan) hasChangingLinks() bool {
	for _, s := range p.Steps {
		if s.Kind == StepSetLinks && !s.Refresh {
			return true
		}
	}
	return false
}
