package cmd

import (
	"context"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

func init() { registerCommand(newScaleCommand) }

// scaleOptions are the flags of `scale`.
type scaleOptions struct {
	run         runOptions
	ForceUnlock bool
}

func newScaleCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &scaleOptions{}
	return &cli.Command{
		Name:      "scale",
		Usage:     "Scale services",
		ArgsUsage: "SERVICE=NUM...",
		Flags:     append([]cli.Flag{lockFlag(&o.ForceUnlock)}, runFlags(&o.run, true)...),
		Action:    func(c *cli.Context) error { return runScale(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// scaleTarget is one SERVICE=NUM argument.
type scaleTarget struct {
	name  string
	scale int64
}

func parseScaleArgs(args []string) ([]scaleTarget, error) {
	if len(args) == 0 {
		return nil, usageErrorf("scale needs at least one SERVICE=NUM argument")
	}
	var out []scaleTarget
	for _, a := range args {
		name, num, ok := strings.Cut(a, "=")
		n, err := strconv.ParseInt(num, 10, 64)
		if !ok || name == "" || err != nil {
			return nil, usageErrorf("Invalid scale parameter: %s (want SERVICE=NUM)", a)
		}
		if msg := compose.ScaleProblem(n); msg != "" {
			return nil, usageErrorf("Invalid scale parameter: %s: %s", a, msg)
		}
		out = append(out, scaleTarget{name: name, scale: n})
	}
	return out, nil
}

// runScale sets each service's scale, one after the other as the original did. Unlike the original (which
// exited 0 on failure), a failure exits non-zero.
func runScale(parent context.Context, f *Factory, g *GlobalOptions, o *scaleOptions, args []string) error {
	targets, err := parseScaleArgs(args)
	if err != nil {
		return err
	}
	if err := o.run.validate(); err != nil {
		return err
	}
	ctx, cancel := o.run.withDeadline(parent)
	defer cancel()
	named := make([]string, len(targets))
	for i, t := range targets {
		named[i] = t.name
	}
	p, err := loadProjectFor(ctx, f, g, named)
	if err != nil {
		return err
	}
	want := map[string]int64{}
	var names []string
	for _, t := range targets {
		svc := p.Service(t.name)
		if svc == nil || svc.IsSidekick() {
			return usageErrorf("%s is not defined in the template", t.name)
		}
		if _, dup := want[t.name]; !dup {
			names = append(names, t.name)
		}
		want[t.name] = t.scale
	}
	s, err := connect(ctx, f, g, &o.run)
	if err != nil {
		return err
	}
	return s.Scale(ctx, p.Name, names, want, o.ForceUnlock)
}
