package kube

import (
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// perPodClaims reports whether the pod should get its own claims: it mounts a named volume of the stack
// (not external) and runs more than once. Rancher gave each host its own local volume (or each
// container, with per_container), so the replicas never shared one; a StatefulSet's claim templates
// keep that, where one ReadWriteOnce claim shared by replicas on several nodes would not attach.
func (pb *podBuilder) perPodClaims(s *compose.Service) bool {
	if s.Scale() < 2 {
		return false
	}
	for _, cl := range pb.claims {
		if v := pb.c.p.Volumes[cl.source]; v == nil || !v.External {
			return true
		}
	}
	return false
}

// shareClaims marks the pod's claims as mounted directly (a standalone PersistentVolumeClaim each).
func (pb *podBuilder) shareClaims() {
	for _, cl := range pb.claims {
		cl.shared = true
	}
}

// statefulSet makes a StatefulSet whose claim templates replace the pod's named-volume claims.
func (c *converter) statefulSet(s *compose.Service, pb *podBuilder, meta metav1.ObjectMeta, sel *metav1.LabelSelector, tmpl corev1.PodTemplateSpec) {
	var templates []corev1.PersistentVolumeClaim
	var kept []corev1.Volume
	var sources []string
	at := s.Key("volumes")
	for _, v := range tmpl.Spec.Volumes {
		cl, ok := pb.claims[v.Name]
		if !ok || (c.p.Volumes[cl.source] != nil && c.p.Volumes[cl.source].External) {
			kept = append(kept, v)
			if ok {
				cl.shared = true
			}
			continue
		}
		if len(sources) == 0 {
			at = cl.at
		}
		sources = append(sources, cl.source)
		templates = append(templates, corev1.PersistentVolumeClaim{
			ObjectMeta: metav1.ObjectMeta{Name: v.Name},
			Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(defaultClaimSize)}}},
		})
	}
	sort.Strings(sources)
	tmpl.Spec.Volumes = kept
	c.notes.add(Info, at, "named volumes %v at scale %d: a StatefulSet gives each pod its own claim (%s, ReadWriteOnce), as Rancher gave each host its own volume",
		sources, s.Scale(), defaultClaimSize)
	_, unavailable, minReady, ok := c.rollingUpdate(s)
	if ok && (s.UpgradeStrategy().StartFirst || unavailable.IntValue() > 1) {
		c.notes.add(Dropped, s.Key("rancher", "upgrade_strategy"), "a StatefulSet replaces its pods one at a time, each stopped before its successor starts")
	}
	c.add("StatefulSet", pb.name, &appsv1.StatefulSet{TypeMeta: typeMeta("apps/v1", "StatefulSet"), ObjectMeta: meta,
		Spec: appsv1.StatefulSetSpec{Replicas: ptr(c.replicas(s)), Selector: sel, Template: tmpl, ServiceName: pb.name,
			PodManagementPolicy: appsv1.ParallelPodManagement, VolumeClaimTemplates: templates, MinReadySeconds: minReady,
			UpdateStrategy: appsv1.StatefulSetUpdateStrategy{Type: appsv1.RollingUpdateStatefulSetStrategyType}}})
}
