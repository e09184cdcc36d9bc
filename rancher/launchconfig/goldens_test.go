package launchconfig

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/digest"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// golden is one capture of the original (../shared/goldens/README.md describes the format).
type golden struct {
	Path     string   `json:"path"`
	Args     []string `json:"args"`
	ExitCode any      `json:"exit_code"`
	Services map[string]struct {
		Transform []struct {
			Request  json.RawMessage `json:"request"`
			Response json.RawMessage `json:"response"`
		} `json:"transform"`
		Create *struct {
			Path string          `json:"path"`
			Body json.RawMessage `json:"body"`
		} `json:"create"`
	} `json:"services"`
	IDs map[string]struct {
		Type string `json:"type"`
		Name string `json:"name"`
	} `json:"ids"`
}

func goldensDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GOLDENS_DIR")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "goldens")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("goldens not available at %s (set GOLDENS_DIR)", dir)
	}
	return dir
}

// corpusDir holds the projects the goldens were captured from ($CORPUS_DIR, else goldens/../corpus).
func corpusDir(t *testing.T, goldens string) string {
	t.Helper()
	dir := os.Getenv("CORPUS_DIR")
	if dir == "" {
		dir = filepath.Join(goldens, "..", "corpus")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not available at %s (set CORPUS_DIR)", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

// goldenStub answers transform calls with the recorded responses and lookups with the recorded ids.
type goldenStub struct {
	g        *golden
	requests map[string]*InspectDocument
}

func (s *goldenStub) Transform(_ context.Context, doc *InspectDocument) (json.RawMessage, error) {
	name := strings.TrimPrefix(doc.Name, "/")
	s.requests[name] = doc
	rec, ok := s.g.Services[name]
	if !ok || len(rec.Transform) == 0 {
		return nil, fmt.Errorf("no recorded transform for %s", name)
	}
	return rec.Transform[0].Response, nil
}

func (s *goldenStub) Setting(_ context.Context, name string) (string, error) {
	if name == "lb.instance.image" {
		return "rancher/lb-service-haproxy:v0.7.1", nil
	}
	return "", fmt.Errorf("no setting %s", name)
}

var serviceTypes = map[string]bool{"service": true, "loadBalancerService": true, "dnsService": true,
	"externalService": true, "networkDriverService": true, "storageDriverService": true}

func (s *goldenStub) ServiceID(_ context.Context, name string) (string, error) {
	if stack, svc, ok := strings.Cut(name, "/"); ok {
		if !s.has("stack", stack) {
			return "", fmt.Errorf("Failed to find stack: %s", stack)
		}
		name = svc
	}
	for id, r := range s.g.IDs {
		if serviceTypes[r.Type] && r.Name == name {
			return id, nil
		}
	}
	return "", nil
}

func (s *goldenStub) has(typ, name string) bool {
	for _, r := range s.g.IDs {
		if r.Type == typ && r.Name == name {
			return true
		}
	}
	return false
}

func (s *goldenStub) CertificateID(_ context.Context, name string) (string, error) {
	for id, r := range s.g.IDs {
		if r.Type == "certificate" && r.Name == name {
			return id, nil
		}
	}
	return "", fmt.Errorf("Failed to find certificate %s", name)
}

// loadOptions turns a golden's recorded command line into compose.Load options.
func loadOptions(args []string, dir string) compose.Options {
	o := compose.Options{WorkDir: dir, Environ: []string{"PATH=/usr/local/bin:/usr/bin:/bin"}}
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "-f", "--file":
			o.Files = append(o.Files, args[i+1])
		case "-r", "--rancher-file":
			o.RancherFile = args[i+1]
		case "-p", "--project-name":
			o.ProjectName = args[i+1]
		case "-e", "--env-file":
			o.EnvFile = args[i+1]
		}
	}
	return o
}

// mismatches counts services by the first reason they differ.
type mismatches map[string][]string

func (m mismatches) add(reason, where string) { m[reason] = append(m[reason], where) }

// TestGoldens builds every service of every golden from its corpus project, feeding the recorded
// transform answers, and compares the transform requests, the create bodies and the digests.
func TestGoldens(t *testing.T) {
	gdir := goldensDir(t)
	cdir := corpusDir(t, gdir)
	var files []string
	_ = filepath.WalkDir(gdir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Name() == "golden.json" {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("no golden.json under %s", gdir)
	}
	matched, total := 0, 0
	miss := mismatches{}
	digests := &digestTally{}
	for _, f := range files {
		m, n := checkGolden(t, f, cdir, miss, digests)
		matched += m
		total += n
	}
	reasons := make([]string, 0, len(miss))
	for r := range miss {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool { return len(miss[reasons[i]]) > len(miss[reasons[j]]) })
	unknown := 0
	for _, r := range reasons {
		for _, where := range miss[r] {
			if _, known := knownMismatches[where]; !known {
				unknown++
				t.Errorf("unexpected mismatch: %s: %s", where, r)
			}
		}
	}
	if unknown == 0 {
		t.Logf("all %d mismatches are known (goldens_known_test.go)", total-matched)
	}
	for _, r := range reasons {
		ex := miss[r]
		if len(ex) > 3 && os.Getenv("GOLDENS_VERBOSE") == "" {
			ex = ex[:3]
		}
		t.Logf("%4d  %s  e.g. %s", len(miss[r]), r, strings.Join(ex, ", "))
	}
	t.Logf("transform requests: %d/%d equal to the recorded ones", digests.transforms[0], digests.transforms[1])
	t.Logf("create bodies: %d/%d equal to the recorded ones (and posted to the same collection)", digests.creates[0], digests.creates[1])
	t.Logf("digests: %d/%d equal to the recorded ones (service %d/%d, launch config %d/%d, sidekick %d/%d)",
		digests.matched(), digests.total(), digests.svc[0], digests.svc[1], digests.lc[0], digests.lc[1], digests.side[0], digests.side[1])
	fmt.Printf("goldens: %d/%d services match\n", matched, total)
	if total == 0 {
		t.Fatal("no services in the goldens")
	}
}

// digestTally counts [matched, total] digests per kind.
type digestTally struct{ svc, lc, side, transforms, creates [2]int }

func (d *digestTally) matched() int { return d.svc[0] + d.lc[0] + d.side[0] }
func (d *digestTally) total() int   { return d.svc[1] + d.lc[1] + d.side[1] }

func count(c *[2]int, ok bool) {
	c[1]++
	if ok {
		c[0]++
	}
}

// addDigests compares the digests we computed with those stored in the recorded create body.
func (d *digestTally) add(body json.RawMessage, r *Built) {
	var rec resources.Service
	if json.Unmarshal(body, &rec) != nil {
		return
	}
	want, _ := digest.Lookup(&rec)
	var got digest.ServiceHash
	if r != nil {
		got = r.Hash
	}
	count(&d.svc, got.Service == want.Service)
	count(&d.lc, got.LaunchConfig == want.LaunchConfig)
	for name, h := range want.SecondaryLaunchConfigs {
		count(&d.side, got.SecondaryLaunchConfigs[name] == h)
	}
}

func checkGolden(t *testing.T, file, corpus string, miss mismatches, digests *digestTally) (matched, total int) {
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	g := &golden{}
	if err := json.Unmarshal(raw, g); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	total = len(g.Services)
	p, err := compose.Load(context.Background(), loadOptions(g.Args, filepath.Join(corpus, g.Path)))
	if err != nil {
		for name := range g.Services {
			miss.add("project does not load: "+firstLine(err.Error()), g.Path+" "+name)
		}
		return 0, total
	}
	stub := &goldenStub{g: g, requests: map[string]*InspectDocument{}}
	built := map[string]*Built{}
	buildErr := map[string]error{}
	for _, s := range p.Primaries() {
		if _, recorded := g.Services[s.Name]; !recorded {
			continue
		}
		b := &Builder{Project: p, StackID: stackIDOf(g, s.Name), Transformer: stub, Resolver: stub}
		r, err := b.Build(context.Background(), s.Name)
		if err != nil {
			buildErr[s.Name] = err
			continue
		}
		built[s.Name] = r
	}
	names := make([]string, 0, len(g.Services))
	for n := range g.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		if c := g.Services[name].Create; c != nil {
			digests.add(c.Body, built[name])
			r := built[name]
			count(&digests.creates, r != nil && jsonDiff("", mustJSON(r.CreateBody()), c.Body) == "" &&
				collectionOf(c.Path) == strings.ToLower(r.Kind.SchemaType())+"s")
		}
		for _, call := range g.Services[name].Transform {
			doc, ok := stub.requests[name]
			count(&digests.transforms, ok && jsonDiff("", normalizeEnv(mustJSON(doc)), normalizeEnv(call.Request)) == "")
		}
		where := g.Path + " " + name
		if reason := compareService(g, name, stub, built[name], buildErr[name]); reason != "" {
			miss.add(reason, where)
			continue
		}
		matched++
	}
	return matched, total
}

func stackIDOf(g *golden, name string) string {
	if s := g.Services[name]; s.Create != nil {
		var b struct {
			StackID string `json:"stackId"`
		}
		_ = json.Unmarshal(s.Create.Body, &b)
		return b.StackID
	}
	return ""
}

// compareService returns "" when the service matches, else the first difference as a category.
func compareService(g *golden, name string, stub *goldenStub, r *Built, buildErr error) string {
	rec := g.Services[name]
	doc, ok := stub.requests[name]
	if !ok {
		if buildErr != nil {
			return "build failed before the transform: " + firstLine(buildErr.Error())
		}
		return "no transform request built"
	}
	for _, call := range rec.Transform {
		if d := jsonDiff("transform", normalizeEnv(mustJSON(doc)), normalizeEnv(call.Request)); d != "" {
			return d
		}
	}
	if rec.Create == nil {
		if r != nil {
			return "not created by the original, built by ours"
		}
		return ""
	}
	if buildErr != nil {
		return "build failed: " + firstLine(buildErr.Error())
	}
	if r == nil {
		return "primary not built"
	}
	if want := collectionOf(rec.Create.Path); want != strings.ToLower(r.Kind.SchemaType())+"s" {
		return fmt.Sprintf("kind %s, recorded %s", r.Kind.SchemaType(), want)
	}
	return jsonDiff("create", mustJSON(r.CreateBody()), rec.Create.Body)
}

func collectionOf(path string) string { return path[strings.LastIndex(path, "/")+1:] }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// normalizeEnv sorts Config.Env: the original built it from a Go map, so its order varies between runs.
func normalizeEnv(raw []byte) []byte {
	var doc map[string]any
	if json.Unmarshal(raw, &doc) != nil {
		return raw
	}
	if cfg, ok := doc["Config"].(map[string]any); ok {
		if env, ok := cfg["Env"].([]any); ok {
			sort.Slice(env, func(i, j int) bool { return fmt.Sprint(env[i]) < fmt.Sprint(env[j]) })
		}
	}
	return mustJSON(doc)
}

// jsonDiff names the first path at which two JSON documents differ ("" when equal).
func jsonDiff(prefix string, got, want []byte) string {
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		return prefix + ": ours is not JSON"
	}
	if err := json.Unmarshal(want, &w); err != nil {
		return prefix + ": recorded is not JSON"
	}
	return diffValue(prefix, g, w)
}

func diffValue(path string, g, w any) string {
	gm, gok := g.(map[string]any)
	wm, wok := w.(map[string]any)
	if gok && wok {
		keys := map[string]bool{}
		for k := range gm {
			keys[k] = true
		}
		for k := range wm {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		// Digests last: a digest differs because something else does, and that is the better reason.
		sort.Slice(sorted, func(i, j int) bool {
			hi, hj := sorted[i] == "io.rancher.service.hash", sorted[j] == "io.rancher.service.hash"
			if hi != hj {
				return hj
			}
			return sorted[i] < sorted[j]
		})
		for _, k := range sorted {
			gv, gin := gm[k]
			wv, win := wm[k]
			sub := path + "." + genericKey(path, k)
			switch {
			case !gin:
				return sub + " missing in ours"
			case !win:
				return sub + " extra in ours"
			}
			if d := diffValue(sub, gv, wv); d != "" {
				return d
			}
		}
		return ""
	}
	if !reflect.DeepEqual(g, w) {
		if strings.HasSuffix(path, "io.rancher.service.hash") {
			return path + " digest differs"
		}
		return path + " differs"
	}
	return ""
}

// genericKey keeps categories general: user map keys (labels, environment, ports, ...) are elided.
func genericKey(path, k string) string {
	for _, m := range []string{".labels", ".environment", ".Labels", ".ExposedPorts", ".PortBindings", ".Volumes", ".metadata", ".LogConfig.Config", ".config"} {
		if strings.HasSuffix(path, m) && k != "io.rancher.service.hash" {
			return "*"
		}
	}
	return k
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 120 {
		s = s[:120]
	}
	return s
}
