package cmd

import (
	"context"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
)

// serviceCommand is the common start of the commands that act on the selected services of the project
// (stop, rm, restart, pull, logs): once the flags are valid, load the project, select the services, then
// connect.
type serviceCommand struct {
	project   *compose.Project
	primaries []string
	session   *session
}

func openServiceCommand(ctx context.Context, f *Factory, g *GlobalOptions, o *runOptions, args []string) (*serviceCommand, error) {
	p, err := loadProjectFor(ctx, f, g, args)
	if err != nil {
		return nil, err
	}
	primaries, err := selectPrimaries(p, args)
	if err != nil {
		return nil, err
	}
	s, err := connect(ctx, f, g, o)
	if err != nil {
		return nil, err
	}
	return &serviceCommand{project: p, primaries: primaries, session: s}, nil
}

// onEachExisting is the start of stop, rm and restart: validate the flags, then, under the deadline, load
// the project, select the services, connect, and run the command on the selected services of the stack.
func onEachExisting(parent context.Context, f *Factory, g *GlobalOptions, o *runOptions, args []string,
	run func(ctx context.Context, s *session, stack string, services []string) error) error {
	if err := o.validate(); err != nil {
		return err
	}
	ctx, cancel := o.withDeadline(parent)
	defer cancel()
	sc, err := openServiceCommand(ctx, f, g, o, args)
	if err != nil {
		return err
	}
	return run(ctx, sc.session, sc.project.Name, sc.primaries)
}

// runDeployCommand is the flow create, start and up share once their flags are valid: load the project,
// select the services and convert them offline, then (under the deadline) connect, deploy and print the
// outcome; then, when set and all went well, runs then (up follows the logs).
func runDeployCommand(parent context.Context, f *Factory, g *GlobalOptions, o *runOptions, format string, args []string,
	req rancherengine.DeployRequest, then func(s *session, p *compose.Project, primaries []string) error) error {
	ctx, cancel := o.withDeadline(parent) // from the start: reading the files counts too
	defer cancel()
	p, err := loadProjectFor(ctx, f, g, args)
	if err != nil {
		return err
	}
	primaries, err := selectPrimaries(p, args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		primaries = p.WithDependsOn(primaries)
		req.Opts.Services = primaries
	}
	if err := rancherengine.Preflight(p, primaries); err != nil {
		return err
	}
	s, err := connect(ctx, f, g, o)
	if err != nil {
		return err
	}
	out, err := s.Deploy(ctx, p, primaries, req)
	if perr := printOutcome(f, format, req.DryRun, out); perr != nil && err == nil {
		err = perr
	}
	if err != nil || then == nil {
		return err
	}
	cancel() // the deadline bounds the deploy, not what follows it (up without -d follows the logs)
	return then(s, p, primaries)
}
