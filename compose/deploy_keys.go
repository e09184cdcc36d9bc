package compose

import (
	"sort"
	"strings"
	"time"
)

// Scheduler labels deploy: keys become.
const (
	globalLabel          = "io.rancher.scheduler.global"
	hostLabelAffinity    = "io.rancher.scheduler.affinity:host_label"
	hostLabelAntiAffinty = "io.rancher.scheduler.affinity:host_label_ne"
)

// deploy decodes compose 3.x `deploy:` into what Rancher can honour: replicas (scale), mode: global,
// update_config (upgrade strategy), memory limits and reservations, and node.labels placement constraints
// (host-label affinity). Every other key is warned about once, with its file:line.
func (d *decoder) deploy(n *node, path string) *Deploy {
	if n == nil || n.null {
		return nil
	}
	dep := &Deploy{}
	unknown := d.fields(n, path, map[string]func(*node, string){
		"replicas": func(n *node, p string) {
			dep.Replicas = d.optInteger(n, p)
			d.checkScale(n, p, dep.Replicas)
		},
		"mode":          func(n *node, p string) { dep.Global = d.deployMode(n, p) },
		"update_config": func(n *node, p string) { dep.UpdateConfig = d.updateConfig(n, p) },
		"resources":     func(n *node, p string) { d.deployResources(n, p, dep) },
		"placement":     func(n *node, p string) { dep.Labels = d.placement(n, p) },
	})
	d.warnUnhonoured(unknown, path)
	if r := n.get("replicas"); dep.Global && r != nil {
		d.diags.warnf(r.pos, joinPath(path, "replicas"), "replicas is ignored: a global service runs one container per host")
	}
	return dep
}

func (d *decoder) deployMode(n *node, path string) bool {
	switch m := d.str(n, path); m {
	case "global":
		return true
	case "", "replicated":
	default:
		d.diags.warnf(n.pos, path, "deploy mode %q is accepted but Rancher cannot honour it (replicated or global only); ignored", m)
	}
	return false
}

func (d *decoder) updateConfig(n *node, path string) *UpdateConfig {
	u := &UpdateConfig{}
	unknown := d.fields(n, path, map[string]func(*node, string){
		"parallelism": func(n *node, p string) {
			if u.Parallelism = d.integer(n, p); u.Parallelism == 0 {
				d.diags.warnf(n.pos, p, "parallelism 0 (all at once) has no Rancher equivalent; the batch size is left to rancher-compose.yml or --batch-size")
			}
		},
		"delay": func(n *node, p string) {
			if v, err := time.ParseDuration(d.duration(n, p)); err == nil {
				u.DelayMillis = v.Milliseconds()
			}
		},
		"order": func(n *node, p string) {
			switch o := d.str(n, p); o {
			case "start-first":
				u.StartFirst = true
			case "stop-first":
			default:
				d.invalidValue(n, p, "invalid update order %s (expected start-first or stop-first)", quoteValue(n, o))
			}
		},
	})
	d.warnUnhonoured(unknown, path)
	return u
}

func (d *decoder) deployResources(n *node, path string, dep *Deploy) {
	memoryOnly := func(dst *int64) func(*node, string) {
		return func(n *node, p string) {
			rest := d.fields(n, p, map[string]func(*node, string){
				"memory": func(n *node, p string) { *dst = d.memory(n, p) },
			})
			d.warnUnhonoured(rest, p)
		}
	}
	unknown := d.fields(n, path, map[string]func(*node, string){
		"limits":       memoryOnly(&dep.MemoryLimit),
		"reservations": memoryOnly(&dep.MemoryReservation),
	})
	d.warnUnhonoured(unknown, path)
}

// placement turns node.labels.K==V and node.labels.K!=V constraints into Rancher host-label affinity and
// anti-affinity labels (several joined with ','); other constraints are warned about.
func (d *decoder) placement(n *node, path string) map[string]string {
	var eq, ne []string
	unknown := d.fields(n, path, map[string]func(*node, string){
		"constraints": func(n *node, p string) {
			items := d.strList(n, p, false)
			for i, c := range items {
				itemPath := indexPath(p, i)
				kv, negated, ok := nodeLabelConstraint(c)
				switch {
				case !ok:
					d.diags.warnf(itemNode(n, i).pos, itemPath, "placement constraint %q is accepted but Rancher cannot honour it (only node.labels.KEY==VALUE and !=); ignored", c)
				case negated:
					ne = append(ne, kv)
				default:
					eq = append(eq, kv)
				}
			}
		},
	})
	d.warnUnhonoured(unknown, path)
	labels := map[string]string{}
	if len(eq) > 0 {
		labels[hostLabelAffinity] = strings.Join(eq, ",")
	}
	if len(ne) > 0 {
		labels[hostLabelAntiAffinty] = strings.Join(ne, ",")
	}
	if len(labels) == 0 {
		return nil
	}
	return labels
}

// itemNode is the i-th element of a sequence node, or the node itself.
func itemNode(n *node, i int) *node {
	if n != nil && n.kind == seqNode && i < len(n.items) {
		return n.items[i]
	}
	return n
}

// nodeLabelConstraint parses "node.labels.K == V" or "node.labels.K != V" into "K=V".
func nodeLabelConstraint(c string) (kv string, negated, ok bool) {
	op := "=="
	if strings.Contains(c, "!=") {
		op, negated = "!=", true
	}
	left, right, found := strings.Cut(c, op)
	left, right = strings.TrimSpace(left), strings.TrimSpace(right)
	key, isLabel := strings.CutPrefix(left, "node.labels.")
	if !found || !isLabel || key == "" || right == "" {
		return "", false, false
	}
	return key + "=" + right, negated, true
}

// applyDeploy fills what deploy: supplies where the service itself says nothing: mem_limit,
// mem_reservation, and the scheduler labels (a label the service sets wins).
func applyDeploy(s *ServiceConfig) {
	dep := s.Deploy
	if dep == nil {
		return
	}
	if s.MemLimit == 0 && dep.MemoryLimit > 0 {
		s.MemLimit = dep.MemoryLimit
	}
	if s.MemReservation == 0 && dep.MemoryReservation > 0 {
		s.MemReservation = dep.MemoryReservation
	}
	labels := map[string]string{}
	for k, v := range dep.Labels {
		labels[k] = v
	}
	if dep.Global {
		labels[globalLabel] = "true"
	}
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, set := s.Labels[k]; set {
			continue
		}
		if s.Labels == nil {
			s.Labels = map[string]string{}
		}
		s.Labels[k] = labels[k]
	}
}

// UpgradeStrategy is the service's in-service upgrade strategy: rancher-compose.yml's upgrade_strategy,
// each field not set there taken from deploy.update_config; nil when neither says anything. Flags given
// on the command line beat both (the planner's Options).
func (s *Service) UpgradeStrategy() *UpgradeStrategy {
	var out UpgradeStrategy
	if s.Rancher != nil && s.Rancher.UpgradeStrategy != nil {
		out = *s.Rancher.UpgradeStrategy
	}
	if s.Compose.Deploy != nil && s.Compose.Deploy.UpdateConfig != nil {
		u := s.Compose.Deploy.UpdateConfig
		if out.BatchSize <= 0 {
			out.BatchSize = u.Parallelism
		}
		if out.IntervalMillis <= 0 {
			out.IntervalMillis = u.DelayMillis
		}
		out.StartFirst = out.StartFirst || u.StartFirst
	}
	if out == (UpgradeStrategy{}) && (s.Rancher == nil || s.Rancher.UpgradeStrategy == nil) {
		return nil
	}
	return &out
}
