package kube

import (
	"errors"
	"fmt"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/labels"
)

// CheckReferences checks what one object says of another: every Ingress backend is a Service of the
// output with that port, every selector of a Service selects the pods of some workload, and every
// StatefulSet's serviceName is a Service.
func (r *Result) CheckReferences() error {
	services := map[string]*corev1.Service{}
	var pods []map[string]string
	for _, o := range r.Objects {
		switch obj := o.Obj.(type) {
		case *corev1.Service:
			services[obj.Name] = obj
		case *appsv1.Deployment:
			pods = append(pods, obj.Spec.Template.Labels)
		case *appsv1.StatefulSet:
			pods = append(pods, obj.Spec.Template.Labels)
		case *appsv1.DaemonSet:
			pods = append(pods, obj.Spec.Template.Labels)
		case *batchv1.Job:
			pods = append(pods, obj.Spec.Template.Labels)
		}
	}
	var errs []error
	for _, o := range r.Objects {
		switch obj := o.Obj.(type) {
		case *networkingv1.Ingress:
			errs = append(errs, ingressBackends(obj, services)...)
		case *corev1.Service:
			if len(obj.Spec.Selector) > 0 && !selectsAny(obj.Spec.Selector, pods) {
				errs = append(errs, fmt.Errorf("Service %s selects no pod of the output (%v)", obj.Name, obj.Spec.Selector))
			}
		case *appsv1.StatefulSet:
			if services[obj.Spec.ServiceName] == nil {
				errs = append(errs, fmt.Errorf("StatefulSet %s: serviceName %s is no Service", obj.Name, obj.Spec.ServiceName))
			}
		}
	}
	return errors.Join(errs...)
}

func ingressBackends(ing *networkingv1.Ingress, services map[string]*corev1.Service) []error {
	var errs []error
	for _, rule := range ing.Spec.Rules {
		for _, p := range rule.HTTP.Paths {
			b := p.Backend.Service
			svc := services[b.Name]
			if svc == nil {
				errs = append(errs, fmt.Errorf("Ingress %s: backend %s is no Service", ing.Name, b.Name))
				continue
			}
			found := false
			for _, sp := range svc.Spec.Ports {
				found = found || sp.Port == b.Port.Number
			}
			if !found {
				errs = append(errs, fmt.Errorf("Ingress %s: Service %s has no port %d", ing.Name, b.Name, b.Port.Number))
			}
		}
	}
	return errs
}

func selectsAny(sel map[string]string, pods []map[string]string) bool {
	s := labels.SelectorFromSet(sel)
	for _, p := range pods {
		if s.Matches(labels.Set(p)) {
			return true
		}
	}
	return false
}
