package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// loadProject turns the global options into a loaded, validated compose.Project. Every command that
// reads the compose files (config and all deploy commands) calls it, so there is one parser and one
// model. Warnings (and infos) are printed to stderr; an invalid project is a *compose.ConfigError,
// which exits 2.
func loadProject(ctx context.Context, f *Factory, g *GlobalOptions) (*compose.Project, error) {
	return loadProjectFor(ctx, f, g, nil)
}

// loadProjectFor is loadProject for a command given service names: with profiles (--profile,
// COMPOSE_PROFILES), the services named are enabled with what they need, whatever their profiles.
func loadProjectFor(ctx context.Context, f *Factory, g *GlobalOptions, named []string) (*compose.Project, error) {
	wd, err := f.Getwd()
	if err != nil {
		return nil, fmt.Errorf("finding the working directory: %w", err)
	}
	opts := compose.Options{
		Files:        g.ComposeFiles(),
		RancherFile:  g.RancherFile,
		ProjectName:  g.ProjectName,
		EnvFile:      g.EnvFile,
		BindingsFile: g.BindingsFile,
		Strict:       g.Strict,
		WorkDir:      wd,
		Stdin:        f.IO.In,
		Environ:      f.Environ(),
	}
	p, err := compose.Load(ctx, opts)
	var cfgErr *compose.ConfigError
	switch {
	case errors.As(err, &cfgErr):
		printDiagnostics(f.IO.ErrOut, cfgErr.Warnings)
		return nil, err
	case err != nil:
		return nil, err
	}
	printDiagnostics(f.IO.ErrOut, p.Warnings)
	if err := p.ApplyProfiles(compose.ProfilesFrom(g.Profiles.Value()), named); err != nil {
		return nil, err
	}
	return p, nil
}

// printDiagnostics writes one "level: file:line:col: path: message" line per diagnostic.
func printDiagnostics(w io.Writer, list []compose.Diagnostic) {
	for _, d := range list {
		fmt.Fprintf(w, "%s: %s\n", d.Severity, d)
	}
}
