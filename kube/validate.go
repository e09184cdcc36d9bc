package kube

import (
	"bytes"
	"errors"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	networkingv1 "k8s.io/api/networking/v1"
	apivalidation "k8s.io/apimachinery/pkg/api/validation"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"sigs.k8s.io/yaml"
)

// newTyped returns an empty typed object for each kind the conversion emits.
var newTyped = map[string]func() any{
	"Namespace":             func() any { return &corev1.Namespace{} },
	"Secret":                func() any { return &corev1.Secret{} },
	"PersistentVolumeClaim": func() any { return &corev1.PersistentVolumeClaim{} },
	"Service":               func() any { return &corev1.Service{} },
	"EndpointSlice":         func() any { return &discoveryv1.EndpointSlice{} },
	"Deployment":            func() any { return &appsv1.Deployment{} },
	"DaemonSet":             func() any { return &appsv1.DaemonSet{} },
	"StatefulSet":           func() any { return &appsv1.StatefulSet{} },
	"Job":                   func() any { return &batchv1.Job{} },
	"Ingress":               func() any { return &networkingv1.Ingress{} },
}

// ValidateYAML checks a multi-document stream: every document decodes strictly into its typed object
// (an unknown or mistyped field fails) and passes apimachinery's checks of names, labels, annotations
// and selectors plus the API server's rules this package can break (probes, ports, volumes, strategy).
// It returns every problem found, one per document at most for decoding.
func ValidateYAML(stream []byte) error {
	var errs []error
	for i, doc := range bytes.Split(stream, []byte("\n---\n")) {
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		if err := ValidateDocument(doc); err != nil {
			errs = append(errs, fmt.Errorf("document %d: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

// ValidateDocument checks one YAML document (see ValidateYAML).
func ValidateDocument(doc []byte) error {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return fmt.Errorf("reading apiVersion and kind: %w", err)
	}
	mk, ok := newTyped[tm.Kind]
	if !ok {
		return fmt.Errorf("unexpected kind %q", tm.Kind)
	}
	obj := mk()
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		return fmt.Errorf("%s: strict decoding: %w", tm.Kind, err)
	}
	if want := apiVersions[tm.Kind]; tm.APIVersion != want {
		return fmt.Errorf("%s: apiVersion %q, want %q", tm.Kind, tm.APIVersion, want)
	}
	if errs := validateObject(obj); len(errs) > 0 {
		return fmt.Errorf("%s: %w", tm.Kind, errs.ToAggregate())
	}
	return nil
}

var apiVersions = map[string]string{
	"Namespace": "v1", "Secret": "v1", "PersistentVolumeClaim": "v1", "Service": "v1",
	"EndpointSlice": "discovery.k8s.io/v1", "Deployment": "apps/v1", "DaemonSet": "apps/v1", "StatefulSet": "apps/v1", "Job": "batch/v1",
	"Ingress": "networking.k8s.io/v1",
}

func stripComments(doc []byte) []byte {
	var out [][]byte
	for _, l := range bytes.Split(doc, []byte("\n")) {
		if !bytes.HasPrefix(bytes.TrimSpace(l), []byte("#")) {
			out = append(out, l)
		}
	}
	return bytes.Join(out, []byte("\n"))
}

func validateObject(obj any) field.ErrorList {
	meta := field.NewPath("metadata")
	spec := field.NewPath("spec")
	switch o := obj.(type) {
	case *corev1.Namespace:
		return apivalidation.ValidateObjectMeta(&o.ObjectMeta, false, apivalidation.NameIsDNSLabel, meta)
	case *corev1.Secret, *corev1.PersistentVolumeClaim, *discoveryv1.EndpointSlice:
		m := o.(metav1.ObjectMetaAccessor).GetObjectMeta()
		return apivalidation.ValidateObjectMetaAccessor(m, true, apivalidation.NameIsDNSSubdomain, meta)
	case *corev1.Service:
		errs := apivalidation.ValidateObjectMeta(&o.ObjectMeta, true, apivalidation.NameIsDNS1035Label, meta)
		return append(errs, validateService(o, spec)...)
	case *appsv1.Deployment:
		errs := apivalidation.ValidateObjectMeta(&o.ObjectMeta, true, apivalidation.NameIsDNSSubdomain, meta)
		errs = append(errs, validateWorkload(o.Spec.Selector, &o.Spec.Template, spec)...)
		if r := o.Spec.Strategy.RollingUpdate; r != nil && isZero(r.MaxSurge) && isZero(r.MaxUnavailable) {
			errs = append(errs, field.Invalid(spec.Child("strategy", "rollingUpdate"), "0/0", "maxSurge and maxUnavailable may not both be 0"))
		}
		if o.Spec.Template.Spec.RestartPolicy != "" && o.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyAlways {
			errs = append(errs, field.NotSupported(spec.Child("template", "spec", "restartPolicy"), o.Spec.Template.Spec.RestartPolicy, []string{"Always"}))
		}
		return errs
	case *appsv1.DaemonSet:
		errs := apivalidation.ValidateObjectMeta(&o.ObjectMeta, true, apivalidation.NameIsDNSSubdomain, meta)
		errs = append(errs, validateWorkload(o.Spec.Selector, &o.Spec.Template, spec)...)
		if r := o.Spec.UpdateStrategy.RollingUpdate; r != nil && isZero(r.MaxSurge) && isZero(r.MaxUnavailable) {
			errs = append(errs, field.Invalid(spec.Child("updateStrategy", "rollingUpdate"), "0/0", "maxSurge and maxUnavailable may not both be 0"))
		}
		return errs
	case *appsv1.StatefulSet:
		errs := apivalidation.ValidateObjectMeta(&o.ObjectMeta, true, apivalidation.NameIsDNSSubdomain, meta)
		tmpl := o.Spec.Template.DeepCopy()
		for i, ct := range o.Spec.VolumeClaimTemplates {
			p := spec.Child("volumeClaimTemplates").Index(i)
			errs = append(errs, dnsLabelErrs(ct.Name, p.Child("metadata", "name"))...)
			if len(ct.Spec.AccessModes) == 0 || ct.Spec.Resources.Requests.Storage().IsZero() {
				errs = append(errs, field.Required(p.Child("spec"), "a claim template needs accessModes and a storage request"))
			}
			tmpl.Spec.Volumes = append(tmpl.Spec.Volumes, corev1.Volume{Name: ct.Name, VolumeSource: corev1.VolumeSource{
				PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: ct.Name}}})
		}
		if o.Spec.ServiceName == "" {
			errs = append(errs, field.Required(spec.Child("serviceName"), ""))
		}
		return append(errs, validateWorkload(o.Spec.Selector, tmpl, spec)...)
	case *batchv1.Job:
		errs := apivalidation.ValidateObjectMeta(&o.ObjectMeta, true, apivalidation.NameIsDNSSubdomain, meta)
		sel := &metav1.LabelSelector{MatchLabels: o.Spec.Template.Labels}
		errs = append(errs, validateWorkload(sel, &o.Spec.Template, spec)...)
		if p := o.Spec.Template.Spec.RestartPolicy; p != corev1.RestartPolicyNever && p != corev1.RestartPolicyOnFailure {
			errs = append(errs, field.NotSupported(spec.Child("template", "spec", "restartPolicy"), p, []string{"Never", "OnFailure"}))
		}
		return errs
	case *networkingv1.Ingress:
		errs := apivalidation.ValidateObjectMeta(&o.ObjectMeta, true, apivalidation.NameIsDNSSubdomain, meta)
		return append(errs, validateIngress(o, spec)...)
	}
	return field.ErrorList{field.InternalError(nil, fmt.Errorf("no checks for %T", obj))}
}

func isZero(v *intstr.IntOrString) bool {
	return v == nil || v.String() == "0" || v.String() == "0%"
}

// Validate renders and checks every object (see ValidateYAML); a failure is a bug of the conversion.
func (r *Result) Validate() error {
	var errs []error
	for _, o := range r.Objects {
		doc, err := Document(o)
		if err != nil {
			return err
		}
		if err := ValidateDocument(doc); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", o.Kind, o.Name, err))
		}
	}
	return errors.Join(errs...)
}
