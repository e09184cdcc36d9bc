package compose

import (
	"bufio"
	"bytes"
	"path/filepath"
	"strings"
)

// sidekicksLabel names a primary's sidekicks.
const sidekicksLabel = "io.rancher.sidekicks"

// decodeServices builds the typed services from the merged compose trees and the rancher entries.
func (l *loader) decodeServices(services map[string]*entry, order []string, rancher map[string]*rancherEntry, files []*composeFile) []*Service {
	d := &decoder{diags: l.diags, strict: l.o.Strict}
	layouts := map[string]string{}
	for _, cf := range files {
		layouts[cf.src.name] = cf.layout
	}
	var out []*Service
	for _, name := range order {
		e := services[name]
		path := joinPath("services", name)
		if layouts[e.keyPos.File] == layoutV1 {
			path = joinPath("", name)
		}
		svc := &Service{Name: name, Pos: e.keyPos, path: path}
		svc.Compose = l.decodeCompose(e.value, path, layouts[e.keyPos.File], d)
		re, ok := rancher[name]
		if ok {
			svc.Rancher = l.decodeRancher(re.value, re.path, d, re.fromRancherFile)
			svc.portRuleRefs = portRuleServiceRefs(re.value, re.path)
		}
		svc.recordKeys(e.value, re)
		svc.sidekicksBlanked = e.value.get("labels").get(sidekicksLabel).isBlanked()
		svc.Sidekicks = splitSidekicks(svc.Compose.Labels[sidekicksLabel])
		svc.refs = referencePositions(e.value)
		out = append(out, svc)
	}
	return out
}

// splitSidekicks splits the io.rancher.sidekicks label on ',' and trims each name.
func splitSidekicks(label string) []string {
	if strings.TrimSpace(label) == "" {
		return nil
	}
	var out []string
	for _, part := range strings.Split(label, ",") {
		if s := strings.TrimSpace(part); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// decodeCompose decodes one merged compose service.
func (l *loader) decodeCompose(n *node, path, layout string, d *decoder) ServiceConfig {
	var s ServiceConfig
	var env []kv
	unknown := d.fields(n, path, composeHandlers(&s, d, &env))
	l.reportComposeUnknown(unknown, path, layout, d)
	if layout == layoutV1 && n.get("dockerfile") != nil && n.get("build") == nil {
		l.diags.warnf(n.entryFor("dockerfile").keyPos, joinPath(path, "dockerfile"), "dockerfile without build is ignored")
	}
	s.Environment = l.environment(n, env, s.EnvFile, path, d)
	applyDeploy(&s)
	l.checkMemorySwap(n, path, &s, d)
	if layout == layoutV1 {
		l.checkImageOrBuild(n, path, &s)
	}
	return s
}

// reportComposeUnknown sorts a compose service's leftover keys: rancher keys (fine: the fallback
// reads them), keys Rancher cannot honour (warning), v1-only keys in a v2 file, and unknown keys.
func (l *loader) reportComposeUnknown(unknown []*entry, path, layout string, d *decoder) {
	var rest []*entry
	for _, e := range unknown {
		switch {
		case isRancherKey(e.key) && l.rancherFileUsed:
			l.diags.warnf(e.keyPos, joinPath(path, e.key), "%q is a rancher-compose key; it is ignored here because %s replaces the Rancher keys of the compose file", e.key, l.rancherFileName)
		case isRancherKey(e.key) || e.key == "extends" || (e.key == "dockerfile" && layout == layoutV1):
		case unhonouredKeys[e.key] != "" || e.key == "scale_v2":
			l.diags.warnf(e.keyPos, joinPath(path, e.key), "%s", unhonouredMessage(e.key))
		case layout != layoutV1 && (e.key == "net" || e.key == "dockerfile" || e.key == "log_driver" || e.key == "log_opt"):
			d.diags.add(l.unknownSeverity(), e.keyPos, joinPath(path, e.key), "%q is a version 1 key; in version 2+ files use %s", e.key, v2Equivalent(e.key))
		default:
			rest = append(rest, e)
		}
	}
	d.reportUnknown(rest, path, knownComposeKeys(), l.o.Strict, "service")
}

func (l *loader) unknownSeverity() Severity {
	if l.o.Strict {
		return SeverityError
	}
	return SeverityWarning
}

func v2Equivalent(k string) string {
	return map[string]string{"net": "network_mode", "dockerfile": "build.dockerfile", "log_driver": "logging.driver", "log_opt": "logging.options"}[k]
}

// checkImageOrBuild is the original's v1 constraint: exactly one of image and build.
func (l *loader) checkImageOrBuild(n *node, path string, s *ServiceConfig) {
	if n.reported || n.get("image").isReported() || n.get("build").isReported() {
		return
	}
	switch {
	case s.Image == "" && s.Build == nil:
		l.diags.errorf(n.pos, path, "service has neither an image nor a build path specified; exactly one must be provided")
	case s.Image != "" && s.Build != nil:
		l.diags.errorf(n.pos, path, "service has both an image and a build path specified; exactly one must be provided")
	}
}

// environment combines env_file entries (later files win) with explicit environment (which wins over
// all files). Keys without a value take the variable sources' value, and are dropped when unset.
func (l *loader) environment(n *node, explicit []kv, envFiles []string, path string, d *decoder) map[string]string {
	out := map[string]string{}
	if len(envFiles) > 0 {
		fileNode := n.get("env_file")
		dir := l.dirs[fileNode.pos.File]
		if dir == "" {
			dir = l.o.WorkDir
		}
		for i, f := range envFiles {
			p := f
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			entries, err := readEnvFile(l.o, p)
			if err != nil {
				pos := fileNode.pos
				if fileNode.kind == seqNode && i < len(fileNode.items) {
					pos = fileNode.items[i].pos
				}
				l.diags.errorf(pos, joinPath(path, "env_file"), "%v", fileError(f, err))
				continue
			}
			for _, x := range entries {
				l.setEnv(out, x)
			}
		}
	}
	for _, x := range explicit {
		if !x.hasValue {
			delete(out, x.key)
		}
		l.setEnv(out, x)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (l *loader) setEnv(out map[string]string, x kv) {
	if x.hasValue {
		out[x.key] = x.value
		return
	}
	if v := l.vars.Resolve(x.key); v.Source != "unset" {
		out[x.key] = v.Value
	}
}

// readEnvFile reads an env_file as the original did: lines trimmed, blank lines and # comments
// skipped, split on the first '=', no quote handling.
func readEnvFile(o *Options, path string) ([]kv, error) {
	data, err := o.readFile(path)
	if err != nil {
		return nil, err
	}
	var out []kv
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		out = append(out, kv{key: k, value: v, hasValue: ok})
	}
	return out, sc.Err()
}

// decodeRancher decodes one service's rancher keys. Unknown keys are reported only when they come from
// a rancher-compose.yml (in the fallback the entry is the compose service itself).
func (l *loader) decodeRancher(n *node, path string, d *decoder, fromRancherFile bool) *RancherConfig {
	r := &RancherConfig{}
	if n == nil || n.null {
		return r
	}
	if n.kind != mapNode {
		d.wrongType(n, path, "a mapping of rancher-compose keys")
		return r
	}
	h := rancherHandlers(r, d)
	unknown := d.fields(n, path, h)
	if fromRancherFile {
		d.reportUnknown(unknown, path, keysOf(h), l.o.Strict, "rancher-compose")
	}
	return r
}

// decodeVolumes decodes top-level volumes.
func (l *loader) decodeVolumes(n *node) map[string]*Volume {
	if n == nil || n.null {
		return nil
	}
	d := &decoder{diags: l.diags, strict: l.o.Strict}
	if n.kind != mapNode {
		d.wrongType(n, "volumes", "a mapping of volumes")
		return nil
	}
	out := map[string]*Volume{}
	for _, e := range n.entries {
		v := &Volume{}
		p := joinPath("volumes", e.key)
		unknown := d.fields(e.value, p, map[string]func(*node, string){
			"driver":        func(n *node, p string) { v.Driver = d.str(n, p) },
			"driver_opts":   func(n *node, p string) { v.DriverOpts = d.stringMap(n, p) },
			"per_container": func(n *node, p string) { v.PerContainer = d.boolean(n, p) },
			"external": func(n *node, p string) {
				if n != nil && n.kind == mapNode {
					v.External = true
					v.ExternalName = d.str(n.get("name"), p+".name")
					return
				}
				v.External = d.boolean(n, p)
			},
		})
		d.reportUnknownLenient(unknown, p)
		out[e.key] = v
	}
	return out
}

// referencePositions records where each links/depends_on/volumes_from item, network_mode and the
// sidekicks label are, so reference errors point at the value itself.
func referencePositions(n *node) map[string]Pos {
	refs := map[string]Pos{}
	for _, key := range []string{"links", "depends_on", "volumes_from"} {
		v := n.get(key)
		if v == nil {
			continue
		}
		refs[key] = v.pos
		for i, it := range v.items {
			refs[indexPath(key, i)] = it.pos
		}
		for _, e := range v.entries {
			refs[key+"."+e.key] = e.keyPos
		}
	}
	if v := n.get("network_mode"); v != nil {
		refs["network_mode"] = v.pos
	}
	if l := n.get("labels"); l != nil {
		if v := l.get(sidekicksLabel); v != nil {
			refs["sidekicks"] = v.pos
		}
	}
	return refs
}
