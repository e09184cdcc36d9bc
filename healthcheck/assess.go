package healthcheck

import (
	"fmt"
	"sort"
	"strings"
)

// Status is where a service stands on the way to healthy.
type Status string

// Statuses of a Verdict.
const (
	Pending Status = "pending"
	Healthy Status = "healthy"
	Failed  Status = "failed"
)

// Verdict is the result of one look at a service and its containers.
type Verdict struct {
	Status Status
	Reason string
	// Failing are the containers that failed or are not ready yet.
	Failing []Container
	// Ready counts the containers of the current launch configs that are ready, of Expected.
	Ready, Expected int64
}

var gone = map[string]bool{"removed": true, "removing": true, "purged": true, "purging": true}

// Assess applies the health rules of the package doc to one snapshot. It is pure.
func Assess(svc *Service, containers []Container) Verdict {
	v := assessContainers(svc, containers)
	switch svc.Transitioning {
	case "error":
		return Verdict{Status: Failed, Reason: nonEmpty(svc.TransitioningMessage, "transitioning error"), Failing: v.Failing, Ready: v.Ready, Expected: v.Expected}
	case "yes":
		return Verdict{Status: Pending, Reason: fmt.Sprintf("service is %s; %s", svc.State, v.Reason), Failing: v.Failing, Ready: v.Ready, Expected: v.Expected}
	}
	return v
}

func assessContainers(svc *Service, containers []Container) Verdict {
	configs := launchConfigs(svc)
	var ok int64
	var failing, failed []Container
	for _, c := range containers {
		lc, known := configs[launchConfigName(c)]
		if gone[c.State] || !known || (lc.version != "" && c.Version != "" && c.Version != lc.version) {
			continue
		}
		switch containerStatus(c, lc) {
		case Healthy:
			ok++
		case Failed:
			failed = append(failed, c)
		default:
			failing = append(failing, c)
		}
	}
	expected := expectedCount(svc, len(configs))
	if len(failed) > 0 {
		return Verdict{Status: Failed, Reason: describe(failed), Failing: append(failed, failing...), Ready: ok, Expected: expected}
	}
	if len(failing) > 0 || ok < expected {
		return Verdict{Status: Pending, Reason: fmt.Sprintf("%d of %d containers ready", ok, expected), Failing: failing, Ready: ok, Expected: expected}
	}
	return Verdict{Status: Healthy, Reason: fmt.Sprintf("%d containers ready", ok), Ready: ok, Expected: expected}
}

type lcInfo struct {
	version   string
	health    bool
	startOnce bool
}

func launchConfigs(svc *Service) map[string]lcInfo {
	out := map[string]lcInfo{PrimaryLaunchLabel: infoOf(svc.LaunchConfig)}
	for _, sk := range svc.SecondaryLaunchConfigs {
		out[fmt.Sprint(sk["name"])] = infoOf(sk)
	}
	return out
}

func infoOf(lc map[string]any) lcInfo {
	labels, _ := lc["labels"].(map[string]any)
	version, _ := lc["version"].(string)
	return lcInfo{
		version:   version,
		health:    lc["healthCheck"] != nil,
		startOnce: fmt.Sprint(labels[LabelStartOnce]) == "true",
	}
}

func launchConfigName(c Container) string {
	if name, ok := c.Labels[LabelLaunchConfig].(string); ok && name != "" {
		return name
	}
	return PrimaryLaunchLabel
}

func containerStatus(c Container, lc lcInfo) Status {
	switch {
	case c.State == "error" || c.Transitioning == "error":
		return Failed
	case lc.startOnce:
		return startOnceStatus(c)
	case c.State != "running":
		return Pending
	case c.HealthState == "unhealthy" || c.HealthState == "updating-unhealthy":
		return Failed
	case !lc.health:
		return Healthy
	case c.HealthState == "healthy" || c.HealthState == "updating-healthy":
		return Healthy
	}
	return Pending
}

// startOnceStatus: stopped with exit 0 is done, a non-zero exit failed. Without an exit code, a container
// stopped after starting counts as done, as Rancher's own "started-once" health does.
func startOnceStatus(c Container) Status {
	if c.State != "stopped" {
		return Pending
	}
	if c.Exit() != nil && *c.Exit() != 0 {
		return Failed
	}
	if c.Exit() == nil && c.StartCount < 1 {
		return Pending
	}
	return Healthy
}

func expectedCount(svc *Service, configs int) int64 {
	if labels, _ := svc.LaunchConfig["labels"].(map[string]any); fmt.Sprint(labels[labelGlobal]) == "true" {
		return 1
	}
	return svc.Scale * int64(configs)
}

func describe(failed []Container) string {
	parts := make([]string, 0, len(failed))
	for _, c := range failed {
		parts = append(parts, fmt.Sprintf("container %s %s", nonEmpty(c.Name, c.ID), containerProblem(c)))
	}
	sort.Strings(parts)
	return strings.Join(parts, "; ")
}

func containerProblem(c Container) string {
	switch {
	case c.Exit() != nil && *c.Exit() != 0:
		return fmt.Sprintf("exited with code %d", *c.Exit())
	case c.HealthState == "unhealthy" || c.HealthState == "updating-unhealthy":
		return "is unhealthy"
	case c.TransitioningMessage != "":
		return fmt.Sprintf("is in %s: %s", c.State, c.TransitioningMessage)
	}
	return "is in " + c.State
}

func nonEmpty(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
