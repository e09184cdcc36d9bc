package kube

import (
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// Labels that choose the kind of workload.
const (
	globalLabel    = "io.rancher.scheduler.global"
	startOnceLabel = "io.rancher.container.start_once"
)

// podBuilder assembles the pod of one primary service and its sidekicks.
type podBuilder struct {
	c       *converter
	primary *compose.Service
	name    string
	members []*compose.Service
	spec    corev1.PodSpec
	// mounts are each member's volume mounts (volumes_from copies them); volumes the pod's volumes by name.
	mounts  map[string][]corev1.VolumeMount
	volumes map[string]bool
	secrets map[string]string
	// claims are the pod volumes backed by a named volume's claim, by pod volume name.
	claims map[string]*claim
}

// workload makes the Deployment, DaemonSet (io.rancher.scheduler.global) or Job (a primary with
// io.rancher.container.start_once) of a primary service and its sidekicks.
func (c *converter) workload(s *compose.Service) {
	pb := &podBuilder{c: c, primary: s, name: c.names.name(s.Name), mounts: map[string][]corev1.VolumeMount{},
		volumes: map[string]bool{}, secrets: map[string]string{}, claims: map[string]*claim{}}
	pb.members = append([]*compose.Service{s}, c.sidekicksOf(s)...)
	pb.build()
	labels, annotations := c.podLabels(s, pb.name)
	tmpl := corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels, Annotations: annotations}, Spec: pb.spec}
	meta := c.meta(pb.name, pb.name)
	sel := &metav1.LabelSelector{MatchLabels: selector(pb.name)}
	pb.secret()
	switch {
	case isTrue(s.Compose.Labels[globalLabel]):
		pb.shareClaims()
		strategy, minReady := c.daemonSetStrategy(s)
		c.scaleIgnored(s, "a global service runs one pod per node (DaemonSet)")
		c.add("DaemonSet", pb.name, &appsv1.DaemonSet{TypeMeta: typeMeta("apps/v1", "DaemonSet"), ObjectMeta: meta,
			Spec: appsv1.DaemonSetSpec{Selector: sel, Template: tmpl, UpdateStrategy: strategy, MinReadySeconds: minReady}})
	case isTrue(s.Compose.Labels[startOnceLabel]):
		pb.shareClaims()
		c.job(s, pb.name, meta, tmpl)
	case pb.perPodClaims(s):
		c.statefulSet(s, pb, meta, sel, tmpl)
	default:
		pb.shareClaims()
		strategy, minReady := c.deploymentStrategy(s)
		pb.surgeWithHostPorts(strategy)
		c.add("Deployment", pb.name, &appsv1.Deployment{TypeMeta: typeMeta("apps/v1", "Deployment"), ObjectMeta: meta,
			Spec: appsv1.DeploymentSpec{Replicas: ptr(c.replicas(s)), Selector: sel, Template: tmpl, Strategy: strategy,
				MinReadySeconds: minReady}})
	}
}

// job runs a start-once primary to completion once per scale, never restarting it (as Rancher did).
func (c *converter) job(s *compose.Service, name string, meta metav1.ObjectMeta, tmpl corev1.PodTemplateSpec) {
	tmpl.Spec.RestartPolicy = corev1.RestartPolicyNever
	n := c.replicas(s)
	c.add("Job", name, &batchv1.Job{TypeMeta: typeMeta("batch/v1", "Job"), ObjectMeta: meta,
		Spec: batchv1.JobSpec{Parallelism: ptr(n), Completions: ptr(n), BackoffLimit: ptr(int32(0)), Template: tmpl}})
	if s.UpgradeStrategy() != nil {
		c.notes.add(Dropped, s.Key("rancher", "upgrade_strategy"), "a start-once service becomes a Job, which is replaced, not rolled")
		c.use(s, "rancher.upgrade_strategy")
	}
}

// replicas is the scale; start_on_create: false makes it 0.
func (c *converter) replicas(s *compose.Service) int32 {
	c.use(s, "rancher.scale", "deploy")
	if s.HasKey("rancher", "start_on_create") {
		c.use(s, "rancher.start_on_create")
		if !s.Rancher.StartOnCreate {
			c.notes.add(Info, s.Key("rancher", "start_on_create"), "start_on_create: false: replicas 0 (scale %d); scale it up to start it", s.Scale())
			return 0
		}
	}
	return int32(s.Scale())
}

// scaleIgnored reports a scale that has no meaning for the workload kind.
func (c *converter) scaleIgnored(s *compose.Service, why string) {
	if s.HasKey("rancher", "scale") {
		c.notes.add(Dropped, s.Key("rancher", "scale"), "%s", why)
	}
	c.use(s, "rancher.scale", "rancher.start_on_create")
}

// sidekicksOf returns the defined sidekicks of a primary in label order.
func (c *converter) sidekicksOf(s *compose.Service) []*compose.Service {
	var out []*compose.Service
	for _, name := range s.Sidekicks {
		if sk := c.p.Service(name); sk != nil && sk.SidekickOf == s.Name {
			out = append(out, sk)
		}
	}
	return out
}

// build fills the pod spec: volumes first (volumes_from needs every member's mounts), then the
// containers (start-once sidekicks as init containers), then the pod-level keys and scheduling.
func (pb *podBuilder) build() {
	for _, m := range pb.members {
		pb.ownVolumes(m)
	}
	for _, m := range pb.members {
		pb.volumesFrom(m)
	}
	for _, m := range pb.members {
		ctr := pb.container(m)
		if m.IsSidekick() && isTrue(m.Compose.Labels[startOnceLabel]) && !isTrue(pb.primary.Compose.Labels[startOnceLabel]) {
			pb.spec.InitContainers = append(pb.spec.InitContainers, ctr)
			pb.c.notes.add(Info, m.Key("labels", startOnceLabel), "a start-once sidekick becomes an init container of %s's pod", pb.name)
			continue
		}
		pb.spec.Containers = append(pb.spec.Containers, ctr)
	}
	for _, m := range pb.members {
		pb.network(m)
		if m.IsSidekick() {
			pb.c.scaleIgnored(m, "a sidekick runs in its primary's pod, at the primary's scale")
		}
	}
	pb.podLevel(pb.primary)
	pb.spec.Affinity = pb.c.affinity(pb.primary, pb.name)
}

// surgeWithHostPorts warns that a surge pod cannot share a node with the pod it replaces when they
// publish the same host port (Rancher's start_first had the same limit).
func (pb *podBuilder) surgeWithHostPorts(strategy appsv1.DeploymentStrategy) {
	if strategy.RollingUpdate == nil || strategy.RollingUpdate.MaxSurge.IntValue() == 0 {
		return
	}
	for _, ctr := range pb.spec.Containers {
		for _, p := range ctr.Ports {
			if p.HostPort != 0 {
				pb.c.notes.add(Warning, pb.primary.Key("rancher", "upgrade_strategy", "start_first"),
					"start_first with host port %d: each new pod needs a node that does not run the pod it replaces", p.HostPort)
				return
			}
		}
	}
}

// isTrue reads a label flag as Rancher does ("true" in any case).
func isTrue(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "true") }

func typeMeta(apiVersion, kind string) metav1.TypeMeta {
	return metav1.TypeMeta{APIVersion: apiVersion, Kind: kind}
}
