package upgrade

import (
	"encoding/json"
	"fmt"
	"strings"
)

// StepKind names one API interaction (or group of them) of a service's plan.
type StepKind string

// The steps a plan is made of, in the order they can appear for one service.
const (
	StepCreate         StepKind = "create"                  // POST the create body; the service comes up inactive
	StepRollback       StepKind = "rollback"                // POST actions.rollback (--rollback)
	StepPull           StepKind = "pull"                    // one pull task per image, mode all (--pull, upgrade path only)
	StepFinishPrevious StepKind = "finish-previous-upgrade" // POST actions.finishupgrade on an earlier unconfirmed upgrade
	StepUpdate         StepKind = "update"                  // PUT the service-level fields, scale preserved
	StepScale          StepKind = "scale"                   // PUT {"scale":N} (--apply-scale)
	StepUpgrade        StepKind = "upgrade"                 // POST actions.upgrade with an inServiceStrategy
	StepWaitHealthy    StepKind = "wait-healthy"            // wait until the new containers are healthy
	StepSetLinks       StepKind = "set-links"               // POST actions.setservicelinks
	StepConfirm        StepKind = "confirm"                 // POST actions.finishupgrade (-c, or --atomic when all are healthy)
	StepActivate       StepKind = "activate"                // POST actions.activate when the service is not active
	StepFail           StepKind = "fail"                    // the original fails this service here; nothing is sent
	StepAwait          StepKind = "await"                   // wait for a transition already under way to end
)

// Internal names: summaries, states, actions and body fields the planner and executor use.
const (
	summaryUnchanged             = "unchanged"
	summaryFailed                = "error"
	stateMissing                 = "missing"
	stateUpgraded                = "upgraded"
	stateUpgrading               = "upgrading"
	stateActive                  = "active"
	stateInactive                = "inactive"
	stateRegistering             = "registering"
	actionActivate               = "activate"
	actionRollback               = "rollback"
	actionFinishUpgrade          = "finishupgrade"
	actionUpgrade                = "upgrade"
	actionSetServiceLinks        = "setservicelinks"
	linkFieldServiceLinks        = "serviceLinks"
	bodyFieldScale               = "scale"
	bodyFieldInServiceStrategy   = "inServiceStrategy"
	bodyFieldLaunchConfig        = "launchConfig"
	bodyFieldSecondaryLaunchConf = "secondaryLaunchConfigs"
)

// Change is one field of a launch config (or of the service) that differs from the live service.
// Op is "+" for an added field, "-" for a removed one and "~" for a changed one.
type Change struct {
	Path string `json:"path"`
	Op   string `json:"op"`
	Old  any    `json:"old"`
	New  any    `json:"new"`
	// Hidden is set when the values are left out: an environment value, or a value holding a secret
	// variable's value (shown with --show-secrets).
	Hidden bool `json:"hidden,omitempty"`
}

// Step is one thing to do to one service, with why.
type Step struct {
	Kind   StepKind `json:"kind"`
	Reason string   `json:"reason"`
	// Diff lists the field changes an update or upgrade brings, against the live service.
	Diff []Change `json:"diff,omitempty"`
	// Images are pulled by a pull step.
	Images []string `json:"images,omitempty"`
	// Scale is the scale a scale step sets.
	Scale int64 `json:"scale,omitempty"`
	// Links are what a set-links step links to (external links already resolved, unresolved ones dropped).
	Links []Link `json:"links,omitempty"`
	// Refresh marks a set-links step sent because the API did not report the current links (the original
	// re-posted them on every up): it is not known to change anything.
	Refresh bool `json:"refresh,omitempty"`
	// AfterAll marks a confirm (or scale) that --atomic runs only once every service is healthy.
	AfterAll bool `json:"afterAll,omitempty"`
	// Error is the failure a fail step reports.
	Error string `json:"error,omitempty"`
	// State is the state an await step expects the service to settle in.
	State string `json:"state,omitempty"`
	// Body is the request body sent (create, update, scale, upgrade); not part of the printed plan.
	Body map[string]any `json:"-"`
}

// ServicePlan is everything planned for one service.
type ServicePlan struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	// ID is the existing service's id, "" when it will be created.
	ID string `json:"id,omitempty"`
	// State is the observed state, "missing" when the service does not exist.
	State string `json:"state"`
	// Action summarises the plan in one word: create, rollback, upgrade, update, confirm, scale, activate,
	// set-links, error or unchanged.
	Action   string   `json:"action"`
	OldImage string   `json:"oldImage,omitempty"`
	NewImage string   `json:"newImage,omitempty"`
	Warnings []string `json:"warnings,omitempty"`
	Notes    []string `json:"notes,omitempty"`
	// DependsOn are the planned services this one waits for (cycles already broken).
	DependsOn []string `json:"dependsOn,omitempty"`
	// Gates are the depends_on conditions this service waits for before any of its steps.
	Gates []Gate `json:"gates,omitempty"`
	// Wave numbers the plan's waves (1 = waits for nothing) when the plan has gates; 0 otherwise.
	Wave  int    `json:"wave,omitempty"`
	Steps []Step `json:"steps"`

	desired *Desired
}

// Changed tells whether the plan mutates the service (anything but set-links, waits and failures).
func (p *ServicePlan) Changed() bool {
	for _, s := range p.Steps {
		switch s.Kind {
		case StepSetLinks, StepWaitHealthy, StepFail, StepAwait:
		default:
			return true
		}
	}
	return false
}

// Has tells whether the plan holds a step of that kind.
func (p *ServicePlan) Has(kind StepKind) bool { return p.step(kind) != nil }

func (p *ServicePlan) step(kind StepKind) *Step {
	for i := range p.Steps {
		if p.Steps[i].Kind == kind {
			return &p.Steps[i]
		}
	}
	return nil
}

// SchemaVersion is the version of the JSON documents printed with --format json (the Plan of a --dry-run,
// the Result of a run). It changes only when a field is removed or changes meaning; added fields keep it.
// The fields are documented in README.md, "The JSON result".
const SchemaVersion = 1

// Plan is what `up` will do, service by service, in dependency order.
type Plan struct {
	// Version is SchemaVersion.
	Version  int            `json:"version"`
	Stack    string         `json:"stack,omitempty"`
	StackID  string         `json:"stackId,omitempty"`
	Atomic   bool           `json:"atomic,omitempty"`
	Services []*ServicePlan `json:"services"`
	// Orphans are the stack's services in none of the compose files; RemoveOrphans says the run removes
	// them (--remove-orphans).
	Orphans       []string `json:"orphans,omitempty"`
	RemoveOrphans bool     `json:"removeOrphans,omitempty"`
}

// Service returns the plan of the named service, or nil.
func (p *Plan) Service(name string) *ServicePlan {
	for _, s := range p.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Changed tells whether executing the plan mutates anything.
func (p *Plan) Changed() bool {
	for _, s := range p.Services {
		if s.Changed() {
			return true
		}
	}
	return false
}

// JSON is the --dry-run --format json document.
func (p *Plan) JSON() ([]byte, error) { return json.MarshalIndent(p, "", "  ") }

// String is the --dry-run text: one block per service, one line per step, diff lines under the step.
func (p *Plan) String() string {
	var b strings.Builder
	if p.Stack != "" {
		fmt.Fprintf(&b, "Stack %s%s\n", p.Stack, map[bool]string{true: " (atomic)", false: ""}[p.Atomic])
	}
	b.WriteString(wavesText(p))
	for _, s := range p.Services {
		writeServicePlan(&b, s)
	}
	for _, o := range p.Orphans {
		if p.RemoveOrphans {
			fmt.Fprintf(&b, "%s: remove (orphan: in no compose file)\n", o)
		} else {
			fmt.Fprintf(&b, "%s: orphan (in no compose file; --remove-orphans removes it)\n", o)
		}
	}
	return b.String()
}

func writeServicePlan(b *strings.Builder, s *ServicePlan) {
	fmt.Fprintf(b, "%s: %s (%s", s.Name, s.Action, s.State)
	if s.OldImage != s.NewImage && s.NewImage != "" {
		if s.OldImage == "" {
			fmt.Fprintf(b, ", image %s", s.NewImage)
		} else {
			fmt.Fprintf(b, ", image %s -> %s", s.OldImage, s.NewImage)
		}
	}
	b.WriteString(")\n")
	if len(s.DependsOn) > 0 {
		fmt.Fprintf(b, "  after %s\n", strings.Join(s.DependsOn, ", "))
	}
	for _, g := range s.Gates {
		fmt.Fprintf(b, "  waits for %s: %s\n", g.Service, g.Condition)
	}
	for _, w := range s.Warnings {
		fmt.Fprintf(b, "  ! %s\n", w)
	}
	for _, st := range s.Steps {
		if st.Error != "" {
			fmt.Fprintf(b, "  - %s: %s: %s\n", st.Kind, st.Reason, st.Error)
		} else {
			fmt.Fprintf(b, "  - %s: %s\n", st.Kind, st.Reason)
		}
		for _, c := range st.Diff {
			fmt.Fprintf(b, "      %s\n", formatChange(c))
		}
	}
	for _, n := range s.Notes {
		fmt.Fprintf(b, "  # %s\n", n)
	}
}

func formatChange(c Change) string {
	if c.Hidden {
		what := map[string]string{"+": "added", "-": "removed"}[c.Op]
		return fmt.Sprintf("%s %s: %s (value hidden)", c.Op, c.Path, nonEmpty(what, "changed"))
	}
	switch c.Op {
	case "+":
		return fmt.Sprintf("+ %s: %s", c.Path, compactJSON(c.New))
	case "-":
		return fmt.Sprintf("- %s: %s", c.Path, compactJSON(c.Old))
	}
	return fmt.Sprintf("~ %s: %s -> %s", c.Path, compactJSON(c.Old), compactJSON(c.New))
}

func compactJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return string(data)
}
