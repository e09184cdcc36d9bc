package kube

import (
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// Rancher label prefixes and labels with a meaning here.
const (
	schedulerPrefix    = "io.rancher.scheduler."
	sidekicksLabel     = "io.rancher.sidekicks"
	lbLabelPrefix      = "io.rancher.loadbalancer."
	rancherPrefix      = "io.rancher."
	hostnameOverride   = "io.rancher.container.hostname_override"
	rancherDNSLabel    = "io.rancher.container.dns"
	stackServiceLabel  = "io.rancher.stack_service.name"
	stackLabel         = "io.rancher.stack.name"
	macroStackName     = "${stack_name}"
	macroServiceName   = "${service_name}"
	macroStackNameBare = "$stack_name"
)

// handledLabels are Rancher labels another step carries (or that Kubernetes does by itself: a pod's
// hostname is its name already).
var handledLabels = map[string]bool{
	sidekicksLabel: true, globalLabel: true, startOnceLabel: true, pullImageLabel: true, hostnameOverride: true,
}

// podLabels returns the pod template's labels and annotations: the selector labels, then every user
// label that is a valid Kubernetes label (else an annotation when its key allows it). Rancher's own
// labels are carried by their steps (scheduling, sidekicks, load balancing) or reported.
func (c *converter) podLabels(s *compose.Service, name string) (labels, annotations map[string]string) {
	labels = map[string]string{labelName: name, labelPartOf: c.ns}
	keys := make([]string, 0, len(s.Compose.Labels))
	for k := range s.Compose.Labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, m := range append([]*compose.Service{s}, c.sidekicksOf(s)...) {
		c.use(m, "labels")
		if m != s {
			c.sidekickLabels(m)
		}
	}
	for _, k := range keys {
		v := c.resolveMacros(s.Compose.Labels[k], s.Name)
		at := s.Key("labels", k)
		switch {
		case handledLabels[k] || strings.HasPrefix(k, schedulerPrefix):
		case strings.HasPrefix(k, lbLabelPrefix):
			c.notes.add(Dropped, at, "load balancer labels mean something only on a load balancer service")
		case k == rancherDNSLabel:
		case strings.HasPrefix(k, rancherPrefix):
			c.notes.add(Dropped, at, "a Rancher-specific label")
		case labels[k] != "":
			c.notes.add(Dropped, at, "the label %s is set by the conversion (it selects the pods)", k)
		case validLabel(k, v):
			labels[k] = v
		case len(validation.IsQualifiedName(k)) == 0:
			if annotations == nil {
				annotations = map[string]string{}
			}
			annotations[k] = v
		default:
			c.notes.add(Dropped, at, "%q is not a valid Kubernetes label or annotation key", k)
		}
	}
	return labels, annotations
}

// sidekickLabels reports a sidekick's own labels: its pod carries the primary's labels and scheduling.
func (c *converter) sidekickLabels(m *compose.Service) {
	for k := range m.Compose.Labels {
		if k == startOnceLabel || k == pullImageLabel || k == hostnameOverride || k == rancherDNSLabel {
			continue
		}
		if v, ok := c.p.Service(m.SidekickOf).Compose.Labels[k]; ok && v == m.Compose.Labels[k] {
			continue
		}
		c.notes.add(Dropped, m.Key("labels", k), "a sidekick's pod carries the labels and scheduling of its primary %s", m.SidekickOf)
	}
}

// validLabel reports whether k: v is a valid Kubernetes label.
func validLabel(k, v string) bool {
	return len(validation.IsQualifiedName(k)) == 0 && len(validation.IsValidLabelValue(v)) == 0
}

// resolveMacros replaces Rancher's ${stack_name} and ${service_name} with the stack and service names.
func (c *converter) resolveMacros(v, service string) string {
	if !strings.Contains(v, "$") {
		return v
	}
	r := strings.NewReplacer(macroStackName, c.p.Name, macroServiceName, service, macroStackNameBare, c.p.Name)
	return r.Replace(v)
}
