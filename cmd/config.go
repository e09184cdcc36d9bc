package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"
	"gopkg.in/yaml.v3"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/compose/vars"
)

func init() { registerCommand(newConfigCommand) }

// configOptions are the flags of `config`.
type configOptions struct {
	Format    string
	Services  bool
	Variables bool
	Quiet     bool
	// ShowSecrets prints environment values and secret variables' values as they are.
	ShowSecrets bool
}

func newConfigCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &configOptions{}
	return &cli.Command{
		Name:  "config",
		Usage: "Validate the project and print the merged, interpolated model (no API calls)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Value: "yaml", Usage: "output format: yaml or json", Destination: &o.Format},
			&cli.BoolFlag{Name: "services", Usage: "print the service names only, one a line", Destination: &o.Services},
			&cli.BoolFlag{Name: "variables", Usage: "print each variable, its value and where it came from", Destination: &o.Variables},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "validate only; print nothing", Destination: &o.Quiet},
			&cli.BoolFlag{Name: "show-secrets", Usage: "print secret-looking values as they are (masked by default)", Destination: &o.ShowSecrets},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("config takes no arguments, got %q", c.Args().First())
			}
			return runConfig(c, f, g, o)
		},
	}
}

func runConfig(c *cli.Context, f *Factory, g *GlobalOptions, o *configOptions) error {
	if o.Format != "yaml" && o.Format != "json" {
		return usageErrorf("--format must be yaml or json, got %q", o.Format)
	}
	p, err := loadProject(c.Context, f, g)
	if err != nil {
		return err
	}
	out := f.IO.Out
	switch {
	case o.Quiet:
		return nil
	case o.Services:
		return printServices(out, p, o.Format)
	case o.Variables:
		return printVariables(out, p, o.Format, o.ShowSecrets)
	}
	return printConfig(out, configDocument(p, o.ShowSecrets), o.Format)
}

// configView is what `config` prints: the model, with services keyed by name.
type configView struct {
	Name         string                     `json:"name" yaml:"name"`
	ComposeFiles []string                   `json:"compose_files" yaml:"compose_files"`
	RancherFile  string                     `json:"rancher_file,omitempty" yaml:"rancher_file,omitempty"`
	Services     map[string]configService   `json:"services" yaml:"services"`
	Volumes      map[string]*compose.Volume `json:"volumes,omitempty" yaml:"volumes,omitempty"`
	Networks     map[string]any             `json:"networks,omitempty" yaml:"networks,omitempty"`
	Catalog      *compose.Catalog           `json:"catalog,omitempty" yaml:"catalog,omitempty"`
}

type configService struct {
	Compose    compose.ServiceConfig  `json:"compose" yaml:"compose"`
	Rancher    *compose.RancherConfig `json:"rancher,omitempty" yaml:"rancher,omitempty"`
	Scale      int64                  `json:"scale" yaml:"scale"`
	Sidekicks  []string               `json:"sidekicks,omitempty" yaml:"sidekicks,omitempty"`
	SidekickOf string                 `json:"sidekick_of,omitempty" yaml:"sidekick_of,omitempty"`
}

// configDocument builds what config prints. Unless showSecrets, secret-looking environment and build-arg
// values are masked, and so is the value of a secret variable wherever it was interpolated (a label, a URL).
func configDocument(p *compose.Project, showSecrets bool) configView {
	v := configView{
		Name: p.Name, ComposeFiles: p.ComposeFiles, RancherFile: p.RancherFile,
		Services: map[string]configService{}, Volumes: p.Volumes, Networks: p.Networks, Catalog: p.Catalog,
	}
	for _, s := range p.Services {
		c := s.Compose
		if showSecrets {
			v.Services[s.Name] = configService{
				Compose: c, Rancher: s.Rancher, Scale: s.Scale(), Sidekicks: s.Sidekicks, SidekickOf: s.SidekickOf,
			}
			continue
		}
		c.Environment = maskSecrets(c.Environment)
		c.Labels = maskSecrets(c.Labels)
		if c.Build != nil {
			b := *c.Build
			b.Args = maskSecrets(b.Args)
			c.Build = &b
		}
		v.Services[s.Name] = configService{
			Compose: c, Rancher: s.Rancher, Scale: s.Scale(), Sidekicks: s.Sidekicks, SidekickOf: s.SidekickOf,
		}
	}
	if !showSecrets {
		vars.MaskValues(&v.Services, p.SecretValues())
	}
	return v
}

// maskSecrets copies m with the values of secret-looking keys (DB_PASSWORD, API_TOKEN...) masked.
func maskSecrets(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = vars.Display(k, v)
	}
	return out
}

func printConfig(w io.Writer, doc any, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return fmt.Errorf("encoding the model as JSON: %w", err)
		}
		return nil
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encoding the model as YAML: %w", err)
	}
	return enc.Close()
}

func printServices(w io.Writer, p *compose.Project, format string) error {
	names := p.ServiceNames()
	if format == "json" {
		return printConfig(w, names, format)
	}
	for _, n := range names {
		fmt.Fprintln(w, n)
	}
	return nil
}

// printedVariable is one row of `config --variables`; secret-looking values are masked.
type printedVariable struct {
	Name   string   `json:"name"`
	Value  string   `json:"value"`
	Source string   `json:"source"`
	Uses   []string `json:"uses"`
}

func printVariables(w io.Writer, p *compose.Project, format string, showSecrets bool) error {
	rows := make([]printedVariable, 0, len(p.Variables))
	for _, v := range p.Variables {
		r := printedVariable{Name: v.Name, Value: vars.Display(v.Name, v.Value), Source: v.Source}
		if showSecrets {
			r.Value = v.Value
		}
		for _, u := range v.Uses {
			r.Uses = append(r.Uses, u.String())
		}
		rows = append(rows, r)
	}
	if format == "json" {
		return printConfig(w, rows, format)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVALUE\tSOURCE\tUSED AT")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Name, quoteIfNeeded(r.Value), r.Source, strings.Join(r.Uses, ", "))
	}
	return tw.Flush()
}

func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\"") {
		return fmt.Sprintf("%q", s)
	}
	return s
}
