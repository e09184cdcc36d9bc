package healthcheck

import (
	"context"
	"fmt"
	"strings"
)

// Diagnosis is what is known about a service that failed or got stuck.
type Diagnosis struct {
	Service              string               `json:"service"`
	State                string               `json:"state"`
	HealthState          string               `json:"healthState,omitempty"`
	TransitioningMessage string               `json:"transitioningMessage,omitempty"`
	Containers           []ContainerDiagnosis `json:"containers,omitempty"`
	// Problems are reads that failed while diagnosing.
	Problems []string `json:"problems,omitempty"`
}

// ContainerDiagnosis describes one failing container.
type ContainerDiagnosis struct {
	Name                 string   `json:"name"`
	ID                   string   `json:"id,omitempty"`
	State                string   `json:"state"`
	HealthState          string   `json:"healthState,omitempty"`
	ExitCode             *int64   `json:"exitCode,omitempty"`
	TransitioningMessage string   `json:"transitioningMessage,omitempty"`
	Logs                 []string `json:"logs,omitempty"`
}

// Diagnose reads the service, its failing containers and their last log lines. It never fails: what it
// cannot read is listed in Problems.
func (w *Waiter) Diagnose(ctx context.Context, id string) *Diagnosis {
	d := &Diagnosis{Service: id}
	svc, err := w.Reader.Service(ctx, id)
	if err != nil {
		d.Problems = append(d.Problems, fmt.Sprintf("reading service: %v", err))
		return d
	}
	d.Service, d.State, d.HealthState, d.TransitioningMessage = svc.Name, svc.State, svc.HealthState, svc.TransitioningMessage
	containers, err := w.Reader.Containers(ctx, id)
	if err != nil {
		d.Problems = append(d.Problems, fmt.Sprintf("listing containers: %v", err))
		return d
	}
	for _, c := range Assess(svc, containers).Failing {
		d.Containers = append(d.Containers, w.containerDiagnosis(ctx, c, d))
	}
	return d
}

func (w *Waiter) containerDiagnosis(ctx context.Context, c Container, d *Diagnosis) ContainerDiagnosis {
	cd := ContainerDiagnosis{Name: nonEmpty(c.Name, c.ID), ID: c.ID, State: c.State, HealthState: c.HealthState, ExitCode: c.Exit(), TransitioningMessage: c.TransitioningMessage}
	if w.Logs == nil {
		return cd
	}
	lines := w.LogLines
	if lines <= 0 {
		lines = 20
	}
	logs, err := w.Logs.Logs(ctx, c.ID, lines)
	if err != nil {
		d.Problems = append(d.Problems, fmt.Sprintf("reading logs of %s: %v", cd.Name, err))
	}
	if len(logs) > lines {
		logs = logs[len(logs)-lines:]
	}
	cd.Logs = logs
	return cd
}

// String renders the diagnosis for a terminal or a CI log, one fact per line.
func (d *Diagnosis) String() string {
	if d == nil {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "service %s: state %s", d.Service, nonEmpty(d.State, "unknown"))
	if d.HealthState != "" {
		fmt.Fprintf(&b, ", health %s", d.HealthState)
	}
	if d.TransitioningMessage != "" {
		fmt.Fprintf(&b, ": %s", d.TransitioningMessage)
	}
	b.WriteString("\n")
	for _, c := range d.Containers {
		fmt.Fprintf(&b, "  container %s", c.Name)
		if c.ID != "" && c.ID != c.Name {
			// After an in-service upgrade the old and the new container share a name; the id tells them apart.
			fmt.Fprintf(&b, " (%s)", c.ID)
		}
		fmt.Fprintf(&b, ": %s", c.State)
		if c.HealthState != "" {
			fmt.Fprintf(&b, ", health %s", c.HealthState)
		}
		if c.ExitCode != nil {
			fmt.Fprintf(&b, ", exit code %d", *c.ExitCode)
		}
		if c.TransitioningMessage != "" {
			fmt.Fprintf(&b, ": %s", c.TransitioningMessage)
		}
		b.WriteString("\n")
		for _, l := range c.Logs {
			fmt.Fprintf(&b, "    | %s\n", l)
		}
	}
	for _, p := range d.Problems {
		fmt.Fprintf(&b, "  (%s)\n", p)
	}
	return b.String()
}
