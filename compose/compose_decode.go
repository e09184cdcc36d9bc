package compose

import (
	"sort"
	"strings"
)

// composeHandlers maps each compose service key (in the normalised v2 layout) to its decoder.
// env collects environment entries for later resolution (environment is handled with env_file).
func composeHandlers(s *ServiceConfig, d *decoder, env *[]kv) map[string]func(*node, string) {
	str := func(dst *string) func(*node, string) {
		return func(n *node, p string) { *dst = d.str(n, p) }
	}
	list := func(dst *[]string, single bool) func(*node, string) {
		return func(n *node, p string) { *dst = d.strList(n, p, single) }
	}
	boolean := func(dst *bool) func(*node, string) {
		return func(n *node, p string) { *dst = d.boolean(n, p) }
	}
	integer := func(dst *int64) func(*node, string) {
		return func(n *node, p string) { *dst = d.integer(n, p) }
	}
	mem := func(dst *int64) func(*node, string) {
		return func(n *node, p string) { *dst = d.memory(n, p) }
	}
	smap := func(dst *map[string]string) func(*node, string) {
		return func(n *node, p string) { *dst = d.stringMapSep(n, p, ":") }
	}
	return map[string]func(*node, string){
		"image":   str(&s.Image),
		"build":   func(n *node, p string) { s.Build = d.build(n, p) },
		"command": func(n *node, p string) { s.Command = d.command(n, p) },
		"entrypoint": func(n *node, p string) {
			s.Entrypoint = d.command(n, p)
		},
		"environment": func(n *node, p string) {
			if env != nil {
				*env = d.mapOrList(n, p, "=")
			}
		},
		"env_file": list(&s.EnvFile, true),
		"labels": func(n *node, p string) {
			s.Labels = map[string]string{}
			for _, x := range d.mapOrList(n, p, "=") {
				s.Labels[x.key] = x.value
			}
		},
		"ports":          func(n *node, p string) { s.Ports = d.ports(n, p) },
		"expose":         func(n *node, p string) { s.Expose = d.expose(n, p) },
		"links":          func(n *node, p string) { s.Links = d.colonList(n, p) },
		"external_links": list(&s.ExternalLinks, false),
		"depends_on": func(n *node, p string) {
			s.DependsOn, s.DependsOnConditions, s.DependsOnOptional = d.dependsOn(n, p)
		},
		"profiles":            list(&s.Profiles, false),
		"volumes":             func(n *node, p string) { s.Volumes = d.volumes(n, p) },
		"volumes_from":        list(&s.VolumesFrom, false),
		"volume_driver":       str(&s.VolumeDriver),
		"network_mode":        str(&s.NetworkMode),
		"networks":            func(n *node, p string) { s.Networks = d.networks(n, p) },
		"hostname":            str(&s.Hostname),
		"domainname":          str(&s.DomainName),
		"dns":                 list(&s.DNS, true),
		"dns_search":          list(&s.DNSSearch, true),
		"dns_opt":             list(&s.DNSOpt, false),
		"extra_hosts":         func(n *node, p string) { s.ExtraHosts = d.extraHosts(n, p) },
		"mac_address":         str(&s.MacAddress),
		"container_name":      str(&s.ContainerName),
		"cap_add":             list(&s.CapAdd, false),
		"cap_drop":            list(&s.CapDrop, false),
		"devices":             list(&s.Devices, false),
		"privileged":          boolean(&s.Privileged),
		"read_only":           boolean(&s.ReadOnly),
		"stdin_open":          boolean(&s.StdinOpen),
		"tty":                 boolean(&s.Tty),
		"user":                str(&s.User),
		"working_dir":         str(&s.WorkingDir),
		"security_opt":        list(&s.SecurityOpt, false),
		"group_add":           list(&s.GroupAdd, false),
		"pid":                 str(&s.Pid),
		"ipc":                 str(&s.Ipc),
		"uts":                 str(&s.Uts),
		"isolation":           str(&s.Isolation),
		"stop_signal":         str(&s.StopSignal),
		"restart":             func(n *node, p string) { s.Restart = d.restart(n, p) },
		"cgroup_parent":       str(&s.CgroupParent),
		"tmpfs":               list(&s.Tmpfs, true),
		"mem_limit":           mem(&s.MemLimit),
		"mem_reservation":     mem(&s.MemReservation),
		"memswap_limit":       mem(&s.MemSwapLimit),
		"mem_swappiness":      integer(&s.MemSwappiness),
		"shm_size":            mem(&s.ShmSize),
		"oom_kill_disable":    boolean(&s.OomKillDisable),
		"oom_score_adj":       integer(&s.OomScoreAdj),
		"cpu_shares":          integer(&s.CPUShares),
		"cpuset":              str(&s.CPUSet),
		"cpu_quota":           integer(&s.CPUQuota),
		"cpu_period":          integer(&s.CPUPeriod),
		"blkio_weight":        integer(&s.BlkioWeight),
		"blkio_weight_device": list(&s.BlkioWeightDevice, false),
		"device_read_bps":     smap(&s.DeviceReadBps),
		"device_read_iops":    smap(&s.DeviceReadIOps),
		"device_write_bps":    smap(&s.DeviceWriteBps),
		"device_write_iops":   smap(&s.DeviceWriteIOps),
		"logging":             func(n *node, p string) { s.Logging = d.logging(n, p) },
		"ulimits":             func(n *node, p string) { s.Ulimits = d.ulimits(n, p) },
		"healthcheck":         func(n *node, p string) { s.Healthcheck = d.healthcheck(n, p) },
		"deploy":              func(n *node, p string) { s.Deploy = d.deploy(n, p) },
	}
}

// build decodes v2 build: a context string or {context, dockerfile, args}.
func (d *decoder) build(n *node, path string) *Build {
	if n == nil || n.null {
		return nil
	}
	if n.kind == scalarNode {
		return &Build{Context: n.text()}
	}
	b := &Build{}
	unknown := d.fields(n, path, map[string]func(*node, string){
		"context":    func(n *node, p string) { b.Context = d.str(n, p) },
		"dockerfile": func(n *node, p string) { b.Dockerfile = d.str(n, p) },
		"args":       func(n *node, p string) { b.Args = d.stringMap(n, p) },
	})
	d.reportUnknownLenient(unknown, path)
	return b
}

// reportUnknownLenient warns about keys of nested compose objects this model does not keep.
func (d *decoder) reportUnknownLenient(unknown []*entry, path string) {
	for _, e := range unknown {
		d.diags.warnf(e.keyPos, joinPath(path, e.key), "%q is not used by Rancher; ignored", e.key)
	}
}

// ports decodes short ("8080:80") and long ({target, published, protocol}) port syntax and validates it.
func (d *decoder) ports(n *node, path string) []string {
	if n == nil || n.null {
		return nil
	}
	if n.kind != seqNode {
		d.wrongType(n, path, "a list of ports")
		return nil
	}
	var out []string
	for i, it := range n.items {
		p := indexPath(path, i)
		var spec string
		switch {
		case it == nil || it.null:
			d.wrongType(orNode(it, n), p, "a port")
			continue
		case it.kind == mapNode:
			spec = d.longPort(it, p)
		case it.kind == scalarNode:
			spec = it.text()
		default:
			d.wrongType(it, p, "a port")
			continue
		}
		if err := validatePort(spec); err != nil && !it.reported {
			if it.secret {
				err = errSecretValue
			}
			if it.blanked {
				d.diags.warnf(it.pos, p, "%v (after substituting an unset variable by a blank)", err)
				out = append(out, spec)
				continue
			}
			d.valueErrorf(it, p, "%v", err)
			continue
		}
		out = append(out, spec)
	}
	return out
}

func (d *decoder) longPort(n *node, path string) string {
	var target, published, protocol string
	unknown := d.fields(n, path, map[string]func(*node, string){
		"target":    func(n *node, p string) { target = d.str(n, p) },
		"published": func(n *node, p string) { published = d.str(n, p) },
		"protocol":  func(n *node, p string) { protocol = d.str(n, p) },
		"mode":      func(*node, string) {},
	})
	d.reportUnknownLenient(unknown, path)
	spec := target
	if published != "" {
		spec = published + ":" + target
	}
	if protocol != "" {
		spec += "/" + protocol
	}
	return spec
}

// volumes decodes short volume strings and long ({type, source, target, read_only}) syntax.
func (d *decoder) volumes(n *node, path string) []string {
	if n == nil || n.null {
		return nil
	}
	if n.kind != seqNode {
		d.wrongType(n, path, "a list of volumes")
		return nil
	}
	var out []string
	for i, it := range n.items {
		p := indexPath(path, i)
		if it != nil && it.kind == mapNode {
			var source, target string
			var ro bool
			unknown := d.fields(it, p, map[string]func(*node, string){
				"source":    func(n *node, p string) { source = d.str(n, p) },
				"target":    func(n *node, p string) { target = d.str(n, p) },
				"read_only": func(n *node, p string) { ro = d.boolean(n, p) },
				"type":      func(*node, string) {},
			})
			d.reportUnknownLenient(unknown, p)
			v := target
			if source != "" {
				v = source + ":" + target
			}
			if ro {
				v += ":ro"
			}
			out = append(out, v)
			continue
		}
		if it == nil || it.kind != scalarNode || it.null {
			d.wrongType(orNode(it, n), p, "a volume string")
			continue
		}
		out = append(out, it.text())
	}
	return out
}

// colonList decodes links/extra_hosts: a list, or a mapping rendered "key:value".
func (d *decoder) colonList(n *node, path string) []string {
	if n != nil && n.kind == mapNode {
		var out []string
		for _, x := range d.mapOrList(n, path, ":") {
			if x.hasValue {
				out = append(out, x.key+":"+x.value)
			} else {
				out = append(out, x.key)
			}
		}
		return out
	}
	return d.strList(n, path, false)
}

// dependsOn decodes a list of names or the 2.1+ mapping of name → {condition}; conditions are kept only
// for the mapping form, and an unknown condition is an error.
func (d *decoder) dependsOn(n *node, path string) ([]string, map[string]string, []string) {
	if n == nil || n.kind != mapNode {
		return d.strList(n, path, false), nil, nil
	}
	var out, optional []string
	conds := map[string]string{}
	for _, e := range n.entries {
		out = append(out, e.key)
		conds[e.key] = ConditionStarted
		p := joinPath(path, e.key)
		if e.value == nil || e.value.null {
			continue
		}
		unknown := d.fields(e.value, p, map[string]func(*node, string){
			"condition": func(n *node, p string) { conds[e.key] = d.condition(n, p) },
			"restart":   func(*node, string) {},
			"required": func(n *node, p string) {
				if !d.boolean(n, p) {
					optional = append(optional, e.key)
				}
			},
		})
		d.reportUnknownLenient(unknown, p)
	}
	return out, conds, optional
}

// condition decodes a depends_on condition.
func (d *decoder) condition(n *node, path string) string {
	c := d.str(n, path)
	switch c {
	case ConditionStarted, ConditionHealthy, ConditionCompleted:
		return c
	}
	if n != nil {
		d.diags.errorf(n.pos, path, "unknown depends_on condition %q (expected %s, %s or %s)", c, ConditionStarted, ConditionHealthy, ConditionCompleted)
	}
	return ConditionStarted
}

// networks decodes a list of names or a mapping of name → options (the names are kept).
func (d *decoder) networks(n *node, path string) []string {
	if n != nil && n.kind == mapNode {
		var out []string
		for _, e := range n.entries {
			out = append(out, e.key)
		}
		sort.Strings(out)
		return out
	}
	return d.strList(n, path, false)
}

func (d *decoder) logging(n *node, path string) *Logging {
	if n == nil || n.null {
		return nil
	}
	l := &Logging{}
	unknown := d.fields(n, path, map[string]func(*node, string){
		"driver":  func(n *node, p string) { l.Driver = d.str(n, p) },
		"options": func(n *node, p string) { l.Options = d.stringMap(n, p) },
	})
	d.reportUnknownLenient(unknown, path)
	return l
}

func (d *decoder) ulimits(n *node, path string) map[string]*Ulimit {
	if n == nil || n.null {
		return nil
	}
	if n.kind != mapNode {
		d.wrongType(n, path, "a mapping of ulimits")
		return nil
	}
	out := map[string]*Ulimit{}
	for _, e := range n.entries {
		p := joinPath(path, e.key)
		if e.value != nil && e.value.kind == mapNode {
			u := &Ulimit{}
			unknown := d.fields(e.value, p, map[string]func(*node, string){
				"soft": func(n *node, p string) { u.Soft = d.integer(n, p) },
				"hard": func(n *node, p string) { u.Hard = d.integer(n, p) },
			})
			d.reportUnknownLenient(unknown, p)
			out[e.key] = u
			continue
		}
		v := d.integer(e.value, p)
		out[e.key] = &Ulimit{Soft: v, Hard: v, Single: true}
	}
	return out
}

func (d *decoder) healthcheck(n *node, path string) *Healthcheck {
	if n == nil || n.null {
		return nil
	}
	h := &Healthcheck{}
	unknown := d.fields(n, path, map[string]func(*node, string){
		"test": func(n *node, p string) {
			if n != nil && n.kind == scalarNode {
				h.Test = []string{"CMD-SHELL", n.text()}
				return
			}
			h.Test = d.strList(n, p, false)
		},
		"interval":     func(n *node, p string) { h.Interval = d.duration(n, p) },
		"timeout":      func(n *node, p string) { h.Timeout = d.duration(n, p) },
		"retries":      func(n *node, p string) { h.Retries = d.integer(n, p) },
		"start_period": func(n *node, p string) { h.StartPeriod = d.duration(n, p) },
		"disable":      func(n *node, p string) { h.Disable = d.boolean(n, p) },
	})
	d.reportUnknownLenient(unknown, path)
	d.diags.warnf(n.pos, path, "compose healthcheck is kept in the model but Rancher 1.x runs only rancher-compose health_check checks")
	return h
}

func (d *decoder) warnUnhonoured(entries []*entry, path string) {
	for _, e := range entries {
		d.diags.warnf(e.keyPos, joinPath(path, e.key), "%q is accepted but Rancher cannot honour it; ignored", e.key)
	}
}

// trimLinkName returns the service part of a "name[:alias]" link, trimmed.
func trimLinkName(link string) string {
	name, _, _ := strings.Cut(link, ":")
	return strings.TrimSpace(name)
}
