package kube

import (
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// Scheduling labels: io.rancher.scheduler.affinity:<rule> where rule is host_label or container_label
// with _soft (preferred) and/or _ne (anti) suffixes; not_host_label is host_label_ne.
const (
	affinityPrefix = "io.rancher.scheduler.affinity:"
	hostnameTopo   = "kubernetes.io/hostname"
	preferWeight   = 100
)

// affinityRule is one parsed scheduling label.
type affinityRule struct {
	label     string
	target    string // "host_label", "container_label", "container"
	soft, neg bool
}

func parseAffinityKey(k string) (affinityRule, bool) {
	rest, ok := strings.CutPrefix(k, affinityPrefix)
	if !ok {
		return affinityRule{}, false
	}
	r := affinityRule{label: k}
	if rest == "not_host_label" {
		rest = "host_label_ne"
	}
	if base, found := strings.CutSuffix(rest, "_ne"); found {
		rest, r.neg = base, true
	}
	if base, found := strings.CutSuffix(rest, "_soft"); found {
		rest, r.soft = base, true
	}
	r.target = rest
	return r, rest == "host_label" || rest == "container_label" || rest == "container"
}

// affinity turns the primary's scheduling labels into node affinity (host_label), pod anti-affinity
// (container_label_ne) and pod affinity (container_label), required or, for _soft, preferred.
func (c *converter) affinity(s *compose.Service, name string) *corev1.Affinity {
	var a corev1.Affinity
	keys := make([]string, 0)
	for k := range s.Compose.Labels {
		if strings.HasPrefix(k, schedulerPrefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		at := s.Key("labels", k)
		if k == globalLabel {
			continue
		}
		rule, ok := parseAffinityKey(k)
		if !ok {
			c.notes.add(Dropped, at, "an unknown scheduling label")
			continue
		}
		value := c.resolveMacros(s.Compose.Labels[k], s.Name)
		switch rule.target {
		case "host_label":
			c.nodeAffinity(&a, rule, value, at)
		case "container_label":
			c.podAffinity(&a, rule, value, at)
		default:
			c.notes.add(Dropped, at, "scheduling by container name: Kubernetes pods have no stable names; use a container_label rule")
		}
	}
	if a.NodeAffinity == nil && a.PodAffinity == nil && a.PodAntiAffinity == nil {
		return nil
	}
	return &a
}

// nodeAffinity adds one NodeSelectorTerm (all pairs ANDed) for host_label rules.
func (c *converter) nodeAffinity(a *corev1.Affinity, rule affinityRule, value string, at compose.KeyRef) {
	var exprs []corev1.NodeSelectorRequirement
	for _, pair := range splitPairs(value) {
		k, v, hasValue := strings.Cut(pair, "=")
		if len(validation.IsQualifiedName(k)) > 0 || (hasValue && len(validation.IsValidLabelValue(v)) > 0) {
			c.notes.add(Dropped, at, "%q is not a valid Kubernetes node label", pair)
			continue
		}
		req := corev1.NodeSelectorRequirement{Key: k, Operator: corev1.NodeSelectorOpIn, Values: []string{v}}
		switch {
		case !hasValue && rule.neg:
			req = corev1.NodeSelectorRequirement{Key: k, Operator: corev1.NodeSelectorOpDoesNotExist}
		case !hasValue:
			req = corev1.NodeSelectorRequirement{Key: k, Operator: corev1.NodeSelectorOpExists}
		case rule.neg:
			req.Operator = corev1.NodeSelectorOpNotIn
		}
		exprs = append(exprs, req)
	}
	if len(exprs) == 0 {
		return
	}
	if a.NodeAffinity == nil {
		a.NodeAffinity = &corev1.NodeAffinity{}
	}
	na := a.NodeAffinity
	if rule.soft {
		na.PreferredDuringSchedulingIgnoredDuringExecution = append(na.PreferredDuringSchedulingIgnoredDuringExecution,
			corev1.PreferredSchedulingTerm{Weight: preferWeight, Preference: corev1.NodeSelectorTerm{MatchExpressions: exprs}})
		return
	}
	if na.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		na.RequiredDuringSchedulingIgnoredDuringExecution = &corev1.NodeSelector{NodeSelectorTerms: []corev1.NodeSelectorTerm{{}}}
	}
	term := &na.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0]
	term.MatchExpressions = append(term.MatchExpressions, exprs...)
}

// podAffinity adds one term per pair of a container_label rule: a stack/service name selects that
// service's pods (in its stack's namespace), any other label selects pods carrying it.
func (c *converter) podAffinity(a *corev1.Affinity, rule affinityRule, value string, at compose.KeyRef) {
	for _, pair := range splitPairs(value) {
		term, ok := c.podAffinityTerm(pair, at)
		if !ok {
			continue
		}
		if rule.neg {
			if a.PodAntiAffinity == nil {
				a.PodAntiAffinity = &corev1.PodAntiAffinity{}
			}
			pa := a.PodAntiAffinity
			addPodTerm(&pa.RequiredDuringSchedulingIgnoredDuringExecution, &pa.PreferredDuringSchedulingIgnoredDuringExecution, rule.soft, term)
			continue
		}
		if a.PodAffinity == nil {
			a.PodAffinity = &corev1.PodAffinity{}
		}
		pa := a.PodAffinity
		addPodTerm(&pa.RequiredDuringSchedulingIgnoredDuringExecution, &pa.PreferredDuringSchedulingIgnoredDuringExecution, rule.soft, term)
	}
}

// addPodTerm appends a term to the preferred list (soft rules) or the required one.
func addPodTerm(required *[]corev1.PodAffinityTerm, preferred *[]corev1.WeightedPodAffinityTerm, soft bool, term corev1.PodAffinityTerm) {
	if soft {
		*preferred = append(*preferred, corev1.WeightedPodAffinityTerm{Weight: preferWeight, PodAffinityTerm: term})
		return
	}
	*required = append(*required, term)
}

// podAffinityTerm selects the pods one "key=value" names, on the same node.
func (c *converter) podAffinityTerm(pair string, at compose.KeyRef) (corev1.PodAffinityTerm, bool) {
	k, v, _ := strings.Cut(pair, "=")
	term := corev1.PodAffinityTerm{TopologyKey: hostnameTopo}
	switch k {
	case stackServiceLabel:
		stack, svc, ok := strings.Cut(v, "/")
		if !ok {
			stack, svc = c.p.Name, v
		}
		if stack == c.p.Name {
			if target := c.p.Service(svc); target != nil && target.IsSidekick() {
				svc = target.SidekickOf
			}
			term.LabelSelector = &metav1.LabelSelector{MatchLabels: selector(c.names.name(svc))}
			return term, true
		}
		term.Namespaces = []string{dnsLabel(stack)}
		term.LabelSelector = &metav1.LabelSelector{MatchLabels: selector(serviceName(svc))}
		return term, true
	case stackLabel:
		term.Namespaces = []string{dnsLabel(v)}
		term.LabelSelector = &metav1.LabelSelector{MatchLabels: map[string]string{labelPartOf: dnsLabel(v)}}
		return term, true
	}
	if !validLabel(k, v) {
		c.notes.add(Dropped, at, "%q is not a valid Kubernetes label to select pods by", pair)
		return term, false
	}
	term.LabelSelector = &metav1.LabelSelector{MatchLabels: map[string]string{k: v}}
	return term, true
}

// splitPairs splits a label value on commas, trimming blanks.
func splitPairs(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
