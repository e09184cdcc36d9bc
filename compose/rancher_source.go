package compose

import (
	"strconv"
	"strings"
)

// structLikeRancherKeys are the RancherConfig fields whose Go kind is struct, pointer or slice: the
// original ran TryConvertStringsToInts under them, turning every string strconv.Atoi accepts into an int.
var structLikeRancherKeys = map[string]bool{
	"disks": true, "lb_config": true, "external_ips": true, "health_check": true, "load_balancer_config": true,
	"certs": true, "scale_policy": true, "upgrade_strategy": true, "storage_driver": true, "network_driver": true,
}

// rancherFile is the parsed rancher-compose.yml.
type rancherFile struct {
	src      *source
	root     *node
	services *node // mapping name → rancher keys
	catalog  *node
}

// catalogKeys are where the original found catalog settings in rancher-compose.yml.
var catalogKeys = []string{".catalog", "catalog"}

// splitRancherLayout finds the services and catalog of a rancher-compose.yml (v1 or version 2 layout).
func splitRancherLayout(rf *rancherFile, diags *diagnostics) {
	root := rf.root
	for _, k := range catalogKeys {
		if c := root.get(k); c != nil {
			rf.catalog = c
		}
	}
	svcs := root.get("services")
	ve := root.entryFor("version")
	if ve != nil || (svcs != nil && svcs.kind == mapNode) {
		if svcs == nil || svcs.null {
			svcs = newMap(root.pos)
		}
		if svcs.kind != mapNode {
			diags.errorf(svcs.pos, "services", "expected a mapping of services, got %s", svcs.kindName())
			svcs = newMap(root.pos)
		}
		for _, k := range catalogKeys {
			if c := svcs.get(k); c != nil && rf.catalog == nil {
				rf.catalog = c
			}
		}
		rf.services = withoutKeys(svcs, catalogKeys...)
		return
	}
	rf.services = withoutKeys(root, catalogKeys...)
}

func withoutKeys(n *node, keys ...string) *node {
	out := &node{kind: mapNode, pos: n.pos}
	for _, e := range n.entries {
		skip := false
		for _, k := range keys {
			if e.key == k {
				skip = true
			}
		}
		if !skip {
			out.entries = append(out.entries, e)
		}
	}
	return out
}

// tryConvertStringsToInts applies the original's rule to one service's rancher keys.
func tryConvertStringsToInts(svc *node) {
	if svc == nil || svc.kind != mapNode {
		return
	}
	for _, e := range svc.entries {
		if structLikeRancherKeys[e.key] {
			convertNumericStrings(e.value)
		}
	}
}

func convertNumericStrings(n *node) {
	if n == nil {
		return
	}
	switch n.kind {
	case mapNode:
		for _, e := range n.entries {
			convertNumericStrings(e.value)
		}
	case seqNode:
		for _, it := range n.items {
			convertNumericStrings(it)
		}
	default:
		if !n.str {
			return
		}
		if i, err := strconv.Atoi(n.value); err == nil {
			n.value = strconv.Itoa(i)
			n.str = false
		}
	}
}

// catalogQuestions decodes .catalog.questions (before interpolation: defaults are literal).
func decodeCatalog(n *node, path string, d *decoder) *Catalog {
	if n == nil || n.kind != mapNode {
		return nil
	}
	c := &Catalog{}
	for _, e := range n.entries {
		p := joinPath(path, e.key)
		switch e.key {
		case "name":
			c.Name = d.rstr(e.value, p)
		case "version":
			c.Version = d.rstr(e.value, p)
		case "description":
			c.Description = d.rstr(e.value, p)
		case "questions":
			c.Questions = decodeQuestions(e.value, p, d)
		}
	}
	return c
}

func decodeQuestions(n *node, path string, d *decoder) []Question {
	if n == nil || n.null {
		return nil
	}
	if n.kind != seqNode {
		d.wrongType(n, path, "a list of questions")
		return nil
	}
	var out []Question
	for i, it := range n.items {
		p := indexPath(path, i)
		if it == nil || it.kind != mapNode {
			d.wrongType(orNode(it, n), p, "a question mapping")
			continue
		}
		q := Question{Pos: it.pos}
		for _, e := range it.entries {
			fp := joinPath(p, e.key)
			switch e.key {
			case "variable":
				q.Variable = strings.TrimSpace(d.rstr(e.value, fp))
			case "label":
				q.Label = d.rstr(e.value, fp)
			case "description":
				q.Description = d.rstr(e.value, fp)
			case "type":
				q.Type = d.rstr(e.value, fp)
			case "required":
				q.Required = e.value != nil && e.value.v2ValueOrNil() == true
			case "default":
				if e.value != nil && e.value.kind == scalarNode && !e.value.null {
					q.Default, q.HasDefault = v2Text(e.value.v2Value()), true
				}
			}
		}
		if q.Variable == "" {
			d.diags.warnf(it.pos, p, "catalog question without a variable; ignored")
			continue
		}
		out = append(out, q)
	}
	return out
}

// catalogDefaults maps question variables to their defaults.
func (c *Catalog) defaults() map[string]string {
	out := map[string]string{}
	if c == nil {
		return out
	}
	for _, q := range c.Questions {
		if q.HasDefault {
			out[q.Variable] = q.Default
		}
	}
	return out
}
