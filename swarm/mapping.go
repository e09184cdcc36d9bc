package swarm

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/moby/moby/api/types/mount"
	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// Labels docker stack deploy sets, so `docker stack ls/ps/services` show what we deployed.
const (
	LabelNamespace = "com.docker.stack.namespace"
	labelImage     = "com.docker.stack.image"
)

// MapOptions are the deploy settings that shape the specs beyond the project files.
type MapOptions struct {
	// BatchSize and Interval are --batch-size and --interval; they win over upgrade_strategy when set (>0).
	BatchSize int64
	Interval  time.Duration
	// Monitor is how long Swarm watches each new task for failure (default 5s).
	Monitor time.Duration
	// ProbePath is the host path of the static probe binary bind-mounted into containers whose
	// rancher-compose health_check is turned into a container health check ("" = none available).
	ProbePath string
	// ProbeArgs are the arguments before "http"/"tcp" (e.g. "healthprobe" when the probe is this tool).
	ProbeArgs []string
	// ProbeProblem says why no probe is available, for the error of a health_check that needs one.
	ProbeProblem string
}

// Desired is one service as the project wants it on Swarm.
type Desired struct {
	// Name is the compose service name; Spec.Name is "<stack>_<name>".
	Name string
	Spec swarmtypes.ServiceSpec
	// Hash identifies Spec without the replica count and our records: equal hashes mean nothing to update.
	Hash string
	// HasHealthCheck is true when tasks have a container health check (so running means healthy).
	HasHealthCheck bool
	// Gates are its depends_on entries with their conditions; Needs every service it waits for (links and
	// depends_on together: the edges of the waves).
	Gates []compose.Gate
	Needs []string
}

// Replicas is the desired replica count, or -1 for a global service.
func (d *Desired) Replicas() int64 {
	if d.Spec.Mode.Replicated == nil || d.Spec.Mode.Replicated.Replicas == nil {
		return -1
	}
	return int64(*d.Spec.Mode.Replicated.Replicas)
}

// Warning is something in the project that Swarm cannot honour (exit 2 under --strict).
type Warning struct {
	Service string
	Key     string
	Text    string
}

func (w Warning) String() string {
	if w.Service == "" {
		return fmt.Sprintf("%s: %s (engine swarm)", w.Key, w.Text)
	}
	return fmt.Sprintf("%s: %s: %s (engine swarm)", w.Service, w.Key, w.Text)
}

// DesiredStack is a whole project mapped to Swarm.
type DesiredStack struct {
	Stack string
	// Network is the stack's overlay network, "<stack>_default"; ExternalNetworks are other stacks'
	// networks that external_links need.
	Network          string
	ExternalNetworks []string
	Services         []*Desired
	Warnings         []Warning
	// Secrets are the values of the project's secret-looking variables, never printed in diffs.
	Secrets []string
	// Disabled are the services the active profiles left out: defined in the files, so never orphans.
	Disabled []string
}

// Service returns the desired service named name (compose name), or nil.
func (d *DesiredStack) Service(name string) *Desired {
	for _, s := range d.Services {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// mapper holds the state of one Map.
type mapper struct {
	p        *compose.Project
	o        MapOptions
	out      *DesiredStack
	problems []string
	once     map[string][]string // key → services, for warnings said once per project
}

// Map turns a loaded project into Swarm service specs. It talks to nothing; problems that make a deploy
// impossible are returned together as a *MappingError (exit 2).
func Map(p *compose.Project, o MapOptions) (*DesiredStack, error) {
	if o.Monitor <= 0 {
		o.Monitor = 5 * time.Second
	}
	m := &mapper{p: p, o: o, once: map[string][]string{}, out: &DesiredStack{Stack: p.Name, Network: p.Name + "_default", Secrets: p.SecretValues(), Disabled: p.Disabled}}
	aliases := m.aliases()
	for _, s := range p.Services {
		if d := m.service(s, aliases[s.Name]); d != nil {
			m.out.Services = append(m.out.Services, d)
		}
	}
	m.sayOnce()
	if len(m.problems) > 0 {
		return nil, &MappingError{Problems: m.problems}
	}
	return m.out, nil
}

func (m *mapper) warn(svc, key, format string, args ...any) {
	m.out.Warnings = append(m.out.Warnings, Warning{Service: svc, Key: key, Text: fmt.Sprintf(format, args...)})
}

func (m *mapper) problem(svc, key, format string, args ...any) {
	m.problems = append(m.problems, fmt.Sprintf("%s: %s: %s", svc, key, fmt.Sprintf(format, args...)))
}

// noteOnce records a key whose loss is said once for the whole project.
func (m *mapper) noteOnce(key, svc string) { m.once[key] = append(m.once[key], svc) }

var onceTexts = map[string]string{
	"health_check.healthy_threshold":      "has no Swarm equivalent: a task is healthy after one successful probe",
	"health_check.strategy":               "has no Swarm equivalent: Swarm always replaces an unhealthy task (recreate)",
	"health_check.reinitializing_timeout": "has no Swarm equivalent; ignored",
}

func (m *mapper) sayOnce() {
	keys := make([]string, 0, len(m.once))
	for k := range m.once {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.warn("", k, "(%s) %s", strings.Join(m.once[k], ", "), onceTexts[k])
	}
}

// service maps one compose service; nil when it is skipped.
func (m *mapper) service(s *compose.Service, aliases []string) *Desired {
	if skip := m.skipped(s); skip {
		return nil
	}
	c := s.Compose
	if c.Image == "" {
		m.problem(s.Name, "image", "Swarm runs images only; build %q and tag it, then set image:", s.Name)
		return nil
	}
	cs := m.containerSpec(s)
	spec := swarmtypes.ServiceSpec{
		Annotations: swarmtypes.Annotations{Name: m.p.Name + "_" + s.Name, Labels: m.serviceLabels(s)},
		TaskTemplate: swarmtypes.TaskSpec{
			ContainerSpec: cs,
			Resources:     m.resources(s),
			RestartPolicy: m.restartPolicy(s),
			Placement:     m.placement(s),
			Networks:      m.networks(s, aliases),
			LogDriver:     logDriver(c.Logging),
		},
		Mode:         m.mode(s),
		UpdateConfig: m.updateConfig(s),
		EndpointSpec: m.endpoint(s),
	}
	rb := *spec.UpdateConfig
	spec.RollbackConfig = &rb
	d := &Desired{Name: s.Name, Spec: spec, HasHealthCheck: cs.Healthcheck != nil && !isNoHealthcheck(cs.Healthcheck.Test),
		Gates: m.p.Gates(s), Needs: s.Needs()}
	m.checkGates(s.Name, d.Gates)
	d.Hash = specHash(spec)
	return d
}

// checkGates warns about a service_completed_successfully gate on a service Swarm restarts: its tasks never
// complete, so the dependent would wait until --timeout.
func (m *mapper) checkGates(name string, gates []compose.Gate) {
	for _, g := range gates {
		dep := m.p.Service(g.Service)
		if g.Condition == compose.ConditionCompleted && dep != nil && m.restartPolicy(dep).Condition != swarmtypes.RestartPolicyConditionNone {
			m.warn(name, "depends_on."+g.Service, "service_completed_successfully needs %s to be a job (restart: \"no\"): Swarm restarts its tasks, so they never complete and %s would wait until --timeout", g.Service, name)
		}
	}
}

// skipped says (and warns) when a service has no place on Swarm.
func (m *mapper) skipped(s *compose.Service) bool {
	if isLoadBalancer(s) {
		m.warn(s.Name, "lb_config", "Rancher load balancers have no meaning on swarm; not deployed (run a proxy service with host-mode ports instead)")
		return true
	}
	if s.Rancher != nil && (len(s.Rancher.ExternalIPs) > 0 || s.Rancher.Hostname != "") {
		m.warn(s.Name, "external_ips", "Rancher external services have no meaning on swarm; not deployed")
		return true
	}
	if s.IsSidekick() {
		m.warn(s.Name, "io.rancher.sidekicks", "sidekicks have no meaning on swarm (no shared network namespace or volumes); deployed as a separate service beside %s", s.SidekickOf)
	}
	return false
}

func isLoadBalancer(s *compose.Service) bool {
	if s.Rancher != nil && (s.Rancher.LBConfig != nil || s.Rancher.LoadBalancerConfig != nil) {
		return true
	}
	return strings.HasPrefix(s.Compose.Image, "rancher/lb-service-haproxy")
}

// serviceLabels are the service's own labels: stack namespace and image, as docker stack deploy sets.
func (m *mapper) serviceLabels(s *compose.Service) map[string]string {
	return map[string]string{LabelNamespace: m.p.Name, labelImage: s.Compose.Image}
}

func (m *mapper) containerSpec(s *compose.Service) *swarmtypes.ContainerSpec {
	c := s.Compose
	labels := map[string]string{LabelNamespace: m.p.Name}
	for k, v := range c.Labels {
		labels[k] = v
	}
	cs := &swarmtypes.ContainerSpec{
		Image:          c.Image,
		Labels:         labels,
		Command:        c.Entrypoint,
		Args:           c.Command,
		Hostname:       c.Hostname,
		Env:            envList(c.Environment),
		Dir:            c.WorkingDir,
		User:           c.User,
		Groups:         c.GroupAdd,
		StopSignal:     c.StopSignal,
		TTY:            c.Tty,
		OpenStdin:      c.StdinOpen,
		ReadOnly:       c.ReadOnly,
		Mounts:         m.mounts(s),
		Hosts:          hostsList(c.ExtraHosts),
		DNSConfig:      m.dnsConfig(s),
		CapabilityAdd:  c.CapAdd,
		CapabilityDrop: c.CapDrop,
		Ulimits:        ulimits(c.Ulimits),
	}
	cs.Healthcheck = m.healthcheck(s)
	m.unsupported(s)
	return cs
}

// unsupported warns about container settings a Swarm service cannot carry (as docker stack deploy ignores them).
func (m *mapper) unsupported(s *compose.Service) {
	c := s.Compose
	for key, set := range map[string]bool{
		"privileged": c.Privileged, "devices": len(c.Devices) > 0, "network_mode": c.NetworkMode != "",
		"pid": c.Pid != "", "ipc": c.Ipc != "", "uts": c.Uts != "", "volumes_from": len(c.VolumesFrom) > 0,
		"cgroup_parent": c.CgroupParent != "", "mac_address": c.MacAddress != "", "container_name": c.ContainerName != "",
		"security_opt": len(c.SecurityOpt) > 0, "cpu_shares": c.CPUShares != 0, "cpuset": c.CPUSet != "",
		"cpu_quota": c.CPUQuota != 0, "memswap_limit": c.MemSwapLimit != 0, "mem_swappiness": c.MemSwappiness != 0,
		"shm_size": c.ShmSize != 0, "oom_kill_disable": c.OomKillDisable, "domainname": c.DomainName != "",
		"volume_driver": c.VolumeDriver != "", "blkio_weight": c.BlkioWeight != 0, "networks": len(c.Networks) > 0,
	} {
		if set {
			m.warn(s.Name, key, "not supported by Swarm services (API %s); ignored", MaxAPIVersion)
		}
	}
	if c.OomScoreAdj != 0 {
		m.warn(s.Name, "oom_score_adj", "needs Engine API 1.46 (this engine speaks %s, whose daemons drop it silently); ignored", MaxAPIVersion)
	}
	if s.Rancher != nil && s.Rancher.RetainIP {
		m.warn(s.Name, "retain_ip", "has no meaning on swarm: task IPs are not retained")
	}
	if s.Rancher != nil && len(s.Rancher.Metadata) > 0 {
		m.warn(s.Name, "metadata", "has no meaning on swarm: there is no metadata service")
	}
	if s.Rancher != nil && s.Rancher.ScalePolicy != nil {
		m.warn(s.Name, "scale_policy", "has no meaning on swarm; ignored")
	}
}

func (m *mapper) resources(s *compose.Service) *swarmtypes.ResourceRequirements {
	c := s.Compose
	if c.MemLimit == 0 && c.MemReservation == 0 {
		return nil
	}
	r := &swarmtypes.ResourceRequirements{}
	if c.MemLimit > 0 {
		r.Limits = &swarmtypes.Limit{MemoryBytes: c.MemLimit}
	}
	if c.MemReservation > 0 {
		r.Reservations = &swarmtypes.Resources{MemoryBytes: c.MemReservation}
	}
	return r
}

func (m *mapper) restartPolicy(s *compose.Service) *swarmtypes.RestartPolicy {
	switch strings.SplitN(s.Compose.Restart, ":", 2)[0] {
	case "no":
		return &swarmtypes.RestartPolicy{Condition: swarmtypes.RestartPolicyConditionNone}
	case "on-failure":
		return &swarmtypes.RestartPolicy{Condition: swarmtypes.RestartPolicyConditionOnFailure}
	}
	return &swarmtypes.RestartPolicy{Condition: swarmtypes.RestartPolicyConditionAny}
}

// mode is replicated with the configured scale (rancher-compose scale, else deploy.replicas), or global
// for io.rancher.scheduler.global (which deploy.mode: global sets too).
func (m *mapper) mode(s *compose.Service) swarmtypes.ServiceMode {
	if strings.EqualFold(s.Compose.Labels["io.rancher.scheduler.global"], "true") {
		return swarmtypes.ServiceMode{Global: &swarmtypes.GlobalService{}}
	}
	n := uint64(s.Scale())
	return swarmtypes.ServiceMode{Replicated: &swarmtypes.ReplicatedService{Replicas: &n}}
}

// updateConfig maps upgrade_strategy, completed by deploy.update_config (flags winning over both).
// FailureAction is always pause: whether a failed upgrade is rolled back is ours to decide (--atomic,
// rollback), never Swarm's.
func (m *mapper) updateConfig(s *compose.Service) *swarmtypes.UpdateConfig {
	u := &swarmtypes.UpdateConfig{Parallelism: 1, Delay: 0, FailureAction: swarmtypes.UpdateFailureActionPause,
		Monitor: m.o.Monitor, Order: swarmtypes.UpdateOrderStopFirst}
	if us := s.UpgradeStrategy(); us != nil {
		if us.BatchSize > 0 {
			u.Parallelism = uint64(us.BatchSize)
		}
		if us.IntervalMillis > 0 {
			u.Delay = time.Duration(us.IntervalMillis) * time.Millisecond
		}
		if us.StartFirst {
			u.Order = swarmtypes.UpdateOrderStartFirst
		}
	}
	if m.o.BatchSize > 0 {
		u.Parallelism = uint64(m.o.BatchSize)
	}
	if m.o.Interval > 0 {
		u.Delay = m.o.Interval
	}
	return u
}

func (m *mapper) endpoint(s *compose.Service) *swarmtypes.EndpointSpec {
	return &swarmtypes.EndpointSpec{Mode: swarmtypes.ResolutionModeDNSRR, Ports: m.ports(s)}
}

func envList(env map[string]string) []string {
	if len(env) == 0 {
		return nil
	}
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// hostsList turns extra_hosts "name:ip" into hosts(5) lines "ip name".
func hostsList(extra []string) []string {
	var out []string
	for _, h := range extra {
		name, ip, ok := strings.Cut(h, ":")
		if !ok {
			continue
		}
		out = append(out, strings.TrimSpace(ip)+" "+strings.TrimSpace(name))
	}
	return out
}

func logDriver(l *compose.Logging) *swarmtypes.Driver {
	if l == nil || l.Driver == "" {
		return nil
	}
	return &swarmtypes.Driver{Name: l.Driver, Options: l.Options}
}

// mountType picks bind for paths and volume for names.
func mountType(source string) mount.Type {
	if strings.HasPrefix(source, "/") || strings.HasPrefix(source, ".") || strings.HasPrefix(source, "~") {
		return mount.TypeBind
	}
	return mount.TypeVolume
}
