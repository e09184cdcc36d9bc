package rancherengine

import (
	"context"
	"io"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// Engine is the Rancher 1.6 engine behind engine.Engine. It opens its Session on first use, after the
// command checked everything offline, so that bad input is refused before any API call.
type Engine struct {
	// Open connects to the API and checks the key may deploy here; stack names the stack the command
	// looks up first ("" when it does not), which the connection may look up early.
	Open    func(ctx context.Context, stack string) (*Session, error)
	session *Session
}

var (
	_ engine.Engine         = (*Engine)(nil)
	_ engine.ProjectScoped  = (*Engine)(nil)
	_ engine.BatchRestarter = (*Engine)(nil)
	_ engine.UpLogFollower  = (*Engine)(nil)
	_ engine.FromToUpgrader = (*Engine)(nil)
)

func (e *Engine) connect(ctx context.Context, stack string) (*Session, error) {
	if e.session == nil {
		s, err := e.Open(ctx, stack)
		if err != nil {
			return nil, err
		}
		e.session = s
	}
	return e.session, nil
}

// Name is "rancher".
func (e *Engine) Name() string { return "rancher" }

// ProjectScoped is true: Rancher's commands act on the services of the compose files (a sidekick selects
// its primary; a name the files lack is refused, exit 2).
func (e *Engine) ProjectScoped() bool { return true }

// Check refuses service names the files lack; the conversion itself is checked by Up, before connecting.
func (e *Engine) Check(p *compose.Project, o engine.UpOptions) ([]engine.Warning, error) {
	_, err := SelectPrimaries(p, o.Services)
	return nil, err
}

// deployPrimaries are the primaries a deploy works on: the named ones and what they depend on, or all.
func deployPrimaries(p *compose.Project, names []string) ([]string, error) {
	primaries, err := SelectPrimaries(p, names)
	if err != nil || len(names) == 0 {
		return primaries, err
	}
	return p.WithDependsOn(primaries), nil
}

// Up runs create (o.CreateOnly) or up: converts the selected services offline, connects and deploys.
func (e *Engine) Up(ctx context.Context, p *compose.Project, o engine.UpOptions) (*engine.Outcome, error) {
	req := DeployRequest{Opts: upOptions(o), DryRun: o.DryRun, ForceUnlock: o.ForceUnlock, Orphans: true, RemoveOrphans: o.RemoveOrphans}
	if o.CreateOnly {
		req = DeployRequest{Opts: upgrade.Options{Services: o.Services, CreateOnly: true}, Shape: CreateOnly, ForceUnlock: o.ForceUnlock}
	}
	return e.deploy(ctx, p, o.Services, req)
}

// upOptions maps up's options to the planner's.
func upOptions(o engine.UpOptions) upgrade.Options {
	return upgrade.Options{
		Upgrade: o.Upgrade || o.ForceUpgrade || o.Atomic, ForceUpgrade: o.ForceUpgrade,
		ConfirmUpgrade: o.Confirm, Rollback: o.Rollback, Pull: o.Pull,
		BatchSize: o.BatchSize, IntervalMillis: o.Interval.Milliseconds(),
		BatchSizeSet: o.BatchSize > 0, IntervalSet: o.IntervalSet,
		Services: o.Services, ApplyScale: o.ApplyScale, Atomic: o.Atomic, WaitHealthy: o.WaitHealthy || o.Atomic,
		ShowSecrets: o.ShowSecrets,
	}
}

// deploy is the flow create, start and up share: select the services, convert them offline, connect,
// deploy.
func (e *Engine) deploy(ctx context.Context, p *compose.Project, names []string, req DeployRequest) (*engine.Outcome, error) {
	primaries, err := deployPrimaries(p, names)
	if err != nil {
		return nil, err
	}
	if len(names) > 0 {
		req.Opts.Services = primaries
	}
	if err := Preflight(p, primaries); err != nil {
		return nil, err
	}
	s, err := e.connect(ctx, p.Name)
	if err != nil {
		return nil, err
	}
	out, err := s.Deploy(ctx, p, primaries, req)
	return outcome(out), err
}

// outcome is a deploy's outcome in the engine's terms (nil plan and result stay nil interfaces).
func outcome(d *DeployOutcome) *engine.Outcome {
	if d == nil {
		return nil
	}
	out := &engine.Outcome{}
	if d.Plan != nil {
		out.Plan = d.Plan
	}
	if d.Result != nil {
		out.Result = d.Result
	}
	return out
}

// Confirm confirms the in-place upgrades of the stack (upgrade --confirm).
func (e *Engine) Confirm(ctx context.Context, stack string, o engine.StackOptions) (*engine.Outcome, error) {
	return e.finish(ctx, stack, o, upgrade.PlanConfirm, "upgrade --confirm")
}

// Rollback rolls back the in-place upgrades of the stack.
func (e *Engine) Rollback(ctx context.Context, stack string, o engine.StackOptions) (*engine.Outcome, error) {
	return e.finish(ctx, stack, o, upgrade.PlanRollback, "rollback")
}

func (e *Engine) finish(ctx context.Context, stack string, o engine.StackOptions,
	planner func(*upgrade.Observed, []string, upgrade.Options) (*upgrade.Plan, error), verb string) (*engine.Outcome, error) {
	s, err := e.connect(ctx, stack)
	if err != nil {
		return nil, err
	}
	out, err := s.Finish(ctx, stack, FinishOptions{Services: o.Services, DryRun: o.DryRun, ForceUnlock: o.ForceUnlock, Planner: planner, Verb: verb})
	return outcome(out), err
}

// Scale sets each named service's scale, one after the other in argument order, as the original did.
func (e *Engine) Scale(ctx context.Context, t engine.Target, scale []engine.ScaleTarget) (*engine.Outcome, error) {
	want := map[string]int64{}
	var names []string
	for _, st := range scale {
		svc := t.Project.Service(st.Service)
		if svc == nil || svc.IsSidekick() {
			return nil, configErrorf("%s is not defined in the template", st.Service)
		}
		if _, dup := want[st.Service]; !dup {
			names = append(names, st.Service)
		}
		want[st.Service] = st.Replicas
	}
	s, err := e.connect(ctx, "")
	if err != nil {
		return nil, err
	}
	return nil, s.Scale(ctx, t.Stack, names, want, t.ForceUnlock)
}

// Start links and activates the existing services, as the original's start did: no create, no upgrade;
// missing services are skipped.
func (e *Engine) Start(ctx context.Context, t engine.Target) (*engine.Outcome, error) {
	return e.deploy(ctx, t.Project, t.Services, DeployRequest{Opts: upgrade.Options{Services: t.Services}, Shape: StartOnly, NoVolumes: true, ForceUnlock: t.ForceUnlock})
}

// onEach selects the services of t, connects and runs fn on them.
func (e *Engine) onEach(ctx context.Context, t engine.Target, fn func(s *Session, primaries []string) error) (*engine.Outcome, error) {
	primaries, err := SelectPrimaries(t.Project, t.Services)
	if err != nil {
		return nil, err
	}
	s, err := e.connect(ctx, "")
	if err != nil {
		return nil, err
	}
	return nil, fn(s, primaries)
}

// Stop deactivates every selected service that exists and is not inactive, concurrently.
func (e *Engine) Stop(ctx context.Context, t engine.Target) (*engine.Outcome, error) {
	return e.onEach(ctx, t, func(s *Session, primaries []string) error { return s.Stop(ctx, t.Stack, primaries, t.ForceUnlock) })
}

// Remove deletes the selected services that exist; the stack and other services are untouched.
func (e *Engine) Remove(ctx context.Context, t engine.Target) (*engine.Outcome, error) {
	return e.onEach(ctx, t, func(s *Session, primaries []string) error { return s.Remove(ctx, t.Stack, primaries, t.ForceUnlock) })
}

// Restart restarts the selected services' containers one at a time.
func (e *Engine) Restart(ctx context.Context, t engine.Target) (*engine.Outcome, error) {
	return e.RestartInBatches(ctx, t, 1, 0)
}

// RestartInBatches restarts the selected services' containers in rolling batches (restart's --batch-size
// and --interval).
func (e *Engine) RestartInBatches(ctx context.Context, t engine.Target, batch int64, interval time.Duration) (*engine.Outcome, error) {
	return e.onEach(ctx, t, func(s *Session, primaries []string) error {
		return s.Restart(ctx, t.Stack, primaries, t.ForceUnlock, int(batch), int(interval.Milliseconds()))
	})
}

// Status reads the stack for ps.
func (e *Engine) Status(ctx context.Context, stack string, services []string) (engine.Printable, error) {
	s, err := e.connect(ctx, stack)
	if err != nil {
		return nil, err
	}
	view, err := s.Status(ctx, stack, services)
	if err != nil {
		return nil, err
	}
	return view, nil
}

// Logs writes the selected services' containers' logs to w.
func (e *Engine) Logs(ctx context.Context, t engine.Target, follow bool, tail int, w io.Writer) error {
	_, err := e.onEach(ctx, t, func(s *Session, primaries []string) error {
		return s.StreamLogs(ctx, t.Stack, primaries, follow, tail, w)
	})
	return err
}

// FollowUpLogs is up without -d: it streams the deployed services' logs until interrupted, like the original.
func (e *Engine) FollowUpLogs(ctx context.Context, t engine.Target, w io.Writer) error {
	primaries, err := deployPrimaries(t.Project, t.Services)
	if err != nil {
		return err
	}
	s, err := e.connect(ctx, "")
	if err != nil {
		return err
	}
	if err := s.StreamLogs(ctx, t.Stack, primaries, true, 100, w); err != nil {
		return err
	}
	<-ctx.Done()
	return ctx.Err()
}

// Pull runs one pull task per distinct image of the selected services (and their sidekicks), all at once,
// with the service's labels so that Cattle picks the matching hosts. Like the original, it opens (and so
// creates) the stack. Failures are errors: nothing is returned as a warning.
func (e *Engine) Pull(ctx context.Context, p *compose.Project, o engine.PullOptions) ([]string, error) {
	primaries, err := SelectPrimaries(p, o.Services)
	if err != nil {
		return nil, err
	}
	s, err := e.connect(ctx, "")
	if err != nil {
		return nil, err
	}
	return nil, s.Pull(ctx, p, primaries, o.Cached)
}

// UpgradeFromTo is the original's service-to-service rolling upgrade (original-behavior.md §3.7).
func (e *Engine) UpgradeFromTo(ctx context.Context, p *compose.Project, o engine.FromToOptions) error {
	if err := checkUpgradeServices(p, o.From, o.To); err != nil {
		return err
	}
	if err := Preflight(p, []string{o.To}); err != nil {
		return err
	}
	s, err := e.connect(ctx, "")
	if err != nil {
		return err
	}
	return s.UpgradeFromTo(ctx, p, o)
}

// checkUpgradeServices checks, before any API call, that both services are in the compose files and that
// the target is not global (a global service cannot be the target of a rolling upgrade).
func checkUpgradeServices(p *compose.Project, from, to string) error {
	for _, n := range []string{from, to} {
		if svc := p.Service(n); svc == nil || svc.IsSidekick() {
			return configErrorf("Failed to find service: %s", n)
		}
	}
	if p.Service(to).Compose.Labels[GlobalLabel] == "true" {
		return configErrorf("Upgrade is not supported for global services: %s", to)
	}
	return nil
}

// SelectPrimaries checks positional service names against the project (before any API call) and returns
// the primaries to work on: the named ones (a sidekick selects its primary), or every primary.
func SelectPrimaries(p *compose.Project, names []string) ([]string, error) {
	if len(names) == 0 {
		var all []string
		for _, s := range p.Primaries() {
			all = append(all, s.Name)
		}
		return all, nil
	}
	var out []string
	seen := map[string]bool{}
	for _, n := range names {
		s := p.Service(n)
		if s == nil {
			return nil, configErrorf("No such service: %s", n)
		}
		if s.IsSidekick() {
			n = s.SidekickOf
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out, nil
}
