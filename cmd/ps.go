package cmd

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

func init() { registerCommand(newPsCommand) }

// psOptions are the flags of `ps` (new: the original had no way to see what runs).
type psOptions struct {
	run    runOptions
	Format string
}

func newPsCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &psOptions{}
	return &cli.Command{
		Name:      "ps",
		Usage:     "List the stack's services: state, health, scale, image and containers (works without compose files when -p is given)",
		ArgsUsage: "[SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.StringFlag{Name: "format", Value: "text", Usage: "output format: text or json", Destination: &o.Format},
		}, runFlags(&o.run, true)...),
		Action: func(c *cli.Context) error { return runPs(c.Context, f, g, o, c.Args().Slice()) },
	}
}

// psService is one row of `ps`.
type psService struct {
	Name         string        `json:"name"`
	Kind         string        `json:"kind"`
	State        string        `json:"state"`
	Health       string        `json:"health,omitempty"`
	Scale        int64         `json:"scale"`
	CurrentScale int64         `json:"currentScale"`
	Image        string        `json:"image,omitempty"`
	Containers   []psContainer `json:"containers"`
}

// psContainer is one container of a service.
type psContainer struct {
	Name   string `json:"name"`
	Host   string `json:"host,omitempty"`
	State  string `json:"state"`
	Health string `json:"health,omitempty"`
	Image  string `json:"image,omitempty"`
}

// psView is what `ps` prints.
type psView struct {
	Stack    string       `json:"stack"`
	Exists   bool         `json:"exists"` // always true: `ps` of a missing stack fails with "no stack NAME"
	Lock     *lock.Holder `json:"lock,omitempty"`
	Services []psService  `json:"services"`
}

// stackName is -p (or COMPOSE_PROJECT_NAME) sanitised, without reading any file; otherwise the project's name.
func stackName(ctx context.Context, f *Factory, g *GlobalOptions) (string, error) {
	if g.ProjectName != "" {
		return compose.SanitizeProjectName(g.ProjectName), nil
	}
	p, err := loadProject(ctx, f, g)
	if err != nil {
		return "", err
	}
	return p.Name, nil
}

func runPs(parent context.Context, f *Factory, g *GlobalOptions, o *psOptions, args []string) error {
	return onStack(parent, f, g, &o.run, o.Format, func(ctx context.Context, s *session, name string) error {
		view, err := s.psView(ctx, name, args)
		if err != nil {
			return err
		}
		if o.Format == "json" {
			return printJSON(f.IO.Out, view)
		}
		return printPs(f.IO.Out, view)
	})
}

// onStack is the start of the commands that work from the live stack alone (ps, rollback, upgrade
// --confirm): validate the flags and --format, then, under the deadline, name the stack (no compose file is
// read when -p is given), connect, and run fn.
func onStack(parent context.Context, f *Factory, g *GlobalOptions, o *runOptions, format string,
	fn func(ctx context.Context, s *session, name string) error) error {
	if err := o.validateWithFormat(format); err != nil {
		return err
	}
	ctx, cancel := o.withDeadline(parent)
	defer cancel()
	name, err := stackName(ctx, f, g)
	if err != nil {
		return err
	}
	s, err := connect(ctx, f, g, o)
	if err != nil {
		return err
	}
	return fn(ctx, s, name)
}

func (s *session) psView(ctx context.Context, name string, only []string) (*psView, error) {
	view := &psView{Stack: name, Services: []psService{}}
	st, err := s.FindStack(ctx, name)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, fmt.Errorf("no stack %s", name)
	}
	view.Exists, view.Stack = true, st.Name
	if h, err := lock.Peek(ctx, s.API, st.Id); err == nil && h != nil {
		view.Lock = h
	}
	live, err := s.StackServices(ctx, st)
	if err != nil {
		return nil, err
	}
	for _, n := range only {
		if live[n] == nil {
			return nil, fmt.Errorf("no service %s in stack %s", n, st.Name)
		}
	}
	hosts, err := s.hostNames(ctx)
	if err != nil {
		return nil, err
	}
	names := only
	if len(names) == 0 {
		for n := range live {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		row, err := s.psRow(ctx, live[n], hosts)
		if err != nil {
			return nil, err
		}
		view.Services = append(view.Services, row)
	}
	return view, nil
}

func (s *session) psRow(ctx context.Context, svc *resources.Service, hosts map[string]string) (psService, error) {
	row := psService{Name: svc.Name, Kind: svc.Type, State: svc.State, Health: svc.HealthState,
		Scale: svc.Scale, CurrentScale: svc.CurrentScale, Containers: []psContainer{}}
	if svc.LaunchConfig != nil {
		row.Image = strings.TrimPrefix(svc.LaunchConfig.ImageUuid, "docker:")
	}
	if _, ok := svc.Links["instances"]; !ok {
		return row, nil
	}
	containers, err := rancher.ListLink[resources.Container](ctx, s.Client, svc, "instances", nil)
	if err != nil {
		return row, fmt.Errorf("listing the containers of %s: %w", svc.Name, err)
	}
	for _, c := range containers {
		host := hosts[c.HostId]
		if host == "" {
			host = c.HostId
		}
		row.Containers = append(row.Containers, psContainer{Name: c.Name, Host: host, State: c.State,
			Health: c.HealthState, Image: strings.TrimPrefix(c.ImageUuid, "docker:")})
	}
	return row, nil
}

// hostNames maps host ids to their names (hostname when the host has no name).
func (s *session) hostNames(ctx context.Context) (map[string]string, error) {
	list, err := s.Client.Hosts().List(ctx, rancher.Filters{}.NotRemoved())
	if err != nil {
		return nil, fmt.Errorf("listing hosts: %w", err)
	}
	out := map[string]string{}
	for _, h := range list {
		out[h.Id] = h.Name
		if h.Name == "" {
			out[h.Id] = h.Hostname
		}
	}
	return out, nil
}

func printPs(w io.Writer, v *psView) error {
	if v.Lock != nil {
		fmt.Fprintf(w, "deploy lock held by %s until %s\n", v.Lock.Owner, v.Lock.Expires.UTC().Format("2006-01-02T15:04:05Z"))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERVICE\tKIND\tSTATE\tHEALTH\tSCALE\tIMAGE")
	for _, s := range v.Services {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d/%d\t%s\n", s.Name, s.Kind, s.State, dash(s.Health), s.CurrentScale, s.Scale, dash(s.Image))
		for _, c := range s.Containers {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t\t%s\n", c.Name, dash(c.Host), c.State, dash(c.Health), dash(c.Image))
		}
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
