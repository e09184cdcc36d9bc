package swarm

import (
	"context"
	"fmt"
	"sort"

	swarmtypes "github.com/moby/moby/api/types/swarm"
)

// ServiceStatus is one service as `ps` shows it.
type ServiceStatus struct {
	Name     string `json:"name"`
	FullName string `json:"fullName"`
	Image    string `json:"image"`
	// Mode is "replicated" or "global"; Desired is -1 for global services.
	Mode    string `json:"mode"`
	Running int    `json:"running"`
	Desired int64  `json:"desired"`
	// Health sums the running tasks up: "healthy" (all running, which needs a passing health check when
	// there is one), "starting", "unhealthy" (tasks ended since the last change), or "stopped".
	Health string `json:"health"`
	// UpdateState is Swarm's rolling-update state (updating, completed, paused, ...), "" when none.
	UpdateState string `json:"updateState,omitempty"`
	// Record is our state: confirmed, or pending (an upgrade awaits confirm or rollback).
	Record string       `json:"record,omitempty"`
	Tasks  []TaskStatus `json:"tasks"`
}

// TaskStatus is one task Swarm wants running.
type TaskStatus struct {
	ID    string `json:"id"`
	Slot  int    `json:"slot,omitempty"`
	Node  string `json:"node"`
	State string `json:"state"`
	Image string `json:"image"`
	Error string `json:"error,omitempty"`
}

// Status reads every service of the stack (or the named ones) with its tasks and nodes.
func Status(ctx context.Context, c *Client, stack string, names []string) ([]ServiceStatus, error) {
	obs, err := Observe(ctx, c, stack)
	if err != nil {
		return nil, err
	}
	nodes := map[string]string{}
	if list, err := c.Nodes(ctx); err == nil {
		for _, n := range list {
			nodes[n.ID] = n.Description.Hostname
		}
	}
	want := selection(names)
	var out []ServiceStatus
	for name, svc := range obs.Services {
		if !want(name) {
			continue
		}
		tasks, err := c.Tasks(ctx, svc.ID)
		if err != nil {
			return nil, fmt.Errorf("listing the tasks of %s: %w", svc.Spec.Name, err)
		}
		out = append(out, statusOf(name, svc, tasks, nodes))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func statusOf(name string, svc swarmtypes.Service, tasks []swarmtypes.Task, nodes map[string]string) ServiceStatus {
	st := ServiceStatus{Name: name, FullName: svc.Spec.Name, Image: imageOf(svc.Spec), Mode: "replicated",
		Desired: currentReplicas(svc), Record: svc.Spec.Labels[LabelState], Tasks: []TaskStatus{}}
	if svc.Spec.Mode.Global != nil {
		st.Mode = "global"
	}
	if us := svc.UpdateStatus; us != nil {
		st.UpdateState = string(us.State)
	}
	for _, t := range tasks {
		if t.DesiredState != swarmtypes.TaskStateRunning {
			continue
		}
		if t.Status.State == swarmtypes.TaskStateRunning {
			st.Running++
		}
		node := nodes[t.NodeID]
		if node == "" {
			node = t.NodeID
		}
		st.Tasks = append(st.Tasks, TaskStatus{ID: shortID(t.ID), Slot: t.Slot, Node: node, State: string(t.Status.State),
			Image: imageOf(swarmtypes.ServiceSpec{TaskTemplate: t.Spec}), Error: t.Status.Err})
	}
	sort.Slice(st.Tasks, func(i, j int) bool { return st.Tasks[i].Slot < st.Tasks[j].Slot })
	st.Health = health(svc, tasks, st)
	return st
}

func health(svc swarmtypes.Service, tasks []swarmtypes.Task, st ServiceStatus) string {
	switch {
	case st.Desired == 0:
		return "stopped"
	case converged(svc, tasks):
		return "healthy"
	case failedHealth(tasks, svc.UpdatedAt) > 0:
		return "unhealthy"
	}
	return "starting"
}
