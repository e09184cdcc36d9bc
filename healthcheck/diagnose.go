package healthcheck

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
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

// DiagnoseBudget bounds a diagnosis made after a wait failed or ran out of time: it reads the service,
// its containers and their log tails (in parallel) with this much time at most, so that a run that hit
// its deadline still ends within the few seconds of grace it has for cleaning up.
const DiagnoseBudget = 2 * time.Second

// DiagnoseContext is the context a diagnosis reads with: not cancelled with ctx (whose deadline may be what
// ended the wait), and ending DiagnoseBudget after ctx's deadline when that comes first, else DiagnoseBudget
// from now. Anchored to the run's deadline, the diagnoses made after a timeout (a wait's, then the run's
// for the services still under way) share one budget and leave the rest of the grace to rollbacks.
func DiagnoseContext(ctx context.Context) (context.Context, context.CancelFunc) {
	end := time.Now().Add(DiagnoseBudget)
	if dl, ok := ctx.Deadline(); ok && dl.Add(DiagnoseBudget).Before(end) {
		end = dl.Add(DiagnoseBudget)
	}
	return context.WithDeadline(context.WithoutCancel(ctx), end)
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
	failing := Assess(svc, containers).Failing
	d.Containers = make([]ContainerDiagnosis, len(failing))
	problems := make([]string, len(failing))
	var wg sync.WaitGroup
	for i, c := range failing {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d.Containers[i], problems[i] = w.containerDiagnosis(ctx, c)
		}()
	}
	wg.Wait()
	for _, p := range problems {
		if p != "" {
			d.Problems = append(d.Problems, p)
		}
	}
	return d
}

// containerDiagnosis describes one failing container with its log tail; the second result is a problem
// met reading the log.
func (w *Waiter) containerDiagnosis(ctx context.Context, c Container) (ContainerDiagnosis, string) {
	cd := ContainerDiagnosis{Name: nonEmpty(c.Name, c.ID), ID: c.ID, State: c.State, HealthState: c.HealthState, ExitCode: c.Exit(), TransitioningMessage: c.TransitioningMessage}
	if w.Logs == nil {
		return cd, ""
	}
	lines := w.LogLines
	if lines <= 0 {
		lines = 20
	}
	logs, err := w.Logs.Logs(ctx, c.ID, lines)
	problem := ""
	if err != nil {
		problem = fmt.Sprintf("reading logs of %s: %v", cd.Name, err)
	}
	if len(logs) > lines {
		logs = logs[len(logs)-lines:]
	}
	cd.Logs = logs
	return cd, problem
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
