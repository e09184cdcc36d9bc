package launchconfig

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// legacyLBImage is the compose image that marks a legacy (Rancher 1.1-style) load balancer.
const legacyLBImage = "rancher/load-balancer-service"

// NewInspectDocument builds the body of POST /scripts/transform for one launch config, as libcompose's
// Convert did for the original. lbImage replaces the image of a legacy load balancer (the server's
// lb.instance.image setting); it is ignored for other services.
func NewInspectDocument(p *compose.Project, s *compose.Service, lbImage string) (*InspectDocument, error) {
	c := &s.Compose
	image, labels := c.Image, c.Labels
	if image == legacyLBImage {
		image, labels = lbImage, withoutLegacyLBLabels(labels)
	}
	exposed, bindings, err := dockerPorts(c.Ports, c.Expose)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	devices, err := dockerDevices(c.Devices)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	restart, err := restartPolicy(c.Restart)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	throttles, err := blkioThrottles(c)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	weights, err := blkioWeightDevices(c.BlkioWeightDevice)
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", s.Name, err)
	}
	binds, volumes := splitVolumes(c.Volumes)
	swappiness, oomKillDisable := c.MemSwappiness, c.OomKillDisable
	doc := &InspectDocument{
		Name: "/" + s.Name,
		Config: &Config{
			Hostname:     c.Hostname,
			Domainname:   c.DomainName,
			User:         c.User,
			ExposedPorts: exposed,
			Tty:          c.Tty,
			OpenStdin:    c.StdinOpen,
			Env:          envList(c.Environment, s.IsSidekick()),
			Cmd:          copyStrings(c.Command),
			Image:        image,
			Volumes:      volumes,
			WorkingDir:   c.WorkingDir,
			Entrypoint:   copyStrings(c.Entrypoint),
			MacAddress:   c.MacAddress,
			Labels:       copyLabels(labels),
			StopSignal:   c.StopSignal,
		},
		HostConfig: &HostConfig{
			Binds:          binds,
			LogConfig:      logConfig(c.Logging),
			PortBindings:   bindings,
			RestartPolicy:  restart,
			VolumeDriver:   c.VolumeDriver,
			VolumesFrom:    volumesFrom(p, c.VolumesFrom),
			CapAdd:         copyStrings(c.CapAdd),
			CapDrop:        copyStrings(c.CapDrop),
			DNS:            copyStrings(c.DNS),
			DNSOptions:     copyStrings(c.DNSOpt),
			DNSSearch:      copyStrings(c.DNSSearch),
			ExtraHosts:     copyStrings(c.ExtraHosts),
			GroupAdd:       c.GroupAdd,
			IpcMode:        c.Ipc,
			OomScoreAdj:    c.OomScoreAdj,
			PidMode:        c.Pid,
			Privileged:     c.Privileged,
			ReadonlyRootfs: c.ReadOnly,
			SecurityOpt:    copyStrings(c.SecurityOpt),
			Tmpfs:          tmpfs(c.Tmpfs),
			UTSMode:        c.Uts,
			ShmSize:        c.ShmSize,
			Isolation:      c.Isolation,
			Resources: Resources{
				CPUShares:            c.CPUShares,
				Memory:               c.MemLimit,
				CgroupParent:         c.CgroupParent,
				BlkioWeight:          c.BlkioWeight,
				BlkioWeightDevice:    weights,
				BlkioDeviceReadBps:   throttles[0],
				BlkioDeviceWriteBps:  throttles[1],
				BlkioDeviceReadIOps:  throttles[2],
				BlkioDeviceWriteIOps: throttles[3],
				CPUPeriod:            c.CPUPeriod,
				CPUQuota:             c.CPUQuota,
				CpusetCpus:           c.CPUSet,
				Devices:              devices,
				MemoryReservation:    c.MemReservation,
				MemorySwap:           c.MemSwapLimit,
				MemorySwappiness:     &swappiness,
				OomKillDisable:       &oomKillDisable,
				Ulimits:              ulimits(c.Ulimits),
			},
		},
	}
	return doc, nil
}

// withoutLegacyLBLabels drops the labels a legacy load balancer's own config is made of.
func withoutLegacyLBLabels(labels map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range labels {
		if !strings.HasPrefix(k, "io.rancher.loadbalancer") && !strings.HasPrefix(k, "io.rancher.service.selector") {
			out[k] = v
		}
	}
	return out
}

// envList renders the environment as KEY=VALUE. The original sent [] for a primary without environment
// and null for a sidekick without one (it read sidekick configs before libcompose filled the list in).
func envList(env map[string]string, sidekick bool) []string {
	if len(env) == 0 {
		if sidekick {
			return nil
		}
		return []string{}
	}
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k + "=" + env[k]
	}
	return out
}

func copyStrings(in []string) []string {
	if in == nil {
		return nil
	}
	return append([]string{}, in...)
}

func copyLabels(in map[string]string) map[string]string {
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	return out
}

// splitVolumes separates host binds and named volumes ("a:b") from anonymous volumes ("/data"), as
// libcompose did: it parses SOURCE:DEST[:MODE], and a volume whose source is empty (a bare path, or
// ":/data" left by a blank variable) is anonymous, at its destination.
func splitVolumes(vols []string) (binds []string, volumes map[string]struct{}) {
	binds, volumes = []string{}, map[string]struct{}{}
	for _, v := range vols {
		parts := strings.SplitN(v, ":", 3)
		switch {
		case len(parts) == 1 && v != "":
			volumes[v] = struct{}{}
		case len(parts) > 1 && parts[0] == "":
			volumes[parts[1]] = struct{}{}
		case len(parts) > 1:
			binds = append(binds, v)
		}
	}
	return binds, volumes
}

// volumesFrom names project services by their first container (<project>_<service>_1, or the service's
// container_name) and passes anything else through.
func volumesFrom(p *compose.Project, from []string) []string {
	if from == nil {
		return nil
	}
	out := []string{}
	for _, name := range from {
		if s := p.Service(name); s != nil {
			if s.Compose.ContainerName != "" {
				out = append(out, s.Compose.ContainerName)
			} else {
				out = append(out, fmt.Sprintf("%s_%s_1", p.Name, name))
			}
			continue
		}
		out = append(out, name)
	}
	return out
}

func logConfig(l *compose.Logging) LogConfig {
	if l == nil {
		return LogConfig{}
	}
	lc := LogConfig{Type: l.Driver}
	if l.Options != nil {
		lc.Config = make(map[string]string, len(l.Options))
		for k, v := range l.Options {
			lc.Config[k] = v
		}
	}
	return lc
}

// restartPolicy parses restart like Docker's opts.ParseRestartPolicy: name[:maximum retry count].
func restartPolicy(policy string) (RestartPolicy, error) {
	if policy == "" {
		return RestartPolicy{}, nil
	}
	name, count, hasCount := strings.Cut(policy, ":")
	p := RestartPolicy{Name: name}
	switch name {
	case "always", "unless-stopped":
		if hasCount {
			return p, fmt.Errorf("restart: maximum retry count cannot be used with restart policy '%s'", name)
		}
	case "no":
	case "on-failure":
		if hasCount {
			n, err := strconv.Atoi(count)
			if err != nil {
				return p, fmt.Errorf("restart: maximum retry count must be an integer, got %q", count)
			}
			p.MaximumRetryCount = n
		}
	default:
		return p, fmt.Errorf("restart: invalid restart policy %q", name)
	}
	return p, nil
}

func tmpfs(paths []string) map[string]string {
	if len(paths) == 0 {
		return nil
	}
	out := map[string]string{}
	for _, p := range paths {
		dir, opts, _ := strings.Cut(p, ":")
		out[dir] = opts
	}
	return out
}

func ulimits(in map[string]*compose.Ulimit) []Ulimit {
	out := []Ulimit{}
	names := make([]string, 0, len(in))
	for n := range in {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if u := in[n]; u != nil {
			out = append(out, Ulimit{Name: n, Soft: u.Soft, Hard: u.Hard})
		}
	}
	return out
}
