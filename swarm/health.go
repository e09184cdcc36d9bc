package swarm

import (
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// ProbeMountPath is where the static probe binary is bind-mounted (read-only) inside containers. On a
// multi-node cluster the probe must exist at the same host path on every node that may run the service.
const ProbeMountPath = "/.rancher-compose-probe"

// probeWanted reports whether a rancher-compose health_check asks for a probe.
func probeWanted(s *compose.Service) bool {
	return s.Rancher != nil && s.Rancher.HealthCheck != nil && s.Rancher.HealthCheck.Port > 0
}

// healthcheck is the compose healthcheck as written, else the rancher-compose health_check turned into an
// exec-form probe run inside the container by the bind-mounted static probe (works in FROM scratch images).
func (m *mapper) healthcheck(s *compose.Service) *container.HealthConfig {
	if hc := s.Compose.Healthcheck; hc != nil {
		return m.composeHealthcheck(s, hc)
	}
	if !probeWanted(s) {
		return nil
	}
	h := s.Rancher.HealthCheck
	if m.o.ProbePath == "" {
		why := m.o.ProbeProblem
		if why == "" {
			why = "none is available"
		}
		m.problem(s.Name, "health_check", "needs a static probe binary to check port %d inside the containers: %s (see README: Deploy to Docker Swarm)", h.Port, why)
		return nil
	}
	m.noteHealthLosses(s.Name, h)
	test := append([]string{"CMD", ProbeMountPath}, m.o.ProbeArgs...)
	if h.RequestLine != "" {
		test = append(test, "http", strconv.FormatInt(h.Port, 10), h.RequestLine)
	} else {
		test = append(test, "tcp", strconv.FormatInt(h.Port, 10))
	}
	return &container.HealthConfig{
		Test:        test,
		Interval:    millis(h.Interval, 2000),
		Timeout:     millis(h.ResponseTimeout, 2000),
		Retries:     int(orDefault(h.UnhealthyThreshold, 3)),
		StartPeriod: millis(h.InitializingTimeout, 0),
	}
}

func (m *mapper) noteHealthLosses(svc string, h *compose.HealthCheck) {
	if h.HealthyThreshold > 1 {
		m.noteOnce("health_check.healthy_threshold", svc)
	}
	if h.Strategy != "" && h.Strategy != "recreate" {
		m.noteOnce("health_check.strategy", svc)
	}
	if h.ReinitializingTimeout > 0 {
		m.noteOnce("health_check.reinitializing_timeout", svc)
	}
}

func (m *mapper) composeHealthcheck(s *compose.Service, hc *compose.Healthcheck) *container.HealthConfig {
	if hc.Disable {
		return &container.HealthConfig{Test: []string{"NONE"}}
	}
	out := &container.HealthConfig{Test: hc.Test, Retries: int(hc.Retries)}
	if len(out.Test) > 0 && out.Test[0] != "CMD" && out.Test[0] != "CMD-SHELL" && out.Test[0] != "NONE" {
		out.Test = []string{"CMD-SHELL", strings.Join(hc.Test, " ")}
	}
	for key, f := range map[string]struct {
		text string
		dst  *time.Duration
	}{"interval": {hc.Interval, &out.Interval}, "timeout": {hc.Timeout, &out.Timeout}, "start_period": {hc.StartPeriod, &out.StartPeriod}} {
		if f.text == "" {
			continue
		}
		d, err := time.ParseDuration(f.text)
		if err != nil {
			m.problem(s.Name, "healthcheck."+key, "%q is not a duration", f.text)
			continue
		}
		*f.dst = d
	}
	return out
}

func isNoHealthcheck(test []string) bool { return len(test) == 0 || test[0] == "NONE" }

func millis(v, def int64) time.Duration {
	return time.Duration(orDefault(v, def)) * time.Millisecond
}

func orDefault(v, def int64) int64 {
	if v > 0 {
		return v
	}
	return def
}
