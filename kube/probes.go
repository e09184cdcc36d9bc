package kube

import (
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// probes turns Rancher's health_check into a readinessProbe (traffic only to healthy containers), a
// livenessProbe when Rancher's strategy would recreate an unhealthy container, and a startupProbe for
// initializing_timeout; a compose `healthcheck:` becomes an exec readinessProbe when there is no
// health_check.
func (pb *podBuilder) probes(s *compose.Service) (readiness, liveness, startup *corev1.Probe) {
	var hc *compose.HealthCheck
	if s.Rancher != nil {
		hc = s.Rancher.HealthCheck
	}
	if hc == nil {
		return pb.composeHealthcheck(s), nil, nil
	}
	pb.c.use(s, "rancher.health_check")
	if s.Compose.Healthcheck != nil {
		pb.c.notes.add(Dropped, s.Key("healthcheck"), "the Rancher health_check is used; a container has one readiness probe")
		pb.c.use(s, "healthcheck")
	}
	handler, ok := pb.rancherHandler(s, hc)
	if !ok {
		return nil, nil, nil
	}
	period := seconds(hc.Interval, 2)
	base := corev1.Probe{ProbeHandler: handler, PeriodSeconds: period, TimeoutSeconds: seconds(hc.ResponseTimeout, 2),
		FailureThreshold: atLeastOne(hc.UnhealthyThreshold, 3)}
	r := base
	r.SuccessThreshold = atLeastOne(hc.HealthyThreshold, 2)
	readiness = &r
	switch hc.Strategy {
	case "none":
		return readiness, nil, nil
	case "recreateOnQuorum":
		pb.c.notes.add(Warning, s.Key("rancher", "health_check", "strategy"), "recreateOnQuorum becomes a livenessProbe: Kubernetes restarts an unhealthy container whatever the quorum")
	}
	l := base
	l.SuccessThreshold = 1
	liveness = &l
	if hc.InitializingTimeout > 0 {
		st := base
		st.SuccessThreshold = 1
		st.FailureThreshold = max(1, int32((hc.InitializingTimeout+int64(period)*1000-1)/(int64(period)*1000)))
		startup = &st
	}
	if hc.ReinitializingTimeout > 0 {
		pb.c.notes.add(Dropped, s.Key("rancher", "health_check", "reinitializing_timeout"), "Kubernetes has no grace period after a container turns unhealthy")
	}
	return readiness, liveness, startup
}

// rancherHandler is an httpGet probe from request_line ("GET /path HTTP/1.0\r\nHost: x"), else tcpSocket.
func (pb *podBuilder) rancherHandler(s *compose.Service, hc *compose.HealthCheck) (corev1.ProbeHandler, bool) {
	if hc.Port <= 0 || hc.Port > 65535 {
		pb.c.notes.add(Dropped, s.Key("rancher", "health_check"), "a health check without a port cannot become a probe")
		return corev1.ProbeHandler{}, false
	}
	port := intstr.FromInt32(int32(hc.Port))
	if strings.TrimSpace(hc.RequestLine) == "" {
		return corev1.ProbeHandler{TCPSocket: &corev1.TCPSocketAction{Port: port}}, true
	}
	lines := strings.Split(strings.ReplaceAll(hc.RequestLine, "\r\n", "\n"), "\n")
	fields := strings.Fields(lines[0])
	path := "/"
	if len(fields) >= 2 {
		path = fields[1]
	}
	if len(fields) >= 1 && !strings.EqualFold(fields[0], "GET") {
		pb.c.notes.add(Warning, s.Key("rancher", "health_check", "request_line"), "Kubernetes probes with GET, not %s", fields[0])
	}
	get := &corev1.HTTPGetAction{Path: path, Port: port}
	for _, h := range lines[1:] {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			continue
		}
		value = strings.TrimSpace(strings.ReplaceAll(value, `\ `, " "))
		get.HTTPHeaders = append(get.HTTPHeaders, corev1.HTTPHeader{Name: strings.TrimSpace(name), Value: value})
	}
	return corev1.ProbeHandler{HTTPGet: get}, true
}

// composeHealthcheck is compose's `healthcheck:` as an exec readinessProbe.
func (pb *podBuilder) composeHealthcheck(s *compose.Service) *corev1.Probe {
	h := s.Compose.Healthcheck
	if h == nil {
		return nil
	}
	pb.c.use(s, "healthcheck")
	if h.Disable || len(h.Test) == 0 || h.Test[0] == "NONE" {
		return nil
	}
	var cmd []string
	switch h.Test[0] {
	case "CMD":
		cmd = h.Test[1:]
	case "CMD-SHELL":
		cmd = []string{"/bin/sh", "-c", strings.Join(h.Test[1:], " ")}
	default:
		cmd = []string{"/bin/sh", "-c", strings.Join(h.Test, " ")}
	}
	p := &corev1.Probe{ProbeHandler: corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: cmd}},
		PeriodSeconds: durationSeconds(h.Interval, 30), TimeoutSeconds: durationSeconds(h.Timeout, 30),
		FailureThreshold: atLeastOne(h.Retries, 3), SuccessThreshold: 1}
	if h.StartPeriod != "" {
		p.InitialDelaySeconds = durationSeconds(h.StartPeriod, 0)
	}
	return p
}

// seconds rounds milliseconds up to whole seconds (at least 1); def applies when ms is 0.
func seconds(ms int64, def int32) int32 {
	if ms <= 0 {
		return def
	}
	return int32(max(1, (ms+999)/1000))
}

// durationSeconds reads a compose duration ("30s", "1m30s") as whole seconds, rounded up.
func durationSeconds(text string, def int32) int32 {
	d, err := time.ParseDuration(text)
	if err != nil || d <= 0 {
		return def
	}
	return int32(max(1, (d+time.Second-1)/time.Second))
}

func atLeastOne(v int64, def int32) int32 {
	if v <= 0 {
		return def
	}
	return int32(v)
}
