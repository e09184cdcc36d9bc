package kube

import (
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// pullImageLabel set to "always" makes Rancher pull the image before every start.
const pullImageLabel = "io.rancher.container.pull_image"

// container converts one service (a primary or a sidekick) into a container of pb's pod.
func (pb *podBuilder) container(s *compose.Service) corev1.Container {
	c, sc := pb.c, &s.Compose
	ctr := corev1.Container{
		Name: c.names.name(s.Name), Image: pb.image(s), Command: sc.Entrypoint, Args: sc.Command,
		WorkingDir: sc.WorkingDir, TTY: sc.Tty, Stdin: sc.StdinOpen,
	}
	c.use(s, "image", "entrypoint", "command", "working_dir", "tty", "stdin_open")
	if strings.EqualFold(sc.Labels[pullImageLabel], "always") {
		ctr.ImagePullPolicy = corev1.PullAlways
	}
	ctr.Env = pb.env(s)
	ctr.Ports = pb.containerPorts(s)
	ctr.SecurityContext = pb.securityContext(s)
	ctr.Resources = pb.resources(s)
	ctr.ReadinessProbe, ctr.LivenessProbe, ctr.StartupProbe = pb.probes(s)
	ctr.VolumeMounts = pb.mounts[s.Name]
	return ctr
}

// image is the service's image; a service that only builds gets the name Rancher would have given it.
func (pb *podBuilder) image(s *compose.Service) string {
	if s.Compose.Image != "" {
		return s.Compose.Image
	}
	name := pb.c.p.Name + "_" + s.Name
	if s.Compose.Build != nil {
		pb.c.notes.add(Dropped, s.Key("build"), "Kubernetes does not build images: build and push %s, then deploy it", name)
		pb.c.use(s, "build")
	}
	return name
}

// containerPorts lists the container ports of `ports` and `expose`; a port published on a fixed host
// port keeps it as hostPort, as Rancher published it on every host running the service.
func (pb *podBuilder) containerPorts(s *compose.Service) []corev1.ContainerPort {
	var out []corev1.ContainerPort
	seen := map[string]bool{}
	for _, key := range []string{"ports", "expose"} {
		list := s.Compose.Ports
		if key == "expose" {
			list = s.Compose.Expose
		}
		for i, spec := range list {
			parsed, err := parsePorts(spec)
			if err != nil {
				pb.c.notes.add(Dropped, s.Key(key, strconv.Itoa(i)), "%v", err)
				continue
			}
			for _, p := range parsed {
				cp := corev1.ContainerPort{ContainerPort: p.container, Protocol: p.protocol}
				if key == "ports" && p.host != 0 {
					cp.HostPort, cp.HostIP = p.host, p.hostIP
				}
				id := strconv.Itoa(int(cp.ContainerPort)) + string(cp.Protocol) + strconv.Itoa(int(cp.HostPort))
				if seen[id] {
					continue
				}
				seen[id] = true
				out = append(out, cp)
			}
		}
		pb.c.use(s, key)
	}
	return out
}

// securityContext carries privileged, cap_add, cap_drop, read_only and a numeric user.
func (pb *podBuilder) securityContext(s *compose.Service) *corev1.SecurityContext {
	sc := &s.Compose
	var out corev1.SecurityContext
	set := false
	if sc.Privileged {
		out.Privileged, set = ptr(true), true
	}
	if sc.ReadOnly {
		out.ReadOnlyRootFilesystem, set = ptr(true), true
	}
	if len(sc.CapAdd) > 0 || len(sc.CapDrop) > 0 {
		out.Capabilities, set = &corev1.Capabilities{Add: capabilities(sc.CapAdd), Drop: capabilities(sc.CapDrop)}, true
	}
	if sc.User != "" {
		if uid, gid, ok := numericUser(sc.User); ok {
			out.RunAsUser, set = &uid, true
			if gid >= 0 {
				out.RunAsGroup = &gid
			}
		} else {
			pb.c.notes.add(Dropped, s.Key("user"), "user %q is a name: Kubernetes takes a numeric runAsUser (the image's USER applies)", sc.User)
		}
	}
	pb.c.use(s, "privileged", "read_only", "cap_add", "cap_drop", "user")
	if !set {
		return nil
	}
	return &out
}

// capabilities turns "CAP_NET_ADMIN" or "NET_ADMIN" into Kubernetes' "NET_ADMIN".
func capabilities(list []string) []corev1.Capability {
	var out []corev1.Capability
	for _, c := range list {
		out = append(out, corev1.Capability(strings.TrimPrefix(strings.ToUpper(c), "CAP_")))
	}
	return out
}

// numericUser reads "1000", "1000:1000" and "root"; gid is -1 when not given.
func numericUser(u string) (uid, gid int64, ok bool) {
	userPart, groupPart, hasGroup := strings.Cut(u, ":")
	if userPart == "root" {
		userPart = "0"
	}
	uid, err := strconv.ParseInt(userPart, 10, 64)
	if err != nil || uid < 0 {
		return 0, 0, false
	}
	gid = -1
	if hasGroup {
		if gid, err = strconv.ParseInt(groupPart, 10, 64); err != nil || gid < 0 {
			return 0, 0, false
		}
	}
	return uid, gid, true
}

func ptr[T any](v T) *T { return &v }
