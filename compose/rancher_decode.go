package compose

import (
	"strings"
)

// rancherHandlers maps each rancher-compose service key to its decoder.
func rancherHandlers(r *RancherConfig, d *decoder) map[string]func(*node, string) {
	return map[string]func(*node, string){
		"scale": func(n *node, p string) {
			r.Scale = d.optInteger(n, p)
			d.checkScale(n, p, r.Scale)
		},
		"health_check":     func(n *node, p string) { r.HealthCheck = d.healthCheck(n, p) },
		"upgrade_strategy": func(n *node, p string) { r.UpgradeStrategy = d.upgradeStrategy(n, p) },
		"retain_ip":        func(n *node, p string) { r.RetainIP = d.boolean(n, p) },
		"metadata":         func(n *node, p string) { r.Metadata = d.anyMap(n, p) },
		"scale_policy":     func(n *node, p string) { r.ScalePolicy = d.scalePolicy(n, p) },
		"external_ips":     func(n *node, p string) { r.ExternalIPs = d.rstrList(n, p) },
		"hostname":         func(n *node, p string) { r.Hostname = d.rstr(n, p) },
		"lb_config":        func(n *node, p string) { r.LBConfig = d.lbConfig(n, p) },
		"load_balancer_config": func(n *node, p string) {
			r.LoadBalancerConfig = d.loadBalancerConfig(n, p)
		},
		"default_cert":    func(n *node, p string) { r.DefaultCert = d.rstr(n, p) },
		"certs":           func(n *node, p string) { r.Certs = d.rstrList(n, p) },
		"type":            func(n *node, p string) { r.Type = normaliseKind(d.rstr(n, p)) },
		"vcpu":            func(n *node, p string) { r.Vcpu = d.integer(n, p) },
		"memory":          func(n *node, p string) { r.Memory = d.integer(n, p) },
		"userdata":        func(n *node, p string) { r.Userdata = d.rstr(n, p) },
		"disks":           func(n *node, p string) { r.Disks = d.disks(n, p) },
		"storage_driver":  func(n *node, p string) { r.StorageDriver = d.anyMap(n, p) },
		"network_driver":  func(n *node, p string) { r.NetworkDriver = d.anyMap(n, p) },
		"service_schemas": func(n *node, p string) { r.ServiceSchemas = d.anyMap(n, p) },
		"start_on_create": func(n *node, p string) { r.StartOnCreate = d.boolean(n, p) },
		"update_strategy": func(*node, string) {},
	}
}

// normaliseKind maps virtual_machine/virtualmachine (any case) to "virtualMachine", as the original did.
func normaliseKind(t string) string {
	switch strings.ToLower(t) {
	case "virtual_machine", "virtualmachine":
		return "virtualMachine"
	}
	return t
}

// nonNegative is an integer that must be ≥ 0.
func (d *decoder) nonNegative(n *node, path string) int64 {
	v := d.integer(n, path)
	if v < 0 {
		d.diags.errorf(n.pos, path, "must not be negative, got %d", v)
	}
	return v
}

// port is an integer port number in 0-65535.
func (d *decoder) port(n *node, path string) int64 {
	v := d.integer(n, path)
	if v < 0 || v > 65535 {
		d.diags.errorf(n.pos, path, "port %d is outside 0-65535", v)
	}
	return v
}

// rstrList is a []string field of the rancher config (each element's yaml.v2 text).
func (d *decoder) rstrList(n *node, path string) []string {
	if n == nil || n.null {
		return nil
	}
	if n.kind != seqNode {
		d.wrongType(n, path, "a list")
		return nil
	}
	out := make([]string, 0, len(n.items))
	for i, it := range n.items {
		out = append(out, d.rstr(it, indexPath(path, i)))
	}
	return out
}

// sub decodes a nested rancher object, reporting unknown keys as warnings.
func (d *decoder) sub(n *node, path string, h map[string]func(*node, string)) bool {
	if n == nil || n.null {
		return false
	}
	if n.kind != mapNode {
		d.wrongType(n, path, "a mapping")
		return false
	}
	unknown := d.fields(n, path, h)
	d.reportUnknown(unknown, path, keysOf(h), d.strict, "rancher-compose")
	return true
}

func (d *decoder) healthCheck(n *node, path string) *HealthCheck {
	h := &HealthCheck{}
	i := func(dst *int64) func(*node, string) { return func(n *node, p string) { *dst = d.integer(n, p) } }
	s := func(dst *string) func(*node, string) { return func(n *node, p string) { *dst = d.rstr(n, p) } }
	ok := d.sub(n, path, map[string]func(*node, string){
		"port":                   func(n *node, p string) { h.Port = d.port(n, p) },
		"interval":               i(&h.Interval),
		"healthy_threshold":      i(&h.HealthyThreshold),
		"unhealthy_threshold":    i(&h.UnhealthyThreshold),
		"response_timeout":       i(&h.ResponseTimeout),
		"request_line":           s(&h.RequestLine),
		"initializing_timeout":   i(&h.InitializingTimeout),
		"reinitializing_timeout": i(&h.ReinitializingTimeout),
		"strategy": func(n *node, p string) {
			h.Strategy = d.rstr(n, p)
			d.oneOf(n, p, h.Strategy, "recreate", "recreateOnQuorum", "none")
		},
		"name": s(&h.Name),
		"recreate_on_quorum_strategy_config": func(n *node, p string) {
			q := &RecreateOnQuorumStrategyConfig{}
			if d.sub(n, p, map[string]func(*node, string){"quorum": i(&q.Quorum)}) {
				h.RecreateOnQuorumStrategyConfig = q
			}
		},
	})
	if !ok {
		return nil
	}
	return h
}

func (d *decoder) upgradeStrategy(n *node, path string) *UpgradeStrategy {
	u := &UpgradeStrategy{}
	ok := d.sub(n, path, map[string]func(*node, string){
		"start_first":     func(n *node, p string) { u.StartFirst = d.boolean(n, p) },
		"batch_size":      func(n *node, p string) { u.BatchSize = d.nonNegative(n, p) },
		"interval_millis": func(n *node, p string) { u.IntervalMillis = d.nonNegative(n, p) },
	})
	if !ok {
		return nil
	}
	return u
}

func (d *decoder) scalePolicy(n *node, path string) *ScalePolicy {
	s := &ScalePolicy{}
	i := func(dst *int64) func(*node, string) { return func(n *node, p string) { *dst = d.integer(n, p) } }
	if !d.sub(n, path, map[string]func(*node, string){"min": i(&s.Min), "max": i(&s.Max), "increment": i(&s.Increment)}) {
		return nil
	}
	return s
}

func (d *decoder) stickiness(n *node, path string) *StickinessPolicy {
	s := &StickinessPolicy{}
	str := func(dst *string) func(*node, string) { return func(n *node, p string) { *dst = d.rstr(n, p) } }
	b := func(dst *bool) func(*node, string) { return func(n *node, p string) { *dst = d.boolean(n, p) } }
	if !d.sub(n, path, map[string]func(*node, string){
		"name": str(&s.Name), "cookie": str(&s.Cookie), "domain": str(&s.Domain), "mode": str(&s.Mode),
		"indirect": b(&s.Indirect), "nocache": b(&s.Nocache), "postonly": b(&s.Postonly),
	}) {
		return nil
	}
	return s
}

func (d *decoder) lbConfig(n *node, path string) *LBConfig {
	l := &LBConfig{}
	ok := d.sub(n, path, map[string]func(*node, string){
		"certs":             func(n *node, p string) { l.Certs = d.rstrList(n, p) },
		"default_cert":      func(n *node, p string) { l.DefaultCert = d.rstr(n, p) },
		"config":            func(n *node, p string) { l.Config = d.rstr(n, p) },
		"stickiness_policy": func(n *node, p string) { l.StickinessPolicy = d.stickiness(n, p) },
		"port_rules":        func(n *node, p string) { l.PortRules = d.portRules(n, p) },
	})
	if !ok {
		return nil
	}
	return l
}

func (d *decoder) portRules(n *node, path string) []PortRule {
	if n == nil || n.null {
		return nil
	}
	if n.kind != seqNode {
		d.wrongType(n, path, "a list of port rules")
		return nil
	}
	var out []PortRule
	for idx, it := range n.items {
		r := PortRule{}
		i := func(dst *int64) func(*node, string) { return func(n *node, p string) { *dst = d.integer(n, p) } }
		s := func(dst *string) func(*node, string) { return func(n *node, p string) { *dst = d.rstr(n, p) } }
		p := indexPath(path, idx)
		port := func(dst *int64) func(*node, string) { return func(n *node, p string) { *dst = d.port(n, p) } }
		if !d.sub(orNode(it, n), p, map[string]func(*node, string){
			"source_port": port(&r.SourcePort), "target_port": port(&r.TargetPort), "priority": i(&r.Priority),
			"protocol": func(n *node, p string) {
				r.Protocol = d.rstr(n, p)
				d.oneOf(n, p, r.Protocol, "http", "https", "tcp", "udp", "tls", "sni")
			},
			"path": s(&r.Path), "hostname": s(&r.Hostname), "service": s(&r.Service),
			"backend_name": s(&r.BackendName), "selector": s(&r.Selector),
		}) {
			continue
		}
		out = append(out, r)
	}
	return out
}

func (d *decoder) loadBalancerConfig(n *node, path string) *LoadBalancerConfig {
	l := &LoadBalancerConfig{}
	ok := d.sub(n, path, map[string]func(*node, string){
		"haproxy_config": func(n *node, p string) {
			h := &HaproxyConfig{}
			if d.sub(n, p, map[string]func(*node, string){
				"global":   func(n *node, p string) { h.Global = d.rstr(n, p) },
				"defaults": func(n *node, p string) { h.Defaults = d.rstr(n, p) },
			}) {
				l.HaproxyConfig = h
			}
		},
		"lb_cookie_stickiness_policy": func(n *node, p string) { l.LbCookieStickinessPolicy = d.stickiness(n, p) },
	})
	if !ok {
		return nil
	}
	return l
}

func (d *decoder) disks(n *node, path string) []Disk {
	if n == nil || n.null {
		return nil
	}
	if n.kind != seqNode {
		d.wrongType(n, path, "a list of disks")
		return nil
	}
	var out []Disk
	for idx, it := range n.items {
		k := Disk{}
		p := indexPath(path, idx)
		s := func(dst *string) func(*node, string) { return func(n *node, p string) { *dst = d.rstr(n, p) } }
		i := func(dst *int64) func(*node, string) { return func(n *node, p string) { *dst = d.integer(n, p) } }
		if !d.sub(orNode(it, n), p, map[string]func(*node, string){
			"name": s(&k.Name), "size": s(&k.Size), "driver": s(&k.Driver),
			"opts":      func(n *node, p string) { k.Opts = d.anyMap(n, p) },
			"root":      func(n *node, p string) { k.Root = d.boolean(n, p) },
			"read_iops": i(&k.ReadIops), "write_iops": i(&k.WriteIops),
		}) {
			continue
		}
		out = append(out, k)
	}
	return out
}
