package compose

import (
	"path/filepath"
	"strings"
	"sync/atomic"
)

// extender resolves `extends` across files, caching each file it reads.
type extender struct {
	o      *Options
	diags  *diagnostics
	ip     *interpolator
	files  map[string]*composeFile // by absolute path
	active map[string]bool         // file\x00service being resolved (cycle detection)
	// resolved remembers each service's extended form (by key); sawCycle stops that once a cycle is found.
	resolved map[string]*node
	sawCycle bool
	index    map[*composeFile]map[string]*entry // each file's services by name (see service)
}

func (x *extender) key(cf *composeFile, name string) string {
	return cf.src.name + "\x00" + cf.src.path + "\x00" + name
}

// resolveAll replaces every service of cf by its fully extended form.
func (x *extender) resolveAll(cf *composeFile) {
	for _, e := range cf.services.entries {
		e.value = x.resolve(cf, e.key, e.value)
	}
}

// resolve returns the service with its extends chain applied (the base first, the service on top). Each
// service is resolved once and remembered, so that a chain loads in time linear in its length; the result
// is never changed afterwards (mergeService copies its base).
func (x *extender) resolve(cf *composeFile, name string, svc *node) *node {
	if svc == nil || svc.kind != mapNode || svc.entryFor("extends") == nil {
		return svc
	}
	k := x.key(cf, name)
	if r, ok := x.resolved[k]; ok {
		return r
	}
	r := x.extend(cf, name, svc, k)
	if !x.sawCycle {
		x.resolved[k] = r
	}
	return r
}

// extend applies one service's extends: its base, resolved, then the service on top.
func (x *extender) extend(cf *composeFile, name string, svc *node, k string) *node {
	resolveSteps.Add(1)
	ext := svc.entryFor("extends")
	path := cf.servicePath(name) + ".extends"
	child := svc.clone()
	child.remove("extends")
	if ext.value == nil || ext.value.kind != mapNode {
		x.diags.warnf(ext.keyPos, path, "extends must be a mapping {service, file}; a string extends is ignored, as in the original")
		return child
	}
	if x.active[k] {
		x.sawCycle = true // results around a cycle are not remembered: each service reports its own
		x.diags.errorf(ext.keyPos, path, "extends cycle: service %q extends itself through %s", name, cf.src.name)
		return failedExtends(child)
	}
	x.active[k] = true
	defer delete(x.active, k)

	baseName := strings.TrimSpace(v2Text(ext.value.get("service").v2ValueOrNil()))
	if baseName == "" {
		x.diags.errorf(ext.value.pos, path, "extends needs a service name")
		return failedExtends(child)
	}
	for _, e := range ext.value.entries {
		if e.key != "service" && e.key != "file" {
			x.diags.warnf(e.keyPos, joinPath(path, e.key), "unknown extends key %q; ignored", e.key)
		}
	}
	baseFile := cf
	if f := ext.value.get("file"); f != nil && !f.null {
		baseFile = x.load(cf, f.text(), f.pos, path+".file")
		if baseFile == nil {
			return failedExtends(child)
		}
	}
	baseSvc := x.service(baseFile, baseName)
	if baseSvc == nil {
		x.diags.errorf(ext.value.pos, path, "cannot extend service %q: %s has no such service", baseName, baseFile.src.name)
		return failedExtends(child)
	}
	base := x.resolve(baseFile, baseName, baseSvc)
	for _, forbidden := range []string{"links", "volumes_from"} {
		if base.get(forbidden) != nil {
			x.diags.errorf(ext.keyPos, path, "Cannot extend service %q in %s: services with %q cannot be extended", baseName, baseFile.src.name, forbidden)
			return failedExtends(child)
		}
	}
	return mergeService(base, child)
}

// service returns the named service of cf as it stands (resolved or not), through an index of the file's
// services built once, instead of a scan per lookup.
func (x *extender) service(cf *composeFile, name string) *node {
	idx := x.index[cf]
	if idx == nil {
		idx = make(map[string]*entry, len(cf.services.entries))
		for _, e := range cf.services.entries {
			if _, dup := idx[e.key]; !dup {
				idx[e.key] = e
			}
		}
		x.index[cf] = idx
	}
	if e := idx[name]; e != nil {
		return e.value
	}
	return nil
}

// load reads (once) a compose file named by extends.file, relative to the extending file.
func (x *extender) load(from *composeFile, name string, pos Pos, path string) *composeFile {
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(from.src.dir, p)
	}
	if cf, ok := x.files[p]; ok {
		return cf
	}
	src, err := readSource(x.o, p)
	if err != nil {
		x.diags.errorf(pos, path, "%v", fileError(name, err))
		return nil
	}
	src.name = displayName(x.o, p)
	root := readComposeTree(src, x.diags)
	if root == nil {
		return nil
	}
	cf := splitLayout(src, root, x.diags)
	if cf == nil {
		return nil
	}
	x.files[p] = cf
	prepareComposeFile(cf, x.ip, x.diags)
	return cf
}

// displayName shows a path relative to the working directory when it is inside it.
func displayName(o *Options, p string) string {
	if rel, err := filepath.Rel(o.WorkDir, p); err == nil && !strings.HasPrefix(rel, "..") {
		return rel
	}
	return p
}

// v2ValueOrNil is v2Value for a possibly absent node.
func (n *node) v2ValueOrNil() any {
	if n == nil || n.kind != scalarNode {
		return nil
	}
	return n.v2Value()
}

// prepareComposeFile interpolates a file's values and normalises its services.
func prepareComposeFile(cf *composeFile, ip *interpolator, diags *diagnostics) {
	for _, e := range cf.services.entries {
		ip.tree(e.value, cf.servicePath(e.key))
	}
	if cf.volumes != nil {
		ip.tree(cf.volumes, "volumes")
	}
	if cf.networks != nil {
		ip.tree(cf.networks, "networks")
	}
	cf.raw = cf.services.clone()
	for _, e := range cf.services.entries {
		if e.value == nil || e.value.null {
			e.value = newMap(e.keyPos)
		}
		if e.value.kind != mapNode {
			diags.errorf(e.value.pos, cf.servicePath(e.key), "expected a mapping of service keys, got %s", e.value.kindName())
			continue
		}
		normaliseService(e.value, cf.layout, cf.servicePath(e.key), diags)
	}
}

// failedExtends marks a service whose extends could not be applied (the error is reported): checks
// of what the base would have supplied, such as its image, are skipped.
func failedExtends(child *node) *node {
	child.reported = true
	return child
}

// resolveSteps counts the services resolved (tests check that loading is linear in their number).
var resolveSteps atomic.Int64
