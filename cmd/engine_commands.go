package cmd

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// runOnEngine runs one command on the engine --engine names: flags → engine options, then render.
func runOnEngine(c *cli.Context, f *Factory, g *GlobalOptions, name string) error {
	r, cancel, err := openEngine(c, f, g)
	if err != nil {
		return err
	}
	defer cancel()
	args := c.Args().Slice()
	switch name {
	case "up", "create":
		return r.up(name, args)
	case "upgrade":
		if !c.Bool("confirm") {
			return r.upgradeFromTo(args)
		}
		return r.onStack(c.Bool("dry-run"), func(stack string) (*engine.Outcome, error) { return r.eng.Confirm(r.ctx, stack, r.stackOptions(args)) })
	case "rollback":
		return r.onStack(c.Bool("dry-run"), func(stack string) (*engine.Outcome, error) { return r.eng.Rollback(r.ctx, stack, r.stackOptions(args)) })
	case "start":
		return r.onTarget(args, args, r.eng.Start)
	case "stop":
		return r.onTarget(args, args, r.eng.Stop)
	case "restart":
		return r.restart(args)
	case "rm":
		return r.onTarget(args, args, r.eng.Remove)
	case "scale":
		return r.scale(args)
	case "ps":
		return r.ps(args)
	case "logs":
		return r.logs(args)
	case "pull":
		return r.pull(args)
	}
	return r.notMeaningful("the " + name + " command")
}

// up maps up's (and create's) flags to the engine's options.
func (r *engineRun) up(name string, args []string) error {
	c := r.c
	o := &upOptions{run: r.run, Format: r.format, BatchSize: c.Int("batch-size"), Interval: c.Int("interval"),
		Upgrade: c.Bool("upgrade"), ForceUpgrade: c.Bool("force-upgrade"), Confirm: c.Bool("confirm-upgrade"), Rollback: c.Bool("rollback")}
	if name == "up" {
		if err := o.validate(); err != nil {
			return err
		}
	}
	eo := engine.UpOptions{Services: args, Upgrade: o.Upgrade, ForceUpgrade: o.ForceUpgrade, Confirm: o.Confirm, Rollback: o.Rollback,
		ApplyScale: c.Bool("apply-scale"), WaitHealthy: c.Bool("wait-healthy"), Atomic: c.Bool("atomic"), DryRun: c.Bool("dry-run"),
		CreateOnly: name == "create", ForceUnlock: c.Bool("force-unlock"), RemoveOrphans: c.Bool("remove-orphans"), ShowSecrets: c.Bool("show-secrets"),
		Pull: c.Bool("pull")}
	if c.IsSet("batch-size") {
		eo.BatchSize = int64(o.BatchSize)
	}
	if c.IsSet("interval") {
		eo.Interval, eo.IntervalSet = msDuration(o.Interval), true
	}
	p, err := r.project(args, eo)
	if err != nil {
		return err
	}
	out, err := r.eng.Up(r.ctx, p, eo)
	if perr := r.print(out, eo.DryRun); perr != nil && err == nil {
		err = perr
	}
	if err != nil || eo.DryRun || name == "create" || c.Bool("d") {
		return err
	}
	r.cancel()
	t, w := engine.Target{Stack: p.Name, Project: p, Services: args}, &lockedWriter{w: r.f.IO.Out}
	if fl, ok := r.eng.(engine.UpLogFollower); ok {
		return fl.FollowUpLogs(c.Context, t, w)
	}
	return r.eng.Logs(c.Context, t, true, 100, w)
}

// upgradeFromTo is the original's service-to-service rolling upgrade, on the engines that know it.
func (r *engineRun) upgradeFromTo(args []string) error {
	u, ok := r.eng.(engine.FromToUpgrader)
	if !ok {
		return r.notMeaningful("upgrade FROM TO (service-to-service upgrade)")
	}
	c := r.c
	if len(args) != 2 {
		return usageErrorf("Please pass arguments in the form: [from service] [to service]")
	}
	o := engine.FromToOptions{From: args[0], To: args[1], Scale: c.Int("scale"), BatchSize: c.Int("batch-size"), Interval: c.Int("interval"),
		UpdateLinks: c.Bool("update-links"), Wait: c.Bool("wait"), Pull: c.Bool("pull"), Cleanup: c.Bool("cleanup"), ForceUnlock: c.Bool("force-unlock")}
	if o.BatchSize < 1 || o.Interval < 0 {
		return usageErrorf("--batch-size must be at least 1 and --interval not negative")
	}
	if msg := compose.ScaleProblem(int64(o.Scale)); o.Scale != -1 && msg != "" {
		return usageErrorf("--scale: %s (or -1 to keep the source's scale)", msg)
	}
	p, err := loadProjectFor(r.ctx, r.f, r.g, []string{o.To})
	if err != nil {
		return err
	}
	return u.UpgradeFromTo(r.ctx, p, o)
}

func (r *engineRun) stackOptions(args []string) engine.StackOptions {
	return engine.StackOptions{Services: args, DryRun: r.c.Bool("dry-run"), ForceUnlock: r.c.Bool("force-unlock")}
}

// onStack runs a file-less command on the stack named by -p (or the files' project name).
func (r *engineRun) onStack(dryRun bool, fn func(stack string) (*engine.Outcome, error)) error {
	stack, err := r.stack()
	if err != nil {
		return err
	}
	out, err := fn(stack)
	if perr := r.print(out, dryRun); perr != nil && err == nil {
		err = perr
	}
	return err
}

func (r *engineRun) scale(args []string) error {
	targets, err := parseScaleArgs(args)
	if err != nil {
		return err
	}
	want := make([]engine.ScaleTarget, len(targets))
	named := make([]string, len(targets))
	for i, t := range targets {
		want[i] = engine.ScaleTarget{Service: t.name, Replicas: t.scale}
		named[i] = t.name
	}
	return r.onTarget(named, nil, func(ctx context.Context, t engine.Target) (*engine.Outcome, error) { return r.eng.Scale(ctx, t, want) })
}

// onTarget runs a per-service command: on the services of the files (loaded with named) when the engine
// acts on them, otherwise on the stack named by -p (or the files' project name).
func (r *engineRun) onTarget(named, services []string, fn func(ctx context.Context, t engine.Target) (*engine.Outcome, error)) error {
	t, err := r.target(named, services)
	if err != nil {
		return err
	}
	out, err := fn(r.ctx, t)
	if perr := r.print(out, false); perr != nil && err == nil {
		err = perr
	}
	return err
}

// target is what a per-service command acts on.
func (r *engineRun) target(named, services []string) (engine.Target, error) {
	t := engine.Target{Services: services, ForceUnlock: r.c.Bool("force-unlock")}
	if ps, ok := r.eng.(engine.ProjectScoped); ok && ps.ProjectScoped() {
		p, err := loadProjectFor(r.ctx, r.f, r.g, named)
		if err != nil {
			return t, err
		}
		t.Stack, t.Project = p.Name, p
		return t, nil
	}
	stack, err := r.stack()
	t.Stack = stack
	return t, err
}

func (r *engineRun) ps(args []string) error {
	stack, err := r.stack()
	if err != nil {
		return err
	}
	st, err := r.eng.Status(r.ctx, stack, args)
	if err != nil {
		return err
	}
	if r.format == "json" {
		return printJSON(r.f.IO.Out, st)
	}
	_, err = fmt.Fprint(r.f.IO.Out, st.String())
	return err
}

func (r *engineRun) logs(args []string) error {
	t, err := r.target(args, args)
	if err != nil {
		return err
	}
	lines := 100
	if r.c.IsSet("lines") {
		lines = r.c.Int("lines")
	}
	return r.eng.Logs(r.ctx, t, r.c.Bool("follow"), lines, &lockedWriter{w: r.f.IO.Out})
}

// restart passes --batch-size and --interval to an engine that honours them, and says so when one does not.
func (r *engineRun) restart(args []string) error {
	batch, interval := r.c.Int("batch-size"), r.c.Int("interval")
	if batch < 1 || interval < 0 {
		return usageErrorf("--batch-size must be at least 1 and --interval not negative")
	}
	return r.onTarget(args, args, func(ctx context.Context, t engine.Target) (*engine.Outcome, error) {
		if b, ok := r.eng.(engine.BatchRestarter); ok {
			return b.RestartInBatches(ctx, t, int64(batch), msDuration(interval))
		}
		if r.c.IsSet("batch-size") || r.c.IsSet("interval") {
			r.em.Emit("restart", progress.Warning, "--batch-size and --interval have no meaning on --engine "+r.eng.Name()+"; ignored")
		}
		return r.eng.Restart(ctx, t)
	})
}

// pull pulls the images; where the engine can go on (an image present locally without a registry, say),
// a warning, not a failure.
func (r *engineRun) pull(args []string) error {
	p, err := r.project(args, engine.UpOptions{Services: args})
	if err != nil {
		return err
	}
	warns, err := r.eng.Pull(r.ctx, p, engine.PullOptions{Services: args, Cached: r.c.Bool("cached")})
	for _, w := range warns {
		r.em.Emit("pull", progress.Warning, w)
	}
	return err
}
