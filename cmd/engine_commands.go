package cmd

import (
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
			return r.notMeaningful("upgrade FROM TO (service-to-service upgrade)")
		}
		return r.onStack(c.Bool("dry-run"), func(stack string) (*engine.Outcome, error) { return r.eng.Confirm(r.ctx, stack, r.stackOptions(args)) })
	case "rollback":
		return r.onStack(c.Bool("dry-run"), func(stack string) (*engine.Outcome, error) { return r.eng.Rollback(r.ctx, stack, r.stackOptions(args)) })
	case "start":
		return r.onStack(false, func(stack string) (*engine.Outcome, error) { return r.eng.Start(r.ctx, stack, args) })
	case "stop":
		return r.onStack(false, func(stack string) (*engine.Outcome, error) { return r.eng.Stop(r.ctx, stack, args) })
	case "restart":
		return r.onStack(false, func(stack string) (*engine.Outcome, error) { return r.restart(stack, args) })
	case "rm":
		return r.onStack(false, func(stack string) (*engine.Outcome, error) { return r.eng.Remove(r.ctx, stack, args) })
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
		CreateOnly: name == "create", ForceUnlock: c.Bool("force-unlock"), RemoveOrphans: c.Bool("remove-orphans"), ShowSecrets: c.Bool("show-secrets")}
	if c.IsSet("batch-size") {
		eo.BatchSize = int64(o.BatchSize)
	}
	if c.IsSet("interval") {
		eo.Interval = msDuration(o.Interval)
	}
	p, err := r.project(args, eo)
	if err != nil {
		return err
	}
	if c.Bool("pull") && !eo.DryRun {
		if err := r.pullProject(p, args); err != nil {
			return err
		}
	}
	out, err := r.eng.Up(r.ctx, p, eo)
	if perr := r.print(out, eo.DryRun); perr != nil && err == nil {
		err = perr
	}
	if err != nil || eo.DryRun || name == "create" || c.Bool("d") {
		return err
	}
	return r.eng.Logs(c.Context, p.Name, args, true, 100, &lockedWriter{w: r.f.IO.Out})
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
	want := map[string]int64{}
	for _, t := range targets {
		want[t.name] = t.scale
	}
	return r.onStack(false, func(stack string) (*engine.Outcome, error) { return r.eng.Scale(r.ctx, stack, want) })
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
	stack, err := r.stack()
	if err != nil {
		return err
	}
	lines := 100
	if r.c.IsSet("lines") {
		lines = r.c.Int("lines")
	}
	return r.eng.Logs(r.ctx, stack, args, r.c.Bool("follow"), lines, &lockedWriter{w: r.f.IO.Out})
}

// restart passes --batch-size and --interval to an engine that honours them, and says so when one does not.
func (r *engineRun) restart(stack string, args []string) (*engine.Outcome, error) {
	batch, interval := r.c.Int("batch-size"), r.c.Int("interval")
	if batch < 1 || interval < 0 {
		return nil, usageErrorf("--batch-size must be at least 1 and --interval not negative")
	}
	if b, ok := r.eng.(batchRestarter); ok {
		return b.RestartInBatches(r.ctx, stack, args, int64(batch), msDuration(interval))
	}
	if r.c.IsSet("batch-size") || r.c.IsSet("interval") {
		r.em.Emit("restart", progress.Warning, "--batch-size and --interval have no meaning on --engine "+r.eng.Name()+"; ignored")
	}
	return r.eng.Restart(r.ctx, stack, args)
}

func (r *engineRun) pull(args []string) error {
	if r.c.Bool("cached") {
		r.em.Emit("pull", progress.Warning, "--cached has no meaning on --engine "+r.eng.Name()+": its daemon pulls (or finds locally) each image once; pulling as without it")
	}
	p, err := r.project(args, engine.UpOptions{Services: args})
	if err != nil {
		return err
	}
	return r.pullProject(p, args)
}

// pullProject pulls the images; with no registry an image present locally is a warning, not a failure.
func (r *engineRun) pullProject(p *compose.Project, args []string) error {
	warns, err := r.eng.Pull(r.ctx, p, args)
	for _, w := range warns {
		r.em.Emit("pull", progress.Warning, w)
	}
	return err
}
