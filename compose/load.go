package compose

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"

	"github.com/rancher-compose-ng/rancher-compose/compose/vars"
)

// Options say what to load. The zero value loads docker-compose.yml (+ docker-compose.override.yml)
// and rancher-compose.yml from the process's working directory.
type Options struct {
	// Files are the compose files in merge order (-f, or COMPOSE_FILE), already split on ':'.
	// "-" reads standard input. Empty means docker-compose.yml plus docker-compose.override.yml if present.
	Files []string
	// RancherFile is -r; "" means rancher-compose.yml beside the first compose file (missing is fine).
	RancherFile string
	// ProjectName is -p or COMPOSE_PROJECT_NAME; "" derives it from the first file's directory.
	ProjectName string
	// EnvFile is --env-file: variables for interpolation, ahead of the OS environment.
	EnvFile string
	// BindingsFile is --bindings-file: JSON replacing labels/ports of named services.
	BindingsFile string
	// Strict turns unset variables and unknown keys into errors.
	Strict bool
	// WorkDir is the working directory relative paths refer to (itself relative to os.Getwd()); "" means os.Getwd().
	WorkDir string
	// Stdin is read for "-f -".
	Stdin io.Reader
	// Environ is the OS environment as KEY=VALUE (os.Environ() in production; nil in tests = empty).
	Environ []string

	// ctx is Load's context: every read gives up when it ends (see readInput).
	ctx context.Context
	// cutOff is the first read given up that way, naming its input (loading is sequential).
	cutOff error
}

// abs resolves p against the working directory.
func (o *Options) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(o.WorkDir, p)
}

// Load reads, interpolates, merges and validates a project. On invalid input it returns a
// *ConfigError listing every problem (its ExitCode is 2); warnings are in Project.Warnings
// (or ConfigError.Warnings). Load reads files only: it never talks to an API.
func Load(ctx context.Context, opts Options) (*Project, error) {
	o := opts
	wd, err := filepath.Abs(o.WorkDir)
	if err != nil {
		return nil, fmt.Errorf("resolving the working directory: %w", err)
	}
	o.WorkDir = wd
	o.ctx = ctx
	l := &loader{o: &o, diags: &diagnostics{}, dirs: map[string]string{}}
	p := l.load(ctx)
	if err := ctx.Err(); err != nil {
		if o.cutOff != nil {
			return nil, o.cutOff
		}
		return nil, err
	}
	errs, warns := l.diags.split()
	if len(errs) > 0 {
		return nil, &ConfigError{Problems: errs, Warnings: warns}
	}
	p.Warnings = warns
	return p, nil
}

// loader holds the state of one Load.
type loader struct {
	o     *Options
	diags *diagnostics
	dirs  map[string]string // display file name → directory (for env_file paths)
	vars  *vars.Set
	ip    *interpolator
	// rancherFileUsed is set when a non-empty rancher-compose.yml (rancherFileName) supplies the Rancher
	// keys, so rancher keys left in compose files are ignored (and warned about).
	rancherFileUsed bool
	rancherFileName string
}

func (l *loader) load(ctx context.Context) *Project {
	p := &Project{WorkDir: l.o.WorkDir}
	sources := l.readComposeSources()
	var first *source
	if len(sources) > 0 {
		first = sources[0]
	}
	p.Name = projectName(l.o, first)
	l.checkProjectName(p.Name)
	if first != nil && first.path != "" {
		p.WorkDir = first.dir
	}
	for _, s := range sources {
		p.ComposeFiles = append(p.ComposeFiles, s.name)
	}
	rf := l.readRancherFile(first)
	if rf != nil && rf.catalog != nil {
		p.Catalog = decodeCatalog(rf.catalog, ".catalog", &decoder{diags: l.diags})
	}
	if !l.loadVars(first, p.Catalog) || ctx.Err() != nil {
		return p
	}
	files := l.prepareComposeFiles(sources)
	if ctx.Err() != nil || len(files) == 0 {
		return p
	}
	services, order, volumes, networks := mergeFiles(files)
	rancherEntries, rancherPath := l.rancherEntries(rf, files[0])
	if rancherPath != "" {
		p.RancherFile = rancherPath
		l.rancherFileUsed, l.rancherFileName = true, rancherPath
	}
	l.applyBindings(services)
	p.Services = l.decodeServices(services, order, rancherEntries, files)
	p.Volumes = l.decodeVolumes(volumes)
	if networks != nil {
		p.Networks, _ = networks.toAny().(map[string]any)
	}
	l.warnOrphanRancherEntries(rancherEntries, services, rf)
	validateProject(p, l.diags)
	l.ip.report(l.o.Strict)
	p.Variables = l.variables()
	return p
}

// readComposeSources reads every compose file, reporting each missing one.
func (l *loader) readComposeSources() []*source {
	var out []*source
	for _, name := range discoverComposeFiles(l.o) {
		src, err := readSource(l.o, name)
		if err != nil {
			l.diags.errorf(Pos{File: name}, "", "%s", fileProblem(err))
			continue
		}
		l.dirs[src.name] = src.dir
		out = append(out, src)
	}
	return out
}

// readRancherFile reads rancher-compose.yml; nil when it is absent or empty (the fallback applies).
func (l *loader) readRancherFile(first *source) *rancherFile {
	path, explicit := rancherFilePath(l.o, first)
	data, err := l.o.readFile(l.o.abs(path))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && !explicit {
			return nil
		}
		l.diags.errorf(Pos{File: path}, "", "%s", fileProblem(err))
		return nil
	}
	name := path
	root := parseYAML(name, data, l.diags)
	if root == nil {
		return nil
	}
	if root.kind != mapNode {
		l.diags.errorf(root.pos, "", "expected a mapping of services at the top of the file, got %s", root.kindName())
		return nil
	}
	l.dirs[name] = filepath.Dir(l.o.abs(path))
	rf := &rancherFile{src: &source{name: name, path: l.o.abs(path)}, root: root}
	splitRancherLayout(rf, l.diags)
	return rf
}

// loadVars builds the variable sources: --env-file, OS, .env beside the first file, catalog defaults.
func (l *loader) loadVars(first *source, cat *Catalog) bool {
	dir := l.o.WorkDir
	if first != nil && first.path != "" {
		dir = first.dir
	}
	opts := vars.Options{Environ: l.o.Environ, DotEnv: filepath.Join(dir, ".env"), CatalogDefaults: cat.defaults(), ReadFile: l.o.readFile}
	if l.o.EnvFile != "" {
		opts.EnvFile = l.o.abs(l.o.EnvFile)
	}
	set, err := vars.Load(opts)
	if err != nil {
		l.diags.errorf(Pos{File: l.o.EnvFile}, "", "%v", err)
		return false
	}
	l.vars = set
	l.ip = newInterpolator(set.Lookup, l.diags)
	return true
}

// prepareComposeFiles parses, interpolates and normalises each compose file and resolves extends.
func (l *loader) prepareComposeFiles(sources []*source) []*composeFile {
	var files []*composeFile
	x := &extender{o: l.o, diags: l.diags, ip: l.ip, files: map[string]*composeFile{}, active: map[string]bool{}, resolved: map[string]*node{}, index: map[*composeFile]map[string]*entry{}}
	for _, src := range sources {
		root := readComposeTree(src, l.diags)
		if root == nil {
			continue
		}
		cf := splitLayout(src, root, l.diags)
		if cf == nil {
			continue
		}
		prepareComposeFile(cf, l.ip, l.diags)
		if src.path != "" {
			x.files[src.path] = cf
		}
		files = append(files, cf)
	}
	for _, cf := range files {
		x.resolveAll(cf)
	}
	for p, cf := range x.files {
		l.dirs[cf.src.name] = filepath.Dir(p)
	}
	return files
}

// mergeFiles merges the -f files in order: services by name, volumes/networks key by key.
func mergeFiles(files []*composeFile) (map[string]*entry, []string, *node, *node) {
	services := map[string]*entry{}
	var order []string
	var volumes, networks *node
	for _, cf := range files {
		for _, e := range cf.services.entries {
			if e.value == nil || e.value.kind != mapNode {
				continue
			}
			if cur, ok := services[e.key]; ok {
				services[e.key] = &entry{key: e.key, keyPos: e.keyPos, value: mergeService(cur.value, e.value)}
				continue
			}
			services[e.key] = &entry{key: e.key, keyPos: e.keyPos, value: e.value}
			order = append(order, e.key)
		}
		volumes = mergeTopLevel(volumes, cf.volumes)
		networks = mergeTopLevel(networks, cf.networks)
	}
	sort.Strings(order)
	return services, order, volumes, networks
}

// rancherEntries returns each service's rancher keys: from rancher-compose.yml when it exists and is
// not empty, else from the first compose file with its hostname keys deleted (the original's fallback).
func (l *loader) rancherEntries(rf *rancherFile, first *composeFile) (map[string]*rancherEntry, string) {
	out := map[string]*rancherEntry{}
	if rf != nil && rf.services != nil && len(rf.root.entries) > 0 {
		for _, e := range rf.services.entries {
			path := joinPath("", e.key)
			if rf.root.get("services") != nil {
				path = joinPath("services", e.key)
			}
			l.ip.tree(e.value, path)
			tryConvertStringsToInts(e.value)
			out[e.key] = &rancherEntry{entry: e, path: path, fromRancherFile: true}
		}
		return out, rf.src.name
	}
	for _, e := range first.raw.entries {
		v := e.value.clone()
		if v != nil && v.kind == mapNode {
			v.remove("hostname")
		}
		tryConvertStringsToInts(v)
		out[e.key] = &rancherEntry{entry: &entry{key: e.key, keyPos: e.keyPos, value: v}, path: first.servicePath(e.key)}
	}
	return out, ""
}

// rancherEntry is one service's rancher keys and the YAML path they are reported under.
type rancherEntry struct {
	*entry
	path            string
	fromRancherFile bool
}

// warnOrphanRancherEntries warns about rancher-compose.yml services no compose file defines.
func (l *loader) warnOrphanRancherEntries(entries map[string]*rancherEntry, services map[string]*entry, rf *rancherFile) {
	if rf == nil {
		return
	}
	for _, name := range sortedKeys(entries) {
		if _, ok := services[name]; !ok {
			e := entries[name]
			l.diags.warnf(e.keyPos, e.path, "%s configures service %q, which no compose file defines; ignored", rf.src.name, name)
		}
	}
}

// variables lists every referenced variable with its value, source and uses.
func (l *loader) variables() []Variable {
	var out []Variable
	for _, name := range sortedKeys(l.ip.refs) {
		v := l.vars.Resolve(name)
		out = append(out, Variable{Name: name, Value: v.Value, Source: string(v.Source), Uses: l.ip.refs[name]})
	}
	return out
}
