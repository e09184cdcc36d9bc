package kube

import (
	"path"
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// defaultClaimSize is requested by the PersistentVolumeClaim of a named volume (compose gives no size).
const defaultClaimSize = "1Gi"

// claim is a named volume used by some pod.
type claim struct {
	name   string // PVC name
	source string // compose volume name
	at     compose.KeyRef
	// shared is set when some pod mounts the claim itself (not through a StatefulSet's claim template).
	shared bool
}

// ownVolumes turns a member's `volumes`, `tmpfs` and `shm_size` into pod volumes and mounts.
func (pb *podBuilder) ownVolumes(m *compose.Service) {
	cname := pb.c.names.name(m.Name)
	for i, spec := range m.Compose.Volumes {
		at := m.Key("volumes", strconv.Itoa(i))
		src, dst, mode := splitVolume(spec)
		mount := corev1.VolumeMount{MountPath: dst, ReadOnly: mode == "ro"}
		switch {
		case src == "":
			mount.Name = pb.addVolume(cname+"-vol"+strconv.Itoa(i), corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}})
		case strings.HasPrefix(src, "/"):
			mount.Name = pb.addVolume(cname+"-host"+strconv.Itoa(i), corev1.VolumeSource{HostPath: &corev1.HostPathVolumeSource{Path: src}})
			pb.c.notes.add(Warning, at, "host path %s becomes a hostPath volume: it reads the node's disk, which differs from node to node", src)
		case strings.HasPrefix(src, ".") || strings.HasPrefix(src, "~"):
			mount.Name = pb.addVolume(cname+"-vol"+strconv.Itoa(i), corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{}})
			pb.c.notes.add(Dropped, at, "relative host path %s means nothing on a cluster node: an emptyDir stands in; use a ConfigMap or a PersistentVolumeClaim", src)
		default:
			mount.Name = pb.namedVolume(m, src, at)
		}
		pb.mounts[m.Name] = append(pb.mounts[m.Name], mount)
	}
	pb.c.use(m, "volumes")
	if m.Compose.VolumeDriver != "" {
		pb.c.notes.add(Dropped, m.Key("volume_driver"), "volume driver %q: choose a StorageClass for the claims instead", m.Compose.VolumeDriver)
		pb.c.use(m, "volume_driver")
	}
	for i, t := range m.Compose.Tmpfs {
		dir, _, _ := strings.Cut(t, ":")
		name := pb.addVolume(cname+"-tmpfs"+strconv.Itoa(i), corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory}})
		pb.mounts[m.Name] = append(pb.mounts[m.Name], corev1.VolumeMount{Name: name, MountPath: dir})
	}
	pb.c.use(m, "tmpfs")
	if m.Compose.ShmSize > 0 {
		name := pb.addVolume(cname+"-shm", corev1.VolumeSource{EmptyDir: &corev1.EmptyDirVolumeSource{Medium: corev1.StorageMediumMemory,
			SizeLimit: resource.NewQuantity(m.Compose.ShmSize, resource.BinarySI)}})
		pb.mounts[m.Name] = append(pb.mounts[m.Name], corev1.VolumeMount{Name: name, MountPath: "/dev/shm"})
		pb.c.use(m, "shm_size")
	}
}

// namedVolume mounts the claim of a named volume, shared by every container of the pod that names it.
func (pb *podBuilder) namedVolume(m *compose.Service, src string, at compose.KeyRef) string {
	claimName := dnsLabel(src)
	if v := pb.c.p.Volumes[src]; v != nil && v.External && v.ExternalName != "" {
		claimName = dnsLabel(v.ExternalName)
	}
	name := "vol-" + claimName
	if !pb.volumes[dnsLabel(name)] {
		pb.addVolume(name, corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: claimName}})
	}
	if _, ok := pb.c.claims[claimName]; !ok {
		pb.c.claims[claimName] = &claim{name: claimName, source: src, at: at}
	}
	pb.claims[dnsLabel(name)] = pb.c.claims[claimName]
	return dnsLabel(name)
}

// addVolume adds a pod volume under a unique RFC 1123 name and returns the name.
func (pb *podBuilder) addVolume(name string, src corev1.VolumeSource) string {
	name = dnsLabel(name)
	base := name
	for i := 2; pb.volumes[name]; i++ {
		name = dnsLabel(base + "-" + strconv.Itoa(i))
	}
	pb.volumes[name] = true
	pb.spec.Volumes = append(pb.spec.Volumes, corev1.Volume{Name: name, VolumeSource: src})
	return name
}

// volumesFrom gives a member the mounts of the pod members it names in volumes_from.
func (pb *podBuilder) volumesFrom(m *compose.Service) {
	for i, ref := range m.Compose.VolumesFrom {
		name, mode := ref, ""
		if k, rest, ok := strings.Cut(ref, ":"); ok && (k == "container" || k == "service") {
			name = rest
		}
		if n, md, ok := strings.Cut(name, ":"); ok {
			name, mode = n, md
		}
		if !pb.has(name) || name == m.Name {
			pb.c.notes.add(Dropped, m.Key("volumes_from", strconv.Itoa(i)), "%s is not in %s's pod: containers share volumes only within a pod (make it a sidekick)", name, pb.name)
			continue
		}
		have := map[string]bool{}
		for _, mt := range pb.mounts[m.Name] {
			have[mt.MountPath] = true
		}
		for _, mt := range pb.mounts[name] {
			if have[mt.MountPath] {
				continue
			}
			mt.ReadOnly = mt.ReadOnly || mode == "ro"
			pb.mounts[m.Name] = append(pb.mounts[m.Name], mt)
		}
	}
	pb.c.use(m, "volumes_from")
}

// splitVolume reads "src:dst[:mode]" or "dst".
func splitVolume(spec string) (src, dst, mode string) {
	parts := strings.Split(spec, ":")
	switch len(parts) {
	case 1:
		return "", path.Clean(parts[0]), ""
	case 2:
		if parts[1] == "ro" || parts[1] == "rw" {
			return "", path.Clean(parts[0]), parts[1]
		}
		return parts[0], path.Clean(parts[1]), ""
	}
	return parts[0], path.Clean(parts[1]), strings.Join(parts[2:], ":")
}

// volumeClaims emits a PersistentVolumeClaim for each named volume a pod mounts (external volumes are
// expected to exist).
func (c *converter) volumeClaims() {
	names := make([]string, 0, len(c.claims))
	for n := range c.claims {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		cl := c.claims[n]
		if !cl.shared {
			continue
		}
		if v := c.p.Volumes[cl.source]; v != nil && v.External {
			c.notes.add(Info, cl.at, "external volume %s: the PersistentVolumeClaim %s/%s must exist", cl.source, c.ns, cl.name)
			continue
		}
		if v := c.p.Volumes[cl.source]; v != nil && ((v.Driver != "" && v.Driver != "local") || len(v.DriverOpts) > 0 || v.PerContainer) {
			c.notes.add(Dropped, compose.KeyRef{Pos: cl.at.Pos, Path: "volumes." + cl.source},
				"driver, driver_opts and per_container have no PersistentVolumeClaim counterpart: choose a StorageClass")
		}
		c.notes.add(Info, cl.at, "named volume %s becomes PersistentVolumeClaim %s (%s, ReadWriteOnce: adjust to your storage)", cl.source, cl.name, defaultClaimSize)
		pvc := &corev1.PersistentVolumeClaim{TypeMeta: typeMeta("v1", "PersistentVolumeClaim"), ObjectMeta: c.meta(cl.name, ""),
			Spec: corev1.PersistentVolumeClaimSpec{AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
				Resources: corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse(defaultClaimSize)}}}}
		c.add("PersistentVolumeClaim", cl.name, pvc)
	}
}
