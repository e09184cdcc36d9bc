package kube

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// The labels every object carries; labelName also selects a service's pods.
const (
	labelName      = "app.kubernetes.io/name"
	labelPartOf    = "app.kubernetes.io/part-of"
	labelManagedBy = "app.kubernetes.io/managed-by"
	managedBy      = "rancher-compose"
)

// namespace makes the stack's Namespace (one per -p).
func (c *converter) namespace() {
	c.ns = dnsLabel(c.p.Name)
	if c.ns != c.p.Name {
		c.notes.add(Info, compose.KeyRef{Path: "project name"}, "stack %q becomes namespace %q (RFC 1123)", c.p.Name, c.ns)
	}
	ns := &corev1.Namespace{
		TypeMeta:   metav1.TypeMeta{APIVersion: "v1", Kind: "Namespace"},
		ObjectMeta: metav1.ObjectMeta{Name: c.ns, Labels: map[string]string{labelPartOf: c.ns, labelManagedBy: managedBy}},
	}
	c.add("Namespace", c.ns, ns)
}

// meta is the ObjectMeta of an object of the stack: its namespace and the common labels.
func (c *converter) meta(name, component string) metav1.ObjectMeta {
	labels := map[string]string{labelPartOf: c.ns, labelManagedBy: managedBy}
	if component != "" {
		labels[labelName] = component
	}
	return metav1.ObjectMeta{Name: name, Namespace: c.ns, Labels: labels}
}

// selector selects the pods of the workload named name.
func selector(name string) map[string]string {
	return map[string]string{labelName: name}
}

func (c *converter) add(kind, name string, obj runtime.Object) {
	c.objs = append(c.objs, Object{Kind: kind, Name: name, Obj: obj})
}
