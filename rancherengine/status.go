package rancherengine

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// ServiceStatus is one service in `ps`.
type ServiceStatus struct {
	Name         string            `json:"name"`
	Kind         string            `json:"kind"`
	State        string            `json:"state"`
	Health       string            `json:"health,omitempty"`
	Scale        int64             `json:"scale"`
	CurrentScale int64             `json:"currentScale"`
	Image        string            `json:"image,omitempty"`
	Containers   []ContainerStatus `json:"containers"`
}

// ContainerStatus is one container of a service.
type ContainerStatus struct {
	Name   string `json:"name"`
	Host   string `json:"host,omitempty"`
	State  string `json:"state"`
	Health string `json:"health,omitempty"`
	Image  string `json:"image,omitempty"`
}

// StackStatus is what `ps` prints: the stack, its live deploy lock holder, its services.
type StackStatus struct {
	Stack    string          `json:"stack"`
	Exists   bool            `json:"exists"` // always true: `ps` of a missing stack fails with "no stack NAME"
	Lock     *lock.Holder    `json:"lock,omitempty"`
	Services []ServiceStatus `json:"services"`
}

// Status reads the stack named name for `ps`: only the named services, or all; a missing stack or service fails.
func (s *Session) Status(ctx context.Context, name string, only []string) (*StackStatus, error) {
	view := &StackStatus{Stack: name, Services: []ServiceStatus{}}
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

func (s *Session) psRow(ctx context.Context, svc *resources.Service, hosts map[string]string) (ServiceStatus, error) {
	row := ServiceStatus{Name: svc.Name, Kind: svc.Type, State: svc.State, Health: svc.HealthState,
		Scale: svc.Scale, CurrentScale: svc.CurrentScale, Containers: []ContainerStatus{}}
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
		row.Containers = append(row.Containers, ContainerStatus{Name: c.Name, Host: host, State: c.State,
			Health: c.HealthState, Image: strings.TrimPrefix(c.ImageUuid, "docker:")})
	}
	return row, nil
}

// hostNames maps host ids to their names (hostname when the host has no name).
func (s *Session) hostNames(ctx context.Context) (map[string]string, error) {
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

// String is the text of `ps`: the lock holder, then a table of services, each followed by its containers.
func (v *StackStatus) String() string {
	var w strings.Builder
	v.writeText(&w)
	return w.String()
}

func (v *StackStatus) writeText(w io.Writer) {
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
	_ = tw.Flush() // a strings.Builder does not fail
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
