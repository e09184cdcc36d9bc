package swarm

import (
	"fmt"
	"sort"
	"time"

	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// StepKind is one thing the executor does to a service; the names are the project's plan vocabulary.
type StepKind string

// Steps of a Swarm plan.
const (
	StepCreate    StepKind = "create"      // create the service (confirmed at once: creating is not upgrading)
	StepUpgrade   StepKind = "upgrade"     // rolling update to the desired spec, marked pending
	StepConfirm   StepKind = "confirm"     // label-only update: the running spec becomes the confirmed one
	StepRollback  StepKind = "rollback"    // restore the last confirmed spec from our records
	StepScale     StepKind = "scale"       // change the replica count only
	StepUnchanged StepKind = "unchanged"   // nothing to do
	StepOutOfSync StepKind = "out-of-sync" // the files differ from the service, but --upgrade was not given
	StepRemove    StepKind = "remove"      // delete the service
)

// ServicePlan is what will happen to one service.
type ServicePlan struct {
	// Name is the compose name; FullName the Swarm service name.
	Name, FullName string
	Steps          []StepKind
	// Desired is nil for services known only from the cluster (rollback, confirm, rm, scale).
	Desired  *Desired
	Observed *swarmtypes.Service
	Record   Record
	// Replicas is the replica count for StepScale and StepCreate (-1 for a global service).
	Replicas int64
	// Diff lists the field changes of an upgrade ("TaskTemplate.ContainerSpec.Image: a → b").
	Diff []string
	// Note explains the decision (shown by --dry-run and for out-of-sync or no-op rollbacks).
	Note string
	// Stopped creates the service stopped (create: replicas 0, the count kept for start or up).
	Stopped bool
	// DependsOn are the planned services this one waits for (links and depends_on); Gates the depends_on
	// conditions among them; Wave its wave (1 waits for nothing; 0 when the plan has no edges).
	DependsOn []string
	Gates     []compose.Gate
	Wave      int
	// Batch and Interval, when Batch > 0, are restart's --batch-size and --interval.
	Batch    uint64
	Interval time.Duration
}

// Action is the plan's one-word summary: the first step.
func (sp *ServicePlan) Action() StepKind {
	if len(sp.Steps) == 0 {
		return StepUnchanged
	}
	return sp.Steps[0]
}

// Has reports whether the plan includes a step kind.
func (sp *ServicePlan) Has(k StepKind) bool {
	for _, s := range sp.Steps {
		if s == k {
			return true
		}
	}
	return false
}

// Plan is every service's plan plus the stack-level work.
type Plan struct {
	Stack string
	// Network is the stack network; CreateNetwork is set when it does not exist yet.
	Network       string
	CreateNetwork bool
	// RemoveNetworks and RemoveConfigs list the stack's networks and configs (the deploy lock) to delete (rm).
	RemoveNetworks []Network
	RemoveConfigs  []string
	// MissingNetworks are external networks (other stacks') that do not exist: a deploy refuses them.
	MissingNetworks []string
	Services        []*ServicePlan
	// Orphans are the stack's services in none of the files (up warns about them, --remove-orphans removes them).
	Orphans []string
	// WaitHealthy and Atomic decide failure handling; Atomic confirms all upgrades together or rolls all back.
	WaitHealthy, Atomic bool
	// ApplyScale makes an upgrade also apply the files' scale (otherwise the running replica count is kept).
	ApplyScale bool
}

// Observed is what the cluster holds for a stack.
type Observed struct {
	// Services by compose name (the Swarm name without "<stack>_").
	Services map[string]swarmtypes.Service
	// Networks are all the cluster's networks (the stack's carry its namespace label).
	Networks []Network
	// Configs are the names of the stack's Swarm configs (its deploy lock).
	Configs []string
}

// UpOptions are the flags of up/create that shape the plan.
type UpOptions struct {
	// Services limits the plan to these compose names (empty = all).
	Services     []string
	Upgrade      bool
	ForceUpgrade bool
	Confirm      bool
	ApplyScale   bool
	WaitHealthy  bool
	Atomic       bool
	// CreateOnly plans creations only (the create command).
	CreateOnly bool
	// ShowSecrets shows environment values and secret variables' values in diffs (hidden by default).
	ShowSecrets bool
	// RemoveOrphans removes the stack's services that are in none of the files (they are listed either way).
	RemoveOrphans bool
}

// PlanUp compares the desired stack with what the cluster holds. It is pure.
func PlanUp(d *DesiredStack, obs Observed, o UpOptions) (*Plan, error) {
	p := &Plan{Stack: d.Stack, Network: d.Network, CreateNetwork: !hasNetwork(obs.Networks, d.Network),
		WaitHealthy: o.WaitHealthy || o.Atomic, Atomic: o.Atomic, ApplyScale: o.ApplyScale}
	for _, n := range d.ExternalNetworks {
		if !hasNetwork(obs.Networks, n) {
			p.MissingNetworks = append(p.MissingNetworks, n)
		}
	}
	want := selection(o.Services)
	for _, ds := range d.Services {
		if !want(ds.Name) {
			continue
		}
		sp, err := planService(ds, obs, o, d.Secrets)
		if err != nil {
			return nil, err
		}
		p.Services = append(p.Services, sp)
	}
	if len(o.Services) > 0 && len(p.Services) != len(o.Services) {
		return nil, fmt.Errorf("no such service in the project: %v", missing(o.Services, p.Services))
	}
	orderPlan(p, o.CreateOnly)
	p.Orphans = orphans(d, obs)
	if o.RemoveOrphans && !o.CreateOnly {
		for _, n := range p.Orphans {
			cur := obs.Services[n]
			p.Services = append(p.Services, &ServicePlan{Name: n, FullName: cur.Spec.Name, Observed: &cur, Steps: []StepKind{StepRemove},
				Replicas: currentReplicas(cur), Note: "orphan: in none of the files"})
		}
	}
	return p, nil
}

// orphans are the stack's services that no compose service maps to; services the active profiles
// disabled are defined in the files, so they are not orphans.
func orphans(d *DesiredStack, obs Observed) []string {
	var out []string
	for n := range obs.Services {
		if d.Service(n) == nil && !containsName(d.Disabled, n) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func planService(ds *Desired, obs Observed, o UpOptions, secrets []string) (*ServicePlan, error) {
	sp := &ServicePlan{Name: ds.Name, FullName: ds.Spec.Name, Desired: ds, Replicas: ds.Replicas()}
	cur, ok := obs.Services[ds.Name]
	if !ok {
		sp.Steps = []StepKind{StepCreate}
		sp.Stopped = o.CreateOnly && sp.Replicas >= 0 // Rancher's create leaves services inactive
		return sp, nil
	}
	sp.Observed = &cur
	rec, _, err := ReadRecord(cur.Spec)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ds.Name, err)
	}
	sp.Record = rec
	if o.CreateOnly {
		sp.Steps, sp.Note = []StepKind{StepUnchanged}, "exists"
		return sp, nil
	}
	changed := rec.Hash != ds.Hash
	sec := diffSecrets{Values: secrets, Show: o.ShowSecrets}
	switch {
	case changed && !o.Upgrade && !o.ForceUpgrade:
		sp.Steps, sp.Note = []StepKind{StepOutOfSync}, "out of sync with the files: run up --upgrade to apply"
		sp.Diff = specDiff(cur.Spec, ds.Spec, sec)
	case changed || o.ForceUpgrade:
		sp.Steps = []StepKind{StepUpgrade}
		sp.Diff = specDiff(cur.Spec, ds.Spec, sec)
		if o.Confirm {
			sp.Steps = append(sp.Steps, StepConfirm)
		}
	case rec.State == StatePending && o.Confirm:
		sp.Steps = []StepKind{StepConfirm}
	}
	if _, stopped := cur.Spec.Labels[LabelStoppedReplicas]; stopped && !sp.Has(StepUpgrade) {
		sp.Steps = append(sp.Steps, StepStart) // up starts a stopped service, as Rancher's up activates it
	}
	if o.ApplyScale && currentReplicas(cur) != sp.Replicas && sp.Replicas >= 0 && !sp.Has(StepUpgrade) {
		sp.Steps = append(sp.Steps, StepScale)
	}
	if len(sp.Steps) == 0 {
		sp.Steps = []StepKind{StepUnchanged}
	}
	return sp, nil
}

// PlanConfirm plans confirming the pending upgrades of the named services (all when names is empty).
func PlanConfirm(stack string, obs Observed, names []string) (*Plan, error) {
	return planEach(stack, obs, names, func(sp *ServicePlan) {
		if sp.Record.State == StatePending {
			sp.Steps = []StepKind{StepConfirm}
			return
		}
		sp.Steps, sp.Note = []StepKind{StepUnchanged}, "no upgrade awaits confirmation"
	})
}

// PlanRollback plans restoring the last confirmed version of the named services (all when names is empty).
// It decides from our records, not from Swarm's PreviousSpec.
func PlanRollback(stack string, obs Observed, names []string) (*Plan, error) {
	return planEach(stack, obs, names, func(sp *ServicePlan) {
		r := sp.Record
		switch {
		case r.Confirmed == nil:
			sp.Steps, sp.Note = []StepKind{StepUnchanged}, "no confirmed version recorded (not deployed by rancher-compose)"
		case r.State == StatePending || r.Hash != r.ConfirmedHash || imageOf(sp.Observed.Spec) != imageOf(*r.Confirmed):
			sp.Steps = []StepKind{StepRollback}
			sp.Diff = specDiff(sp.Observed.Spec, *r.Confirmed, diffSecrets{})
		default:
			sp.Steps, sp.Note = []StepKind{StepUnchanged}, "already at the last confirmed version"
		}
	})
}

// PlanScale plans setting the replica counts of services (compose name → count).
func PlanScale(stack string, obs Observed, scale map[string]int64) (*Plan, error) {
	names := make([]string, 0, len(scale))
	for n := range scale {
		names = append(names, n)
	}
	return planEach(stack, obs, names, func(sp *ServicePlan) {
		sp.Replicas = scale[sp.Name]
		if sp.Observed.Spec.Mode.Replicated == nil {
			sp.Steps, sp.Note = []StepKind{StepUnchanged}, "global service: one task per node, it cannot be scaled"
			return
		}
		sp.Steps = []StepKind{StepScale}
	})
}

// PlanRemove plans deleting the named services (all, and the stack's networks, when names is empty).
func PlanRemove(stack string, obs Observed, names []string) (*Plan, error) {
	p, err := planEach(stack, obs, names, func(sp *ServicePlan) { sp.Steps = []StepKind{StepRemove} })
	if err == nil && len(names) == 0 {
		for _, n := range obs.Networks {
			if n.Labels[LabelNamespace] == stack {
				p.RemoveNetworks = append(p.RemoveNetworks, n)
			}
		}
		p.RemoveConfigs = obs.Configs
	}
	return p, err
}

// planEach builds a plan over observed services (all, or the named ones, which must exist).
func planEach(stack string, obs Observed, names []string, decide func(*ServicePlan)) (*Plan, error) {
	p := &Plan{Stack: stack}
	if len(names) == 0 {
		for n := range obs.Services {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		cur, ok := obs.Services[n]
		if !ok {
			return nil, &NotFoundError{Stack: stack, Service: n}
		}
		rec, _, err := ReadRecord(cur.Spec)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		sp := &ServicePlan{Name: n, FullName: cur.Spec.Name, Observed: &cur, Record: rec, Replicas: currentReplicas(cur)}
		decide(sp)
		p.Services = append(p.Services, sp)
	}
	return p, nil
}

// NotFoundError is a named service the stack does not hold (exit 1, as on Rancher).
type NotFoundError struct{ Stack, Service string }

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("service %s not found in stack %s", e.Service, e.Stack)
}

func currentReplicas(s swarmtypes.Service) int64 {
	if s.Spec.Mode.Replicated == nil || s.Spec.Mode.Replicated.Replicas == nil {
		return -1
	}
	return int64(*s.Spec.Mode.Replicated.Replicas)
}

func imageOf(s swarmtypes.ServiceSpec) string {
	if s.TaskTemplate.ContainerSpec == nil {
		return ""
	}
	return s.TaskTemplate.ContainerSpec.Image
}

func hasNetwork(nets []Network, name string) bool {
	for _, n := range nets {
		if n.Name == name {
			return true
		}
	}
	return false
}

func selection(names []string) func(string) bool {
	if len(names) == 0 {
		return func(string) bool { return true }
	}
	set := map[string]bool{}
	for _, n := range names {
		set[n] = true
	}
	return func(n string) bool { return set[n] }
}

func missing(names []string, got []*ServicePlan) []string {
	have := map[string]bool{}
	for _, sp := range got {
		have[sp.Name] = true
	}
	var out []string
	for _, n := range names {
		if !have[n] {
			out = append(out, n)
		}
	}
	return out
}
