package kube

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	metav1validation "k8s.io/apimachinery/pkg/apis/meta/v1/validation"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/sets"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

var selectorOpts = metav1validation.LabelSelectorValidationOptions{}

// validateWorkload checks a selector against its pod template and the pod spec.
func validateWorkload(sel *metav1.LabelSelector, tmpl *corev1.PodTemplateSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	if sel == nil || len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
		errs = append(errs, field.Required(path.Child("selector"), "a workload needs a selector"))
	} else {
		errs = append(errs, metav1validation.ValidateLabelSelector(sel, selectorOpts, path.Child("selector"))...)
		if s, err := metav1.LabelSelectorAsSelector(sel); err == nil && !s.Matches(labels.Set(tmpl.Labels)) {
			errs = append(errs, field.Invalid(path.Child("template", "metadata", "labels"), tmpl.Labels, "selector does not match template labels"))
		}
	}
	tp := path.Child("template")
	errs = append(errs, metav1validation.ValidateLabels(tmpl.Labels, tp.Child("metadata", "labels"))...)
	errs = append(errs, apivalidation.ValidateAnnotations(tmpl.Annotations, tp.Child("metadata", "annotations"))...)
	return append(errs, validatePodSpec(&tmpl.Spec, tp.Child("spec"))...)
}

func validatePodSpec(spec *corev1.PodSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	vols := sets.New[string]()
	for i, v := range spec.Volumes {
		vp := path.Child("volumes").Index(i)
		errs = append(errs, dnsLabelErrs(v.Name, vp.Child("name"))...)
		if vols.Has(v.Name) {
			errs = append(errs, field.Duplicate(vp.Child("name"), v.Name))
		}
		vols.Insert(v.Name)
		if n := countSources(v.VolumeSource); n != 1 {
			errs = append(errs, field.Invalid(vp, v.Name, "a volume needs exactly one source"))
		}
	}
	if len(spec.Containers) == 0 {
		errs = append(errs, field.Required(path.Child("containers"), "a pod needs a container"))
	}
	names := sets.New[string]()
	for kind, list := range map[string][]corev1.Container{"initContainers": spec.InitContainers, "containers": spec.Containers} {
		for i := range list {
			cp := path.Child(kind).Index(i)
			if names.Has(list[i].Name) {
				errs = append(errs, field.Duplicate(cp.Child("name"), list[i].Name))
			}
			names.Insert(list[i].Name)
			errs = append(errs, validateContainer(&list[i], vols, kind == "initContainers", cp)...)
		}
	}
	errs = append(errs, uniqueHostPorts(spec, path)...)
	if d := spec.DNSConfig; d != nil {
		for i, ns := range d.Nameservers {
			errs = append(errs, validation.IsValidIP(path.Child("dnsConfig", "nameservers").Index(i), ns)...)
		}
		if len(d.Nameservers) > 3 {
			errs = append(errs, field.TooMany(path.Child("dnsConfig", "nameservers"), len(d.Nameservers), 3))
		}
	}
	for i, h := range spec.HostAliases {
		if len(validation.IsValidIP(path.Child("hostAliases").Index(i).Child("ip"), h.IP)) > 0 {
			errs = append(errs, field.Invalid(path.Child("hostAliases").Index(i).Child("ip"), h.IP, "must be a valid IP address"))
		}
	}
	return append(errs, validateAffinity(spec.Affinity, path.Child("affinity"))...)
}

// uniqueHostPorts rejects a host port (with protocol and IP) used twice in a pod, as the API server does.
func uniqueHostPorts(spec *corev1.PodSpec, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	seen := sets.New[string]()
	for _, list := range [][]corev1.Container{spec.InitContainers, spec.Containers} {
		for _, c := range list {
			for _, p := range c.Ports {
				if p.HostPort == 0 {
					continue
				}
				id := fmt.Sprintf("%s/%s:%d", p.Protocol, p.HostIP, p.HostPort)
				if seen.Has(id) {
					errs = append(errs, field.Duplicate(path.Child("containers").Key(c.Name).Child("ports"), id))
				}
				seen.Insert(id)
			}
		}
	}
	return errs
}

func countSources(s corev1.VolumeSource) int {
	n := 0
	for _, set := range []bool{s.EmptyDir != nil, s.HostPath != nil, s.PersistentVolumeClaim != nil, s.Secret != nil, s.ConfigMap != nil} {
		if set {
			n++
		}
	}
	return n
}

func validateContainer(c *corev1.Container, vols sets.Set[string], init bool, path *field.Path) field.ErrorList {
	errs := dnsLabelErrs(c.Name, path.Child("name"))
	if strings.TrimSpace(c.Image) == "" {
		errs = append(errs, field.Required(path.Child("image"), ""))
	}
	for i, p := range c.Ports {
		pp := path.Child("ports").Index(i)
		errs = append(errs, portErrs(p.ContainerPort, pp.Child("containerPort"))...)
		if p.HostPort != 0 {
			errs = append(errs, portErrs(p.HostPort, pp.Child("hostPort"))...)
		}
		if p.Name != "" {
			errs = append(errs, msgs(validation.IsValidPortName(p.Name), pp.Child("name"), p.Name)...)
		}
	}
	for i, e := range c.Env {
		errs = append(errs, msgs(validation.IsEnvVarName(e.Name), path.Child("env").Index(i).Child("name"), e.Name)...)
	}
	paths := sets.New[string]()
	for i, m := range c.VolumeMounts {
		mp := path.Child("volumeMounts").Index(i)
		if paths.Has(m.MountPath) {
			errs = append(errs, field.Duplicate(mp.Child("mountPath"), m.MountPath))
		}
		paths.Insert(m.MountPath)
		if !vols.Has(m.Name) {
			errs = append(errs, field.NotFound(mp.Child("name"), m.Name))
		}
		if m.MountPath == "" {
			errs = append(errs, field.Required(mp.Child("mountPath"), ""))
		}
	}
	for name, p := range map[string]*corev1.Probe{"readinessProbe": c.ReadinessProbe, "livenessProbe": c.LivenessProbe, "startupProbe": c.StartupProbe} {
		errs = append(errs, validateProbe(p, name != "readinessProbe", path.Child(name))...)
	}
	if init && (c.ReadinessProbe != nil || c.LivenessProbe != nil || c.StartupProbe != nil) {
		errs = append(errs, field.Forbidden(path, "an init container may not have probes"))
	}
	for name, req := range c.Resources.Requests {
		if lim, ok := c.Resources.Limits[name]; ok && req.Cmp(lim) > 0 {
			errs = append(errs, field.Invalid(path.Child("resources", "requests").Key(string(name)), req.String(), "must be less than or equal to the limit"))
		}
	}
	return errs
}

func validateProbe(p *corev1.Probe, successMustBeOne bool, path *field.Path) field.ErrorList {
	if p == nil {
		return nil
	}
	var errs field.ErrorList
	n := 0
	for _, set := range []bool{p.Exec != nil, p.HTTPGet != nil, p.TCPSocket != nil, p.GRPC != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		errs = append(errs, field.Invalid(path, n, "a probe needs exactly one handler"))
	}
	if successMustBeOne && p.SuccessThreshold != 1 {
		errs = append(errs, field.Invalid(path.Child("successThreshold"), p.SuccessThreshold, "must be 1"))
	}
	for name, v := range map[string]int32{"periodSeconds": p.PeriodSeconds, "timeoutSeconds": p.TimeoutSeconds, "failureThreshold": p.FailureThreshold, "successThreshold": p.SuccessThreshold} {
		if v < 0 {
			errs = append(errs, field.Invalid(path.Child(name), v, "must be non-negative"))
		}
	}
	if g := p.HTTPGet; g != nil && g.Port.IntVal != 0 {
		errs = append(errs, portErrs(g.Port.IntVal, path.Child("httpGet", "port"))...)
	}
	if t := p.TCPSocket; t != nil {
		errs = append(errs, portErrs(t.Port.IntVal, path.Child("tcpSocket", "port"))...)
	}
	return errs
}

func validateAffinity(a *corev1.Affinity, path *field.Path) field.ErrorList {
	if a == nil {
		return nil
	}
	var errs field.ErrorList
	if na := a.NodeAffinity; na != nil {
		var terms []corev1.NodeSelectorTerm
		if r := na.RequiredDuringSchedulingIgnoredDuringExecution; r != nil {
			terms = append(terms, r.NodeSelectorTerms...)
		}
		for _, p := range na.PreferredDuringSchedulingIgnoredDuringExecution {
			terms = append(terms, p.Preference)
		}
		for i, t := range terms {
			for j, e := range t.MatchExpressions {
				ep := path.Child("nodeAffinity").Index(i).Child("matchExpressions").Index(j)
				errs = append(errs, metav1validation.ValidateLabelName(e.Key, ep.Child("key"))...)
				for _, v := range e.Values {
					errs = append(errs, msgs(validation.IsValidLabelValue(v), ep.Child("values"), v)...)
				}
			}
		}
	}
	var terms []corev1.PodAffinityTerm
	for _, pa := range []*corev1.PodAffinity{a.PodAffinity} {
		if pa != nil {
			terms = append(terms, pa.RequiredDuringSchedulingIgnoredDuringExecution...)
			for _, w := range pa.PreferredDuringSchedulingIgnoredDuringExecution {
				terms = append(terms, w.PodAffinityTerm)
			}
		}
	}
	if pa := a.PodAntiAffinity; pa != nil {
		terms = append(terms, pa.RequiredDuringSchedulingIgnoredDuringExecution...)
		for _, w := range pa.PreferredDuringSchedulingIgnoredDuringExecution {
			terms = append(terms, w.PodAffinityTerm)
		}
	}
	for i, t := range terms {
		tp := path.Child("podAffinityTerms").Index(i)
		errs = append(errs, metav1validation.ValidateLabelSelector(t.LabelSelector, selectorOpts, tp.Child("labelSelector"))...)
		errs = append(errs, metav1validation.ValidateLabelName(t.TopologyKey, tp.Child("topologyKey"))...)
		for _, ns := range t.Namespaces {
			errs = append(errs, dnsLabelErrs(ns, tp.Child("namespaces"))...)
		}
	}
	return errs
}

func validateService(s *corev1.Service, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	names := sets.New[string]()
	for i, p := range s.Spec.Ports {
		pp := path.Child("ports").Index(i)
		errs = append(errs, portErrs(p.Port, pp.Child("port"))...)
		if len(s.Spec.Ports) > 1 && p.Name == "" {
			errs = append(errs, field.Required(pp.Child("name"), "needed when a Service has several ports"))
		}
		if p.Name != "" {
			errs = append(errs, msgs(validation.IsValidPortName(p.Name), pp.Child("name"), p.Name)...)
			if names.Has(p.Name) {
				errs = append(errs, field.Duplicate(pp.Child("name"), p.Name))
			}
			names.Insert(p.Name)
		}
	}
	errs = append(errs, metav1validation.ValidateLabels(s.Spec.Selector, path.Child("selector"))...)
	switch s.Spec.Type {
	case corev1.ServiceTypeExternalName:
		errs = append(errs, msgs(validation.IsDNS1123Subdomain(s.Spec.ExternalName), path.Child("externalName"), s.Spec.ExternalName)...)
	case corev1.ServiceTypeLoadBalancer:
		if len(s.Spec.Ports) == 0 {
			errs = append(errs, field.Required(path.Child("ports"), "a LoadBalancer Service needs a port"))
		}
	}
	return errs
}

func validateIngress(ing *networkingv1.Ingress, path *field.Path) field.ErrorList {
	var errs field.ErrorList
	for i, r := range ing.Spec.Rules {
		rp := path.Child("rules").Index(i)
		if r.Host != "" {
			errs = append(errs, msgs(validation.IsDNS1123Subdomain(strings.TrimPrefix(r.Host, "*.")), rp.Child("host"), r.Host)...)
		}
		if r.HTTP == nil || len(r.HTTP.Paths) == 0 {
			errs = append(errs, field.Required(rp.Child("http", "paths"), ""))
			continue
		}
		for j, p := range r.HTTP.Paths {
			pp := rp.Child("http", "paths").Index(j)
			if !strings.HasPrefix(p.Path, "/") || p.PathType == nil {
				errs = append(errs, field.Invalid(pp, p.Path, "a path starts with / and has a pathType"))
			}
			b := p.Backend.Service
			if b == nil {
				errs = append(errs, field.Required(pp.Child("backend", "service"), ""))
				continue
			}
			errs = append(errs, msgs(validation.IsDNS1035Label(b.Name), pp.Child("backend", "service", "name"), b.Name)...)
			errs = append(errs, portErrs(b.Port.Number, pp.Child("backend", "service", "port", "number"))...)
		}
	}
	for i, t := range ing.Spec.TLS {
		errs = append(errs, msgs(validation.IsDNS1123Subdomain(t.SecretName), path.Child("tls").Index(i).Child("secretName"), t.SecretName)...)
	}
	return errs
}

func dnsLabelErrs(name string, path *field.Path) field.ErrorList {
	return msgs(validation.IsDNS1123Label(name), path, name)
}

func portErrs(port int32, path *field.Path) field.ErrorList {
	return msgs(validation.IsValidPortNum(int(port)), path, port)
}

func msgs(list []string, path *field.Path, value any) field.ErrorList {
	var errs field.ErrorList
	for _, m := range list {
		errs = append(errs, field.Invalid(path, value, m))
	}
	return errs
}
