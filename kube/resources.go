package kube

import (
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// defaultCPUPeriod is Docker's CFS period (µs) when cpu_quota is given without cpu_period.
const defaultCPUPeriod = 100000

// resources maps mem_limit → limits.memory, mem_reservation → requests.memory, cpu_quota/cpu_period →
// limits.cpu and cpu_shares → requests.cpu (1024 shares = one CPU, as Docker weighs them).
func (pb *podBuilder) resources(s *compose.Service) corev1.ResourceRequirements {
	sc := &s.Compose
	var r corev1.ResourceRequirements
	set := func(list *corev1.ResourceList, name corev1.ResourceName, q *resource.Quantity) {
		if *list == nil {
			*list = corev1.ResourceList{}
		}
		(*list)[name] = *q
	}
	if sc.MemLimit > 0 {
		set(&r.Limits, corev1.ResourceMemory, resource.NewQuantity(sc.MemLimit, resource.BinarySI))
		pb.c.use(s, "mem_limit")
	}
	if sc.Deploy != nil && sc.Deploy.MemoryLimit > 0 {
		pb.c.use(s, "deploy")
	}
	if sc.MemReservation > 0 {
		set(&r.Requests, corev1.ResourceMemory, resource.NewQuantity(sc.MemReservation, resource.BinarySI))
		pb.c.use(s, "mem_reservation")
	}
	if sc.CPUQuota > 0 {
		period := sc.CPUPeriod
		if period <= 0 {
			period = defaultCPUPeriod
		}
		set(&r.Limits, corev1.ResourceCPU, resource.NewMilliQuantity(max(1, sc.CPUQuota*1000/period), resource.DecimalSI))
		pb.c.use(s, "cpu_quota", "cpu_period")
	}
	if sc.CPUShares > 0 {
		set(&r.Requests, corev1.ResourceCPU, resource.NewMilliQuantity(max(1, sc.CPUShares*1000/1024), resource.DecimalSI))
		pb.c.use(s, "cpu_shares")
	}
	for name, req := range r.Requests {
		if lim, ok := r.Limits[name]; ok && req.Cmp(lim) > 0 {
			delete(r.Requests, name)
			key := map[corev1.ResourceName]string{corev1.ResourceMemory: "mem_reservation", corev1.ResourceCPU: "cpu_shares"}[name]
			pb.c.notes.add(Dropped, s.Key(key), "the %s request %s exceeds its limit %s, which Kubernetes refuses", name, req.String(), lim.String())
		}
	}
	return r
}
