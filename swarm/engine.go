package swarm

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// SchemaVersion is the version of the JSON documents (plan and result) the swarm engine prints.
const SchemaVersion = 1

// Engine is the swarm engine behind the commands (engine.Engine). It connects on first use, so that the
// offline checks (Check) need no daemon.
type Engine struct {
	// Endpoint is where the daemon is; Client, when set, is used instead (tests).
	Endpoint Endpoint
	Client   *Client
	Progress progress.Emitter
	// Map holds the settings of every mapping: the probe, the monitor period. Flags are added per run.
	Map MapOptions
	// Poll is the interval of waits (default 500ms).
	Poll time.Duration
	// LockOwner names this run in the deploy lock; LockTTL is its lease (renewed every third of it while
	// the run lives; 0: the lock package's default). Now is the clock.
	LockOwner string
	LockTTL   time.Duration
	Now       func() time.Time
	// LoadProject, when set, reads the project files (named: the services on the command line); start
	// uses it to create the services the stack lacks.
	LoadProject func(ctx context.Context, named []string) (*compose.Project, error)

	mu sync.Mutex
}

var _ engine.Engine = (*Engine)(nil)

// connect opens the daemon once and checks it is a swarm manager.
func (e *Engine) connect(ctx context.Context) (*Client, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.Client != nil {
		return e.Client, nil
	}
	c, err := Connect(ctx, e.Endpoint)
	if err != nil {
		return nil, err
	}
	if err := c.RequireManager(ctx); err != nil {
		return nil, err
	}
	e.Client = c
	return c, nil
}

// Name is "swarm".
func (e *Engine) Name() string { return "swarm" }

func (e *Engine) mapOptions(o engine.UpOptions) MapOptions {
	m := e.Map
	m.BatchSize, m.Interval = o.BatchSize, o.Interval
	return m
}

// Check maps the project and returns what Swarm cannot honour.
func (e *Engine) Check(p *compose.Project, o engine.UpOptions) ([]engine.Warning, error) {
	d, err := Map(p, e.mapOptions(o))
	if err != nil {
		return nil, err
	}
	return warnings(d.Warnings), nil
}

func warnings(in []Warning) []engine.Warning {
	out := make([]engine.Warning, 0, len(in))
	for _, w := range in {
		out = append(out, engine.Warning{Service: w.Service, Key: w.Key, Text: w.String()})
	}
	return out
}

// Up deploys the project: create, upgrade, confirm (-c), rollback (-r), apply scale, as o says.
func (e *Engine) Up(ctx context.Context, p *compose.Project, o engine.UpOptions) (*engine.Outcome, error) {
	d, err := Map(p, e.mapOptions(o))
	if err != nil {
		return nil, err
	}
	if o.Pull && !o.DryRun {
		if err := e.pullWarning(ctx, p, o.Services); err != nil {
			return nil, err
		}
	}
	if o.Rollback {
		return e.run(ctx, p.Name, o.DryRun, o.ForceUnlock, func(obs Observed) (*Plan, error) { return PlanRollback(p.Name, obs, o.Services) })
	}
	o.Services = withDependsOn(p, o.Services)
	up := UpOptions{Services: o.Services, Upgrade: o.Upgrade || o.Atomic, ForceUpgrade: o.ForceUpgrade, Confirm: o.Confirm,
		ApplyScale: o.ApplyScale, WaitHealthy: o.WaitHealthy, Atomic: o.Atomic, CreateOnly: o.CreateOnly, RemoveOrphans: o.RemoveOrphans, ShowSecrets: o.ShowSecrets}
	locked := !o.CreateOnly && (up.Upgrade || up.ForceUpgrade || up.Confirm || up.RemoveOrphans)
	return e.runLocked(ctx, p.Name, o.DryRun, locked, o.ForceUnlock, func(obs Observed) (*Plan, error) { return PlanUp(d, obs, up) })
}

// withDependsOn is names followed by what they depend on (compose.Project.WithDependsOn), keeping names
// the files do not define (a stack's service the command names): `up NAME` and `start NAME` bring what NAME
// depends on, as docker compose does. Empty stays empty (every service).
func withDependsOn(p *compose.Project, names []string) []string {
	if len(names) == 0 {
		return nil
	}
	out := append([]string(nil), names...)
	for _, n := range p.WithDependsOn(names) {
		if !containsName(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// Confirm marks the pending upgrades confirmed (a label-only update: nothing restarts).
func (e *Engine) Confirm(ctx context.Context, stack string, o engine.StackOptions) (*engine.Outcome, error) {
	return e.run(ctx, stack, o.DryRun, o.ForceUnlock, func(obs Observed) (*Plan, error) { return PlanConfirm(stack, obs, o.Services) })
}

// Rollback restores each service's last confirmed version.
func (e *Engine) Rollback(ctx context.Context, stack string, o engine.StackOptions) (*engine.Outcome, error) {
	return e.run(ctx, stack, o.DryRun, o.ForceUnlock, func(obs Observed) (*Plan, error) { return PlanRollback(stack, obs, o.Services) })
}

// Scale sets replica counts.
func (e *Engine) Scale(ctx context.Context, t engine.Target, scale []engine.ScaleTarget) (*engine.Outcome, error) {
	want := map[string]int64{}
	for _, s := range scale {
		want[s.Service] = s.Replicas
	}
	return e.run(ctx, t.Stack, false, t.ForceUnlock, func(obs Observed) (*Plan, error) { return PlanScale(t.Stack, obs, want) })
}

// Start restores the replica counts stop recorded and, when the files can be read (LoadProject), creates
// the services of the files the stack lacks, as Rancher's start does.
func (e *Engine) Start(ctx context.Context, t engine.Target) (*engine.Outcome, error) {
	stack, services := t.Stack, t.Services
	if e.LoadProject == nil {
		return e.runLocked(ctx, stack, false, false, false, func(obs Observed) (*Plan, error) { return PlanStart(stack, obs, services) })
	}
	p, err := e.LoadProject(ctx, services)
	if err != nil {
		return nil, err
	}
	d, err := Map(p, e.Map)
	if err != nil {
		return nil, err
	}
	services = withDependsOn(p, services)
	return e.runLocked(ctx, stack, false, false, false, func(obs Observed) (*Plan, error) { return PlanStartProject(d, obs, services) })
}

// RestartInBatches restarts every task batch at a time with interval between batches (restart's
// --batch-size and --interval); each service's own update settings are put back afterwards.
func (e *Engine) RestartInBatches(ctx context.Context, t engine.Target, batch int64, interval time.Duration) (*engine.Outcome, error) {
	return e.runLocked(ctx, t.Stack, false, false, false, func(obs Observed) (*Plan, error) {
		return PlanRestartInBatches(t.Stack, obs, t.Services, batch, interval)
	})
}

// Stop scales services to 0, recording their counts.
func (e *Engine) Stop(ctx context.Context, t engine.Target) (*engine.Outcome, error) {
	return e.runLocked(ctx, t.Stack, false, false, false, func(obs Observed) (*Plan, error) { return PlanStop(t.Stack, obs, t.Services) })
}

// Restart replaces every task (a forced rolling update).
func (e *Engine) Restart(ctx context.Context, t engine.Target) (*engine.Outcome, error) {
	return e.runLocked(ctx, t.Stack, false, false, false, func(obs Observed) (*Plan, error) { return PlanRestart(t.Stack, obs, t.Services) })
}

// Remove deletes services; with none named, the whole stack: services, network and lock config.
func (e *Engine) Remove(ctx context.Context, t engine.Target) (*engine.Outcome, error) {
	return e.runLocked(ctx, t.Stack, false, false, false, func(obs Observed) (*Plan, error) { return PlanRemove(t.Stack, obs, t.Services) })
}

// run is runLocked with the lock taken (upgrades, confirms, rollbacks, scales).
func (e *Engine) run(ctx context.Context, stack string, dryRun, force bool, planner func(Observed) (*Plan, error)) (*engine.Outcome, error) {
	return e.runLocked(ctx, stack, dryRun, true, force, planner)
}

// runLocked observes, plans, and (unless a dry run) executes under the stack's deploy lock when locked.
func (e *Engine) runLocked(ctx context.Context, stack string, dryRun, locked, force bool, planner func(Observed) (*Plan, error)) (*engine.Outcome, error) {
	c, err := e.connect(ctx)
	if err != nil {
		return nil, err
	}
	obs, err := Observe(ctx, c, stack)
	if err != nil {
		return nil, err
	}
	plan, err := planner(obs)
	if err != nil {
		return nil, err
	}
	out := &engine.Outcome{Plan: plan}
	if dryRun {
		return out, nil
	}
	if locked && len(obs.Services) > 0 {
		runCtx, release, err := e.lock(ctx, stack, force)
		if err != nil {
			return out, err
		}
		defer release()
		ctx = runCtx
	}
	x := &Executor{Client: e.Client, Progress: e.Progress, Poll: e.Poll, Now: e.Now}
	res, err := x.Execute(ctx, plan)
	res.Version = SchemaVersion
	out.Result = res
	return out, err
}

// lock takes the stack's deploy lock (a Swarm config, see LockStore) and keeps its lease alive. The returned
// context is cancelled when the lock is lost to another run; release stops the renewals and removes the
// lock, after an interruption too.
func (e *Engine) lock(ctx context.Context, stack string, force bool) (context.Context, func(), error) {
	host, _ := os.Hostname()
	l, err := lock.Acquire(ctx, LockStore{Client: e.Client}, stack, lock.Options{Owner: e.LockOwner, Host: host, PID: os.Getpid(),
		TTL: e.LockTTL, Force: force, Now: e.Now, BreakCommand: "rancher-compose --engine swarm -p " + stack + " ... --force-unlock"})
	if err != nil {
		return nil, nil, fmt.Errorf("locking stack %s: %w", stack, err)
	}
	if b := l.TookOver; b != nil {
		e.Progress.Emit("stack "+stack, progress.Warning, "took over the deploy lock of "+b.Owner+", whose lease expired")
	}
	if b := l.Broken; b != nil {
		e.Progress.Emit("stack "+stack, progress.Warning, "broke the deploy lock held by "+b.Owner+" (--force-unlock)")
	}
	runCtx, cancel := context.WithCancelCause(ctx)
	stop := l.KeepAlive(ctx, func(err error) {
		e.Progress.Emit("stack "+stack, progress.Error, err.Error()+": stopping this run")
		cancel(err)
	})
	return runCtx, func() {
		stop()
		cancel(nil)
		rctx, done := context.WithTimeout(context.WithoutCancel(ctx), 4*time.Second)
		defer done()
		if err := l.Release(rctx); err != nil {
			e.Progress.Emit("stack "+stack, progress.Warning, "releasing the deploy lock: "+err.Error())
		}
	}, nil
}

// Status reads the stack for ps.
func (e *Engine) Status(ctx context.Context, stack string, services []string) (engine.Printable, error) {
	c, err := e.connect(ctx)
	if err != nil {
		return nil, err
	}
	st, err := Status(ctx, c, stack, services)
	if err != nil {
		return nil, err
	}
	view := &StatusView{Version: SchemaVersion, Engine: "swarm", Stack: stack, Services: st}
	if h, err := lock.Peek(ctx, LockStore{Client: c}, stack); err == nil && h != nil && !h.Expired(e.now()) {
		view.Lock = h
	}
	return view, nil
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Logs copies each service's logs to w, prefixed with the service name.
func (e *Engine) Logs(ctx context.Context, t engine.Target, follow bool, tail int, w io.Writer) error {
	stack, services := t.Stack, t.Services
	c, err := e.connect(ctx)
	if err != nil {
		return err
	}
	obs, err := Observe(ctx, c, stack)
	if err != nil {
		return err
	}
	names := services
	if len(names) == 0 {
		for n := range obs.Services {
			names = append(names, n)
		}
		sort.Strings(names)
	}
	for _, n := range names {
		if _, ok := obs.Services[n]; !ok {
			return &NotFoundError{Stack: stack, Service: n}
		}
	}
	errs := make(chan error, len(names))
	w = &syncWriter{w: w}
	for _, n := range names {
		go func(n, id string) {
			errs <- c.ServiceLogs(ctx, id, tail, follow, false, &prefixWriter{w: w, prefix: n + " | "})
		}(n, obs.Services[n].ID)
	}
	for range names {
		if err := <-errs; err != nil && ctx.Err() == nil {
			return err
		}
	}
	return nil
}

// Pull pulls the images; with no registry, images present locally are warnings. --cached has no meaning
// here: each daemon pulls (or finds locally) each image once.
func (e *Engine) Pull(ctx context.Context, p *compose.Project, o engine.PullOptions) ([]string, error) {
	services := o.Services
	if o.Cached {
		e.Progress.Emit("pull", progress.Warning, "--cached has no meaning on --engine swarm: its daemon pulls (or finds locally) each image once; pulling as without it")
	}
	d, err := Map(p, e.Map)
	if err != nil {
		return nil, err
	}
	c, err := e.connect(ctx)
	if err != nil {
		return nil, err
	}
	outs, err := Pull(ctx, c, d, services)
	var warns []string
	for _, o := range outs {
		if o.Warning != "" {
			warns = append(warns, o.Warning)
		}
	}
	return warns, err
}

// String renders the plan for --dry-run: one line per service, then its field changes.
func (p *Plan) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stack %s (engine swarm)\n", p.Stack)
	if p.CreateNetwork {
		fmt.Fprintf(&b, "  network %s: create\n", p.Network)
	}
	b.WriteString(p.wavesText())
	if len(p.Orphans) > 0 {
		fmt.Fprintf(&b, "  orphans (in none of the files; --remove-orphans removes them): %s\n", strings.Join(p.Orphans, ", "))
	}
	for _, sp := range p.Services {
		steps := make([]string, len(sp.Steps))
		for i, s := range sp.Steps {
			steps[i] = string(s)
		}
		fmt.Fprintf(&b, "  %s: %s", sp.Name, strings.Join(steps, ", "))
		if sp.Note != "" {
			fmt.Fprintf(&b, " (%s)", sp.Note)
		}
		b.WriteString("\n")
		for _, d := range sp.Diff {
			fmt.Fprintf(&b, "      %s\n", d)
		}
	}
	return b.String()
}

// MarshalJSON renders the plan for --dry-run --format json.
func (p *Plan) MarshalJSON() ([]byte, error) {
	type svc struct {
		Name     string     `json:"name"`
		Action   StepKind   `json:"action"`
		Steps    []StepKind `json:"steps"`
		Replicas int64      `json:"replicas"`
		Diff     []string   `json:"diff,omitempty"`
		Note     string     `json:"note,omitempty"`
		Wave     int        `json:"wave,omitempty"`
		Gates    []Gate     `json:"gates,omitempty"`
	}
	out := struct {
		Version       int      `json:"version"`
		Engine        string   `json:"engine"`
		Stack         string   `json:"stack"`
		CreateNetwork bool     `json:"createNetwork,omitempty"`
		Services      []svc    `json:"services"`
		Orphans       []string `json:"orphans,omitempty"`
	}{Version: SchemaVersion, Engine: "swarm", Stack: p.Stack, CreateNetwork: p.CreateNetwork, Services: []svc{}, Orphans: p.Orphans}
	for _, sp := range p.Services {
		out.Services = append(out.Services, svc{Name: sp.Name, Action: sp.Action(), Steps: sp.Steps, Replicas: sp.Replicas, Diff: sp.Diff, Note: sp.Note,
			Wave: sp.Wave, Gates: sp.Gates})
	}
	return json.Marshal(out)
}

// StatusView is the ps output: a table as text, the stack, its live deploy lock and the rows as JSON (the
// shape of the Rancher engine's ps).
type StatusView struct {
	Version  int             `json:"version"`
	Engine   string          `json:"engine"`
	Stack    string          `json:"stack"`
	Lock     *lock.Holder    `json:"lock,omitempty"`
	Services []ServiceStatus `json:"services"`
}

// String renders one line per service: replicas running/desired, image, health, nodes, update state; and
// who holds the deploy lock, if anyone.
func (v *StatusView) String() string {
	var b strings.Builder
	if v.Lock != nil {
		fmt.Fprintf(&b, "deploy lock held by %s until %s\n", v.Lock.Owner, v.Lock.Expires.UTC().Format(time.RFC3339))
	}
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tMODE\tREPLICAS\tIMAGE\tHEALTH\tNODES\tUPDATE\tRECORD")
	for _, s := range v.Services {
		desired := fmt.Sprint(s.Desired)
		if s.Desired < 0 {
			desired = "global"
		}
		nodes := map[string]bool{}
		var list []string
		for _, task := range s.Tasks {
			if !nodes[task.Node] {
				nodes[task.Node] = true
				list = append(list, task.Node)
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%d/%s\t%s\t%s\t%s\t%s\t%s\n", s.Name, s.Mode, s.Running, desired, s.Image, s.Health,
			orDash(strings.Join(list, ",")), orDash(s.UpdateState), orDash(s.Record))
	}
	_ = tw.Flush()
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// prefixWriter prefixes every line written to w (log lines of several services interleave whole).
type prefixWriter struct {
	w       io.Writer
	prefix  string
	partial []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.partial = append(p.partial, b...)
	for {
		i := strings.IndexByte(string(p.partial), '\n')
		if i < 0 {
			return len(b), nil
		}
		if _, err := fmt.Fprintf(p.w, "%s%s\n", p.prefix, p.partial[:i]); err != nil {
			return 0, err
		}
		p.partial = p.partial[i+1:]
	}
}

// pullWarning is up --pull: pull first, each image present locally without a registry a warning.
func (e *Engine) pullWarning(ctx context.Context, p *compose.Project, services []string) error {
	warns, err := e.Pull(ctx, p, engine.PullOptions{Services: services})
	for _, w := range warns {
		e.Progress.Emit("pull", progress.Warning, w)
	}
	return err
}
