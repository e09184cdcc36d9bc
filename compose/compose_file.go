package compose

import (
	"fmt"
	"strings"
)

// Layouts of a compose file.
const (
	layoutV1       = "1"        // no version: services at the top level
	layoutServices = "services" // version 2+, or no version with a services: mapping
)

// supportedVersions are the compose file versions accepted.
var supportedVersions = map[string]bool{
	"2": true, "2.0": true, "2.1": true, "2.2": true, "2.3": true, "2.4": true,
	"3": true, "3.0": true, "3.1": true, "3.2": true, "3.3": true, "3.4": true, "3.5": true,
	"3.6": true, "3.7": true, "3.8": true,
}

// composeFile is one parsed, interpolated and normalised compose file.
type composeFile struct {
	src      *source
	version  string // as written ("" for none)
	layout   string
	services *node // mapping: name → service (normalised to the v2 layout)
	raw      *node // services as read and interpolated, before normalisation (the rancher fallback)
	volumes  *node
	networks *node
}

// readComposeTree parses a compose source and checks it is a non-empty mapping.
func readComposeTree(src *source, diags *diagnostics) *node {
	root := parseYAML(src.name, src.data, diags)
	if root == nil {
		if len(diags.list) == 0 || !lastIsErrorFor(diags, src.name) {
			diags.errorf(Pos{File: src.name}, "", "the file is empty; a compose file needs at least one service")
		}
		return nil
	}
	if root.kind != mapNode {
		diags.errorf(root.pos, "", "expected a mapping of services at the top of the file, got %s", root.kindName())
		return nil
	}
	return root
}

func lastIsErrorFor(diags *diagnostics, file string) bool {
	for i := len(diags.list) - 1; i >= 0; i-- {
		d := diags.list[i]
		if d.Severity == SeverityError && d.Pos.File == file {
			return true
		}
	}
	return false
}

// splitLayout finds the version and the services/volumes/networks of a compose file.
func splitLayout(src *source, root *node, diags *diagnostics) *composeFile {
	cf := &composeFile{src: src}
	ve := root.entryFor("version")
	hasServices := root.get("services") != nil && root.get("services").kind == mapNode
	switch {
	case ve != nil && (ve.value == nil || ve.value.kind != scalarNode):
		diags.errorf(orNode(ve.value, root).pos, "version", "expected a string such as '2' or '3.8', got %s", ve.value.kindName())
		return nil
	case ve != nil:
		cf.version = strings.TrimSpace(v2Text(ve.value.v2Value()))
		if !supportedVersions[cf.version] {
			diags.errorf(ve.value.pos, "version", "unsupported compose file version %q (supported: no version, 2, 2.0-2.4, 3, 3.0-3.8)", cf.version)
			return nil
		}
		cf.layout = layoutServices
	case hasServices:
		cf.layout = layoutServices
	default:
		cf.layout = layoutV1
	}
	if cf.layout == layoutV1 {
		cf.services = root
		return cf
	}
	for _, e := range root.entries {
		switch e.key {
		case "version", "name":
		case "services":
			cf.services = e.value
		case "volumes":
			cf.volumes = e.value
		case "networks":
			cf.networks = e.value
		case "secrets", "configs":
			diags.warnf(e.keyPos, e.key, "top-level %q is accepted but Rancher 1.x cannot honour it; ignored", e.key)
		default:
			if !isExtensionKey(e.key) {
				msg := fmt.Sprintf("unknown top-level key %q; ignored", e.key)
				if s := suggest(e.key, topLevelV2Keys); s != "" {
					msg = fmt.Sprintf("unknown top-level key %q (did you mean %q?); ignored", e.key, s)
				}
				diags.warnf(e.keyPos, e.key, "%s", msg)
			}
		}
	}
	if cf.services == nil || cf.services.null {
		cf.services = newMap(root.pos)
	}
	if cf.services.kind != mapNode {
		diags.errorf(cf.services.pos, "services", "expected a mapping of services, got %s", cf.services.kindName())
		return nil
	}
	return cf
}

// servicesPath is the YAML path prefix of a service in this layout.
func (cf *composeFile) servicePath(name string) string {
	if cf.layout == layoutV1 {
		return joinPath("", name)
	}
	return joinPath("services", name)
}

// normaliseService rewrites one service to the v2 layout: v1 net → network_mode, v1 build + dockerfile
// → build {context, dockerfile}, v1 log_driver/log_opt → logging, string build → {context}; and turns
// environment/labels lists into mappings so files merge key by key.
func normaliseService(svc *node, layout, path string, diags *diagnostics) {
	if svc == nil || svc.kind != mapNode {
		return
	}
	if layout == layoutV1 {
		if e := svc.entryFor("net"); e != nil {
			svc.remove("net")
			if svc.get("network_mode") == nil {
				svc.set("network_mode", e.keyPos, e.value)
			}
		}
		normaliseV1Build(svc)
		normaliseV1Logging(svc)
	}
	if b := svc.entryFor("build"); b != nil && b.value != nil && b.value.kind == scalarNode && !b.value.null {
		m := newMap(b.value.pos)
		m.set("context", b.value.pos, b.value)
		b.value = m
	}
	// libcompose trims list-form labels (SliceorMap) but not environment entries (MaporEqualSlice):
	// "CATALINA_OPTS=-Xmx1g " keeps its trailing space.
	for key, trim := range map[string]bool{"environment": false, "labels": true} {
		if e := svc.entryFor(key); e != nil {
			e.value = listToMap(e.value, "=", joinPath(path, key), trim, diags)
		}
	}
	if b := svc.get("build"); b != nil && b.kind == mapNode {
		if a := b.entryFor("args"); a != nil {
			a.value = listToMap(a.value, "=", joinPath(path, "build.args"), false, diags)
		}
	}
}

func normaliseV1Build(svc *node) {
	b := svc.entryFor("build")
	df := svc.entryFor("dockerfile")
	if b == nil {
		return
	}
	if b.value == nil || b.value.kind != scalarNode {
		return
	}
	m := newMap(b.value.pos)
	m.set("context", b.value.pos, b.value)
	if df != nil {
		m.set("dockerfile", df.keyPos, df.value)
		svc.remove("dockerfile")
	}
	b.value = m
}

func normaliseV1Logging(svc *node) {
	drv, opt := svc.entryFor("log_driver"), svc.entryFor("log_opt")
	if drv == nil && opt == nil {
		return
	}
	first := drv
	if first == nil {
		first = opt
	}
	m := newMap(first.keyPos)
	if drv != nil {
		m.set("driver", drv.keyPos, drv.value)
		svc.remove("log_driver")
	}
	if opt != nil {
		m.set("options", opt.keyPos, opt.value)
		svc.remove("log_opt")
	}
	if svc.get("logging") == nil {
		svc.set("logging", first.keyPos, m)
	}
}

// listToMap turns a ["K=V", "K"] list into a mapping (K: V, K: null), keeping positions.
func listToMap(n *node, sep, path string, trim bool, diags *diagnostics) *node {
	if n == nil || n.kind != seqNode {
		return n
	}
	m := newMap(n.pos)
	for i, it := range n.items {
		if it == nil || it.kind != scalarNode || it.null {
			diags.errorf(orNode(it, n).pos, indexPath(path, i), "expected a \"KEY%sVALUE\" string, got %s", sep, orNode(it, n).kindName())
			continue
		}
		text := it.value
		if trim {
			text = strings.TrimSpace(text)
		}
		k, v, ok := strings.Cut(text, sep)
		val := &node{kind: scalarNode, pos: it.pos, null: true}
		if ok {
			val = newString(it.pos, v)
		}
		m.set(k, it.pos, val)
	}
	return m
}
