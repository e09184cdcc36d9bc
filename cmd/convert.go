package cmd

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/kube"
)

func init() { registerCommand(newConvertCommand) }

// convertOptions are the flags of `convert`.
type convertOptions struct {
	To             string
	Out            string
	IncludeSecrets bool
}

func newConvertCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &convertOptions{}
	return &cli.Command{
		Name:  "convert",
		Usage: "Convert the project into Kubernetes manifests (no API calls): multi-document YAML on stdout, or one file per object with --out",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "to", Usage: "target platform: kubernetes (the only one)", Destination: &o.To},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "write one file per object into `DIR` instead of stdout", Destination: &o.Out},
			&cli.BoolFlag{Name: "include-secrets", Usage: "emit the Secret holding secret-looking environment values (they are printed)", Destination: &o.IncludeSecrets},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("convert takes no arguments, got %q", c.Args().First())
			}
			return runConvert(c, f, g, o)
		},
	}
}

func runConvert(c *cli.Context, f *Factory, g *GlobalOptions, o *convertOptions) error {
	if o.To != "kubernetes" && o.To != "k8s" {
		return usageErrorf("--to must be kubernetes, got %q", o.To)
	}
	p, err := loadProject(c.Context, f, g)
	if err != nil {
		return err
	}
	res, err := kube.Convert(p, kube.Options{IncludeSecrets: o.IncludeSecrets})
	if err != nil {
		return err
	}
	if err := errors.Join(res.Validate(), res.CheckReferences()); err != nil {
		return fmt.Errorf("the converted manifests do not validate (a bug: please report it): %w", err)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(f.IO.ErrOut, "%s: %s\n", n.Level, n)
	}
	if d := res.Dropped(); d > 0 && g.Strict {
		return usageErrorf("%d keys cannot be carried over to Kubernetes (--strict); nothing was written", d)
	}
	if o.Out != "" {
		written, removed, err := res.WriteDir(o.Out)
		if err != nil {
			return err
		}
		for _, name := range removed {
			fmt.Fprintf(f.IO.ErrOut, "removed %s (left by an earlier conversion)\n", name)
		}
		fmt.Fprintf(f.IO.ErrOut, "wrote %d files to %s (namespace %s, %d keys not carried over)\n", len(written), o.Out, res.Namespace, res.Dropped())
		return nil
	}
	out, err := res.YAML()
	if err != nil {
		return err
	}
	if _, err := f.IO.Out.Write(out); err != nil {
		return fmt.Errorf("writing the manifests: %w", err)
	}
	fmt.Fprintf(f.IO.ErrOut, "converted to %d objects (namespace %s, %d keys not carried over)\n", len(res.Objects), res.Namespace, res.Dropped())
	return nil
}
