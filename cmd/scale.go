package cmd

import (
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
