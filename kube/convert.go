package kube

import (
	"fmt"
	"sort"

	"k8s.io/apimachinery/pkg/runtime"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/rancher/launchconfig"
)

// Options tune a conversion.
type Options struct {
	// IncludeSecrets emits a Secret holding the secret-looking environment values. Without it the
	// containers reference a Secret that the manifests do not contain (values are never printed).
	IncludeSecrets bool
}

// Object is one emitted Kubernetes object.
type Object struct {
	Kind string
	Name string
	// Obj is the typed object (*appsv1.Deployment, *corev1.Service, ...) with its TypeMeta set.
	Obj runtime.Object
}

// Result is what a conversion produced.
type Result struct {
	// Namespace is the stack's namespace.
	Namespace string
	// Sources are the files the project was read from, for the manifests' header.
	Sources []string
	// Objects in apply order: by kind (Namespace first), then name.
	Objects []Object
	// Notes, sorted by position: renames, approximations and every key not carried over.
	Notes []Note
}

// Dropped counts the notes about keys that were not carried over.
func (r *Result) Dropped() int {
	n := 0
	for _, x := range r.Notes {
		if x.Level == Dropped {
			n++
		}
	}
	return n
}

// converter holds the state of one conversion.
type converter struct {
	p     *compose.Project
	opts  Options
	ns    string
	names *nameTable
	notes notes
	objs  []Object
	// used records the keys each service had carried over: top-level compose keys, "rancher.KEY".
	used map[*compose.Service]map[string]bool
	// extraPorts are ports load balancer rules send to a service, which its Service must expose.
	extraPorts map[string][]int64
	// claims are the named volumes pods mount, by claim name; aliases the link alias Services, by name.
	claims  map[string]*claim
	aliases map[string]string
}

// Convert turns the project into Kubernetes objects. It never fails on a key it cannot carry over
// (that becomes a Note); the error is for a project it cannot convert at all.
func Convert(p *compose.Project, opts Options) (*Result, error) {
	if p == nil {
		return nil, fmt.Errorf("converting to Kubernetes: no project")
	}
	c := &converter{p: p, opts: opts, names: newNameTable(), used: map[*compose.Service]map[string]bool{},
		extraPorts: map[string][]int64{}, claims: map[string]*claim{}, aliases: map[string]string{}}
	c.namespace()
	c.assignNames()
	lbs, rest := c.classify()
	for _, s := range lbs {
		c.loadBalancer(s)
	}
	for _, s := range rest {
		c.primary(s)
	}
	c.linkAliases()
	c.volumeClaims()
	c.projectKeys()
	c.unusedKeys()
	sortObjects(c.objs)
	return &Result{Namespace: c.ns, Sources: c.sources(), Objects: c.objs, Notes: c.notes.sorted()}, nil
}

func (c *converter) sources() []string {
	out := append([]string(nil), c.p.ComposeFiles...)
	if c.p.RancherFile != "" {
		out = append(out, c.p.RancherFile)
	}
	return out
}

// assignNames gives every service its Kubernetes name, primaries first, and reports renames.
func (c *converter) assignNames() {
	for _, s := range c.p.Services {
		if name, renamed := c.names.assign(s.Name); renamed {
			c.notes.add(Info, s.Key(), "named %q in Kubernetes (RFC 1123)", name)
		}
	}
}

// classify splits the primaries into load balancers (converted first: their rules add Service ports
// to their targets) and the rest.
func (c *converter) classify() (lbs, rest []*compose.Service) {
	for _, s := range c.p.Primaries() {
		switch launchconfig.KindOf(s) {
		case launchconfig.KindLoadBalancer, launchconfig.KindLegacyLoadBalancer:
			lbs = append(lbs, s)
		default:
			rest = append(rest, s)
		}
	}
	return lbs, rest
}

// primary converts one non-load-balancer service with its sidekicks.
func (c *converter) primary(s *compose.Service) {
	switch kind := launchconfig.KindOf(s); kind {
	case launchconfig.KindExternal:
		c.externalService(s)
	case launchconfig.KindDNS:
		c.dnsService(s)
	case launchconfig.KindService:
		c.workload(s)
		c.service(s)
	default:
		c.notes.add(Dropped, s.Key(), "a Rancher %s is infrastructure of Rancher itself; Kubernetes has its own", kind)
		for _, m := range append([]*compose.Service{s}, c.sidekicksOf(s)...) {
			c.useAll(m)
		}
	}
}

// use marks keys of a service as carried over ("ports", "rancher.scale").
func (c *converter) use(s *compose.Service, keys ...string) {
	m := c.used[s]
	if m == nil {
		m = map[string]bool{}
		c.used[s] = m
	}
	for _, k := range keys {
		m[k] = true
	}
}

// useAll marks every key of a service as dealt with (a note already covers the service as a whole).
func (c *converter) useAll(s *compose.Service) {
	c.use(s, s.TopKeys(false)...)
	for _, k := range s.TopKeys(true) {
		c.use(s, "rancher."+k)
	}
}

// kindOrder is the apply order of kinds.
var kindOrder = map[string]int{
	"Namespace": 0, "Secret": 1, "PersistentVolumeClaim": 2, "Service": 3, "EndpointSlice": 4,
	"Deployment": 5, "StatefulSet": 6, "DaemonSet": 7, "Job": 8, "Ingress": 9,
}

func sortObjects(objs []Object) {
	sort.SliceStable(objs, func(i, j int) bool {
		a, b := objs[i], objs[j]
		if kindOrder[a.Kind] != kindOrder[b.Kind] {
			return kindOrder[a.Kind] < kindOrder[b.Kind]
		}
		return a.Name < b.Name
	})
}
