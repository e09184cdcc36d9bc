package cmd

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// engineConstructors are the engines behind engine.Engine, by --engine name. Each is given the run's
// options, its progress emitter and the locked stderr both share; it connects on first use.
var engineConstructors = map[string]func(f *Factory, g *GlobalOptions, o *runOptions, em progress.Emitter, errOut io.Writer) engine.Engine{}

// engineFree are the commands that never talk to an engine.
var engineFree = map[string]bool{"config": true, "convert": true, "healthprobe": true, "sim": true, "help": true}

// routeEngine makes a command run on the engine --engine names (default rancher): cmd only maps flags to
// options, picks the engine and renders.
func routeEngine(f *Factory, g *GlobalOptions, c *cli.Command) {
	if engineFree[c.Name] {
		return
	}
	c.Action = func(cc *cli.Context) error {
		if g.Engine == "" {
			g.Engine = "rancher"
		}
		if _, ok := engineConstructors[g.Engine]; !ok {
			return usageErrorf("--engine must be one of %s, got %q", strings.Join(engineNames(), ", "), g.Engine)
		}
		return runOnEngine(cc, f, g, c.Name)
	}
}

// engineNames are the --engine values: rancher (the default) first.
func engineNames() []string {
	var names []string
	for n := range engineConstructors {
		if n != "rancher" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return append([]string{"rancher"}, names...)
}

// engineRun is one command run on an engine.Engine.
type engineRun struct {
	f      *Factory
	g      *GlobalOptions
	c      *cli.Context
	run    runOptions
	format string
	ctx    context.Context
	// cancel ends the deadline: it bounds the command, not the logs up follows afterwards.
	cancel context.CancelFunc
	eng    engine.Engine
	em     progress.Emitter
}

// openEngine validates the shared flags, applies the deadline, sets up progress and builds the engine
// (which connects on first use, after everything offline was checked).
func openEngine(c *cli.Context, f *Factory, g *GlobalOptions) (*engineRun, context.CancelFunc, error) {
	r := &engineRun{f: f, g: g, c: c, run: runOptions{Timeout: c.String("timeout"), Progress: c.String("progress")}, format: c.String("format")}
	if c.Command.Name == "logs" {
		r.run.Timeout = "0"
	}
	if r.run.Progress == "" {
		r.run.Progress = string(progress.Auto)
	}
	if r.format == "" {
		r.format = "text"
	}
	if err := r.run.validateWithFormat(r.format); err != nil {
		return nil, nil, err
	}
	ctx, cancel := r.run.withDeadline(c.Context)
	r.ctx, r.cancel = ctx, cancel
	// One lock for stderr: the verbose HTTP log and the progress renderer write from many goroutines.
	errOut := &lockedWriter{w: f.IO.ErrOut}
	r.em = progress.Emitter{Sink: progress.NewRenderer(r.run.mode, errOut, f.IO.ErrTTY), Now: f.Now}
	r.eng = engineConstructors[g.Engine](f, g, &r.run, r.em, errOut)
	return r, func() { progress.Flush(r.em.Sink); cancel() }, nil
}

// project loads the files and checks them against the engine offline: what it cannot honour is warned
// about, or refused under --strict (exit 2), before any API call.
func (r *engineRun) project(args []string, o engine.UpOptions) (*compose.Project, error) {
	p, err := loadProjectFor(r.ctx, r.f, r.g, args)
	if err != nil {
		return nil, err
	}
	warns, err := r.eng.Check(p, o)
	if err != nil {
		return nil, err
	}
	var lines []string
	for _, w := range warns {
		fmt.Fprintf(r.f.IO.ErrOut, "warning: %s\n", w.Text)
		lines = append(lines, w.Text)
	}
	if r.g.Strict && len(lines) > 0 {
		return nil, usageErrorf("--strict: %d key(s) have no meaning on --engine %s:\n  %s", len(lines), r.eng.Name(), strings.Join(lines, "\n  "))
	}
	return p, nil
}

// stack is -p (or COMPOSE_PROJECT_NAME) without reading files, else the project's name.
func (r *engineRun) stack() (string, error) { return stackName(r.ctx, r.f, r.g) }

// print renders an outcome: the plan for a dry run, the result as JSON with --format json.
func (r *engineRun) print(out *engine.Outcome, dryRun bool) error {
	if out == nil {
		return nil
	}
	switch {
	case dryRun && out.Plan != nil && r.format == "json":
		return printJSON(r.f.IO.Out, out.Plan)
	case dryRun && out.Plan != nil:
		_, err := fmt.Fprint(r.f.IO.Out, out.Plan.String())
		return err
	case r.format == "json" && out.Result != nil:
		return printJSON(r.f.IO.Out, out.Result)
	}
	return nil
}

// notMeaningful refuses what has no meaning on the engine (exit 2).
func (r *engineRun) notMeaningful(what string) error {
	return usageErrorf("%s has no meaning with --engine %s", what, r.eng.Name())
}

func msDuration(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }
