package swarm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// noStatusGrace is how long waitUpdate waits for an UpdateStatus of ours before it accepts running tasks
// that already match the spec (a spec change Swarm applies without a rolling update shows no status).
const noStatusGrace = 5 * time.Second

// unhealthyLimit is how many tasks may end (fail their health check, exit, be rejected) since our change
// before the service is declared unhealthy: Swarm replaces such tasks for ever.
const unhealthyLimit = 2

// waitUpdate waits for Swarm's rolling update started by our own change (UpdateStatus.StartedAt ≥ ref):
// completed is success; paused or rolled back is a HealthError naming the failing task's last health output.
func (x *Executor) waitUpdate(ctx context.Context, name, id string, ref time.Time) error {
	began := x.now()
	last := ""
	for {
		svc, err := x.Client.Service(ctx, id)
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		if us := svc.UpdateStatus; us != nil && us.StartedAt != nil && !us.StartedAt.Before(ref) {
			if string(us.State) != last {
				last = string(us.State)
				x.Progress.Emit(name, progress.Working, "Swarm update "+last)
			}
			switch us.State {
			case swarmtypes.UpdateStateCompleted:
				return nil
			case swarmtypes.UpdateStatePaused, swarmtypes.UpdateStateRollbackPaused, swarmtypes.UpdateStateRollbackCompleted:
				return x.healthError(ctx, name, id, string(us.State)+": "+us.Message)
			}
		} else if x.now().Sub(began) > noStatusGrace {
			if ok, _ := x.tasksMatchSpec(ctx, svc); ok {
				return nil
			}
		}
		if err := x.sleep(ctx); err != nil {
			return x.stuck(ctx, name, id, err)
		}
	}
}

// waitConverged waits until every task Swarm wants running is running (healthy, when the image or the
// spec has a health check) and their count is the replica count.
func (x *Executor) waitConverged(ctx context.Context, name, id string, ref time.Time) error {
	said := map[string]bool{}
	for {
		svc, err := x.Client.Service(ctx, id)
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		tasks, err := x.Client.Tasks(ctx, id)
		if err != nil {
			return fmt.Errorf("listing the tasks of %s: %w", name, err)
		}
		if converged(svc, tasks) {
			return nil
		}
		for _, t := range tasks {
			if t.DesiredState == swarmtypes.TaskStateRunning && t.Status.State == swarmtypes.TaskStatePending && t.Status.Err != "" && !said[t.Status.Err] {
				said[t.Status.Err] = true // Swarm never fails a task it cannot place: say why it waits
				x.Progress.Emit(name, progress.Warning, "task pending: "+t.Status.Err)
			}
		}
		if failedHealth(tasks, ref) >= unhealthyLimit {
			return x.healthError(ctx, name, id, fmt.Sprintf("%d tasks failed or ended and were replaced", failedHealth(tasks, ref)))
		}
		if err := x.sleep(ctx); err != nil {
			return x.stuck(ctx, name, id, err)
		}
	}
}

func converged(svc swarmtypes.Service, tasks []swarmtypes.Task) bool {
	want := currentReplicas(svc)
	running := 0
	if newest := newestTask(tasks); runsOnce(svc) && newest != nil && newest.Status.State == swarmtypes.TaskStateComplete {
		return true // a job (restart: "no") that ran to its end is done (Swarm marks it desired shutdown)
	}
	for _, t := range tasks {
		if t.DesiredState != swarmtypes.TaskStateRunning {
			continue
		}
		if t.Status.State != swarmtypes.TaskStateRunning {
			return false
		}
		running++
	}
	if want < 0 {
		return running > 0
	}
	return int64(running) == want
}

// newestTask is the task Swarm created last, or nil.
func newestTask(tasks []swarmtypes.Task) *swarmtypes.Task {
	var out *swarmtypes.Task
	for i, t := range tasks {
		if out == nil || t.Meta.CreatedAt.After(out.Meta.CreatedAt) || t.Meta.CreatedAt.Equal(out.Meta.CreatedAt) && t.Status.Timestamp.After(out.Status.Timestamp) {
			out = &tasks[i]
		}
	}
	return out
}

// runsOnce reports whether Swarm never restarts the service's tasks (compose restart: "no").
func runsOnce(svc swarmtypes.Service) bool {
	rp := svc.Spec.TaskTemplate.RestartPolicy
	return rp != nil && rp.Condition == swarmtypes.RestartPolicyConditionNone
}

// failedHealth counts the tasks that ended since ref: Swarm kills a task whose health check fails (the
// process may then exit 0, so the task is "complete" rather than "failed") and starts another.
func failedHealth(tasks []swarmtypes.Task, ref time.Time) int {
	n := 0
	for _, t := range tasks {
		if !t.Status.Timestamp.Before(ref) && ended(t) {
			n++
		}
	}
	return n
}

// tasksMatchSpec reports whether every task Swarm wants running runs the service's current task spec.
func (x *Executor) tasksMatchSpec(ctx context.Context, svc swarmtypes.Service) (bool, error) {
	tasks, err := x.Client.Tasks(ctx, svc.ID)
	if err != nil {
		return false, err
	}
	if !converged(svc, tasks) {
		return false, nil
	}
	want, _ := json.Marshal(svc.Spec.TaskTemplate)
	for _, t := range tasks {
		if t.DesiredState != swarmtypes.TaskStateRunning {
			continue
		}
		got, _ := json.Marshal(t.Spec)
		if !bytes.Equal(got, want) {
			return false, nil
		}
	}
	return true, nil
}

// healthError builds a HealthError naming the task Swarm's message names (or the newest task that ended)
// and its container's last health-check output.
func (x *Executor) healthError(ctx context.Context, name, id, reason string) error {
	he := &HealthError{Service: name, Reason: reason}
	tasks, err := x.Client.Tasks(ctx, id)
	if err != nil {
		return he
	}
	sort.Slice(tasks, func(i, j int) bool { return tasks[i].Status.Timestamp.After(tasks[j].Status.Timestamp) })
	var culprit *swarmtypes.Task
	for i, t := range tasks {
		if strings.Contains(reason, t.ID) {
			culprit = &tasks[i]
			break
		}
		if culprit == nil && ended(t) {
			culprit = &tasks[i]
		}
	}
	if culprit == nil {
		return he
	}
	if culprit.Status.Err != "" {
		he.Reason += " (task " + shortID(culprit.ID) + ": " + culprit.Status.Err + ")"
	}
	if cs := culprit.Status.ContainerStatus; cs != nil && cs.ContainerID != "" {
		he.LastHealth = x.lastHealth(ctx, cs.ContainerID)
	}
	return he
}

// ended reports whether a task stopped by itself or was refused (not shut down by an update or a scale).
func ended(t swarmtypes.Task) bool {
	switch t.Status.State {
	case swarmtypes.TaskStateFailed, swarmtypes.TaskStateComplete, swarmtypes.TaskStateRejected:
		return true
	}
	return false
}

func (x *Executor) lastHealth(ctx context.Context, containerID string) string {
	h, err := x.Client.ContainerHealth(ctx, containerID)
	if err != nil || h == nil || len(h.Log) == 0 {
		return ""
	}
	l := h.Log[len(h.Log)-1]
	return fmt.Sprintf("exit %d: %s", l.ExitCode, strings.TrimSpace(l.Output))
}

// stuck turns a deadline or an interruption into an error naming the service and where its tasks are.
func (x *Executor) stuck(ctx context.Context, name, id string, cause error) error {
	detail := "no task information"
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if tasks, err := x.Client.Tasks(rctx, id); err == nil {
		detail = taskSummary(tasks)
	}
	if errors.Is(cause, context.DeadlineExceeded) {
		return fmt.Errorf("timed out waiting for %s (%s): %w", name, detail, cause)
	}
	return fmt.Errorf("interrupted while waiting for %s (%s): %w", name, detail, cause)
}

// taskSummary names the states of the tasks Swarm wants running, with their last message or error.
func taskSummary(tasks []swarmtypes.Task) string {
	var parts []string
	for _, t := range tasks {
		if t.DesiredState != swarmtypes.TaskStateRunning {
			continue
		}
		s := string(t.Status.State)
		if t.Status.Err != "" {
			s += ": " + t.Status.Err
		} else if t.Status.Message != "" && t.Status.Message != s {
			s += ": " + t.Status.Message
		}
		parts = append(parts, s)
	}
	if len(parts) == 0 {
		return "no task running"
	}
	sort.Strings(parts)
	return "tasks " + strings.Join(parts, ", ")
}

func shortID(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

// taskSpecEqual reports whether two task specs are the same once encoded (Swarm starts new tasks only when
// they differ).
func taskSpecEqual(a, b swarmtypes.TaskSpec) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}
