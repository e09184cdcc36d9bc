package cmd

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/swarm"
	"github.com/rancher-compose-ng/rancher-compose/swarm/probe"
)

// EnvSwarmProbe names the static probe binary the swarm engine bind-mounts into containers whose
// rancher-compose health_check it turns into a container health check (default: this binary, when static).
const EnvSwarmProbe = "RANCHER_COMPOSE_SWARM_PROBE"

// engineFree are the commands that never talk to an engine.
var engineFree = map[string]bool{"config": true, "convert": true, "healthprobe": true, "sim": true, "help": true}

// routeEngine makes a command run on the engine --engine names: its own action for rancher, the swarm
// implementation for swarm. cmd only maps flags to options, picks the engine and renders.
func routeEngine(f *Factory, g *GlobalOptions, c *cli.Command) {
	if engineFree[c.Name] {
		return
	}
	rancherAction := c.Action
	c.Action = func(cc *cli.Context) error {
		switch g.Engine {
		case "", "rancher":
			return rancherAction(cc)
		case "swarm":
			return runOnSwarm(cc, f, g, c.Name)
		}
		return usageErrorf("--engine must be one of %s, got %q", strings.Join(engine.Names, ", "), g.Engine)
	}
}

// swarmRun is one command run on the swarm engine.
type swarmRun struct {
	f      *Factory
	g      *GlobalOptions
	c      *cli.Context
	run    runOptions
	format string
	ctx    context.Context
	eng    *swarm.Engine
	em     progress.Emitter
}

// openSwarm validates the shared flags, applies the deadline and sets up progress; connect comes later,
// after everything offline was checked.
func openSwarm(c *cli.Context, f *Factory, g *GlobalOptions) (*swarmRun, context.CancelFunc, error) {
	r := &swarmRun{f: f, g: g, c: c, run: runOptions{Timeout: c.String("timeout"), Progress: c.String("progress")}, format: c.String("format")}
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
	r.ctx = ctx
	r.em = progress.Emitter{Sink: progress.NewRenderer(r.run.mode, &lockedWriter{w: f.IO.ErrOut}, f.IO.ErrTTY), Now: f.Now}
	return r, cancel, nil
}

// connect opens the Docker daemon (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH) and builds the engine.
func (r *swarmRun) connect() error {
	getenv := func(k string) string { v, _ := r.f.LookupEnv(k); return v }
	client, err := swarm.Connect(r.ctx, swarm.EndpointFromEnv(getenv))
	if err != nil {
		return err
	}
	if err := client.RequireManager(r.ctx); err != nil {
		return err
	}
	r.eng.Client = client
	return nil
}

// newEngine builds the engine with the probe and clock; Client is set by connect.
func (r *swarmRun) newEngine() {
	m := swarm.MapOptions{ProbeArgs: []string{"healthprobe"}}
	m.ProbePath, m.ProbeProblem = probePath(r.f)
	poll := pollMin(r.f)
	r.eng = &swarm.Engine{Progress: r.em, Map: m, Poll: poll, LockOwner: (&session{f: r.f}).lockOwner(), LockTTL: r.g.lockTTL, Now: r.f.Now}
}

// probePath is $RANCHER_COMPOSE_SWARM_PROBE, else this binary; it must be static to run in any image.
func probePath(f *Factory) (string, string) {
	path, _ := f.LookupEnv(EnvSwarmProbe)
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", err.Error()
		}
		path = exe
	}
	if err := probe.CheckStatic(path); err != nil {
		return "", err.Error() + "; or set " + EnvSwarmProbe + " to a static binary that answers `healthprobe http|tcp ...`"
	}
	return path, ""
}

// project loads the files and checks them against the engine offline: what Swarm cannot honour is warned
// about, or refused under --strict (exit 2), before any API call.
func (r *swarmRun) project(args []string, o engine.UpOptions) (*compose.Project, error) {
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
		return nil, usageErrorf("--strict: %d key(s) have no meaning on --engine swarm:\n  %s", len(lines), strings.Join(lines, "\n  "))
	}
	return p, nil
}

// stack is -p (or COMPOSE_PROJECT_NAME) without reading files, else the project's name.
func (r *swarmRun) stack() (string, error) { return stackName(r.ctx, r.f, r.g) }

// print renders an outcome: the plan for a dry run, the result as JSON with --format json.
func (r *swarmRun) print(out *engine.Outcome, dryRun bool) error {
	if out == nil {
		return nil
	}
	switch {
	case dryRun && r.format == "json":
		return printJSON(r.f.IO.Out, out.Plan)
	case dryRun:
		_, err := fmt.Fprint(r.f.IO.Out, out.Plan.String())
		return err
	case r.format == "json" && out.Result != nil:
		return printJSON(r.f.IO.Out, out.Result)
	}
	return nil
}

// notMeaningful refuses what has no meaning on swarm (exit 2).
func notMeaningful(what string) error {
	return usageErrorf("%s has no meaning with --engine swarm", what)
}

func msDuration(ms int) time.Duration { return time.Duration(ms) * time.Millisecond }
