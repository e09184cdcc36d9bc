package swarm

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	swarmtypes "github.com/moby/moby/api/types/swarm"
)

// fakeEngine is an httptest double of the Engine API endpoints the swarm engine uses, behaving like a
// 20.10 daemon in the ways that matter: it negotiates from /_ping, drops fields newer than API 1.41,
// clears UpdateStatus on spec changes that start no tasks, keeps one PreviousSpec, and pauses an update
// whose new tasks never become healthy (images listed in failing).
type fakeEngine struct {
	t          *testing.T
	srv        *httptest.Server
	apiVersion string

	mu       sync.Mutex
	services map[string]*swarmtypes.Service
	tasks    map[string][]swarmtypes.Task
	networks map[string]Network
	configs  map[string]*swarmtypes.Config
	images   map[string]bool // images present locally; pulls always fail (no registry)
	failing  map[string]bool // images whose tasks never become healthy…
	only     string          // …in this service only, when set
	writes   []string        // "METHOD /path" of every request that changes something
	nextID   int
}

func newFakeEngine(t *testing.T) *fakeEngine {
	f := &fakeEngine{t: t, apiVersion: "1.41", services: map[string]*swarmtypes.Service{}, tasks: map[string][]swarmtypes.Task{},
		networks: map[string]Network{}, configs: map[string]*swarmtypes.Config{}, images: map[string]bool{}, failing: map[string]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// endpoint is the fake's address as DOCKER_HOST would give it.
func (f *fakeEngine) endpoint() Endpoint {
	return Endpoint{Host: "tcp://" + strings.TrimPrefix(f.srv.URL, "http://")}
}

func (f *fakeEngine) id(prefix string) string {
	f.nextID++
	return fmt.Sprintf("%s%04d", prefix, f.nextID)
}

func (f *fakeEngine) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_ping" {
		w.Header().Set("Api-Version", f.apiVersion)
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
		_, _ = io.WriteString(w, "OK")
		return
	}
	prefix := "/v" + f.apiVersion
	if versionLess(MaxAPIVersion, f.apiVersion) {
		prefix = "/v" + MaxAPIVersion
	}
	if !strings.HasPrefix(r.URL.Path, prefix+"/") {
		http.Error(w, `{"message":"unexpected API version in `+r.URL.Path+`"}`, http.StatusBadRequest)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, prefix)
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Method != http.MethodGet {
		f.writes = append(f.writes, r.Method+" "+path)
	}
	status, out := f.route(r, path)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if out != nil {
		_ = json.NewEncoder(w).Encode(out)
	}
}

func msg(format string, args ...any) map[string]string {
	return map[string]string{"message": fmt.Sprintf(format, args...)}
}

func (f *fakeEngine) route(r *http.Request, path string) (int, any) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && path == "/info":
		return 200, map[string]any{"Swarm": map[string]any{"LocalNodeState": "active", "ControlAvailable": true}}
	case r.Method == http.MethodGet && path == "/services":
		return 200, f.listServices(r.URL.Query().Get("filters"))
	case r.Method == http.MethodPost && path == "/services/create":
		return f.create(r)
	case parts[0] == "services" && len(parts) >= 2:
		svc := f.find(parts[1])
		if svc == nil {
			return 404, msg("service %s not found", parts[1])
		}
		switch {
		case r.Method == http.MethodGet:
			return 200, svc
		case r.Method == http.MethodDelete:
			delete(f.services, svc.ID)
			delete(f.tasks, svc.ID)
			return 200, nil
		case len(parts) == 3 && parts[2] == "update":
			return f.update(r, svc)
		case len(parts) == 3 && parts[2] == "logs":
			return 200, nil
		}
	case r.Method == http.MethodGet && path == "/tasks":
		var filt map[string][]string
		_ = json.Unmarshal([]byte(r.URL.Query().Get("filters")), &filt)
		return 200, f.tasks[filt["service"][0]]
	case r.Method == http.MethodGet && path == "/networks":
		out := []Network{}
		for _, n := range f.networks {
			out = append(out, n)
		}
		return 200, out
	case r.Method == http.MethodPost && path == "/networks/create":
		var n Network
		_ = json.NewDecoder(r.Body).Decode(&n)
		n.ID = f.id("net")
		f.networks[n.ID] = n
		return 201, map[string]string{"Id": n.ID}
	case parts[0] == "networks" && len(parts) == 2:
		for id, n := range f.networks {
			if n.Name == parts[1] || id == parts[1] {
				if r.Method == http.MethodDelete {
					delete(f.networks, id)
				}
				return 200, n
			}
		}
		return 404, msg("network %s not found", parts[1])
	case r.Method == http.MethodGet && path == "/nodes":
		return 200, []map[string]any{{"ID": "node1", "Description": map[string]any{"Hostname": "host-a"}}}
	case parts[0] == "configs":
		return f.routeConfigs(r, parts)
	case r.Method == http.MethodPost && path == "/images/create":
		return 200, map[string]string{"error": "Get https://registry-1.docker.io/v2/: dial tcp: lookup registry-1.docker.io: no such host"}
	case parts[0] == "images" && len(parts) >= 3 && parts[len(parts)-1] == "json":
		if f.images[strings.Join(parts[1:len(parts)-1], "/")] {
			return 200, map[string]string{"Id": "sha256:1"}
		}
		return 404, msg("No such image")
	case parts[0] == "containers" && len(parts) == 3 && parts[2] == "json":
		return 200, map[string]any{"State": map[string]any{"Health": map[string]any{"Status": "unhealthy",
			"Log": []map[string]any{{"ExitCode": 1, "Output": `unhealthy: "GET /healthz HTTP/1.0" → HTTP/1.1 500 Internal Server Error`}}}}}
	}
	return 404, msg("fake engine: no route for %s %s", r.Method, path)
}

func (f *fakeEngine) find(idOrName string) *swarmtypes.Service {
	for _, s := range f.services {
		if s.ID == idOrName || s.Spec.Name == idOrName {
			return s
		}
	}
	return nil
}

func (f *fakeEngine) listServices(filters string) []swarmtypes.Service {
	var filt map[string][]string
	_ = json.Unmarshal([]byte(filters), &filt)
	out := []swarmtypes.Service{}
	for _, s := range f.services {
		ok := true
		for _, l := range filt["label"] {
			k, v, _ := strings.Cut(l, "=")
			ok = ok && s.Spec.Labels[k] == v
		}
		if ok {
			out = append(out, *s)
		}
	}
	return out
}

// decodeSpec reads a spec as a 1.41 daemon does: fields it does not know are dropped.
func decodeSpec(r *http.Request) (swarmtypes.ServiceSpec, error) {
	var spec swarmtypes.ServiceSpec
	err := json.NewDecoder(r.Body).Decode(&spec)
	if cs := spec.TaskTemplate.ContainerSpec; cs != nil {
		cs.OomScoreAdj = 0
	}
	if res := spec.TaskTemplate.Resources; res != nil {
		res.SwapBytes, res.MemorySwappiness = nil, nil
	}
	return spec, err
}

func (f *fakeEngine) create(r *http.Request) (int, any) {
	spec, err := decodeSpec(r)
	if err != nil {
		return 400, msg("%v", err)
	}
	if f.find(spec.Name) != nil {
		return 409, msg("service %s already exists", spec.Name)
	}
	svc := &swarmtypes.Service{ID: f.id("svc"), Spec: spec}
	svc.Version.Index = 1
	svc.CreatedAt, svc.UpdatedAt = time.Now(), time.Now()
	f.services[svc.ID] = svc
	f.startTasks(svc, nil)
	return 201, map[string]string{"ID": svc.ID}
}

func (f *fakeEngine) update(r *http.Request, svc *swarmtypes.Service) (int, any) {
	if v := r.URL.Query().Get("version"); v != fmt.Sprint(svc.Version.Index) {
		return 500, msg("update out of sequence")
	}
	spec, err := decodeSpec(r)
	if err != nil {
		return 400, msg("%v", err)
	}
	old := svc.Spec
	svc.PreviousSpec = &old
	svc.Spec = spec
	svc.Version.Index++
	svc.UpdatedAt = time.Now()
	if taskSpecEqual(old.TaskTemplate, spec.TaskTemplate) {
		svc.UpdateStatus = nil // a change that starts no task clears the status, as 20.10 does
		f.rescale(svc)
		return 200, map[string]any{"Warnings": nil}
	}
	now := time.Now()
	if f.fails(svc) {
		bad := f.task(svc, swarmtypes.TaskStateComplete, swarmtypes.TaskStateShutdown)
		svc.UpdateStatus = &swarmtypes.UpdateStatus{State: swarmtypes.UpdateStatePaused, StartedAt: &now,
			Message: "update paused due to failure or early termination of task " + bad.ID}
		f.tasks[svc.ID] = append(f.tasks[svc.ID], bad)
		return 200, map[string]any{"Warnings": nil}
	}
	svc.UpdateStatus = &swarmtypes.UpdateStatus{State: swarmtypes.UpdateStateCompleted, StartedAt: &now, CompletedAt: &now}
	f.startTasks(svc, f.tasks[svc.ID])
	return 200, map[string]any{"Warnings": nil}
}

// startTasks shuts the old tasks down and starts the replicas from the current spec (failing ones end).
func (f *fakeEngine) startTasks(svc *swarmtypes.Service, old []swarmtypes.Task) {
	var out []swarmtypes.Task
	for _, t := range old {
		if t.DesiredState == swarmtypes.TaskStateRunning {
			t.DesiredState, t.Status.State = swarmtypes.TaskStateShutdown, swarmtypes.TaskStateShutdown
		}
		out = append(out, t)
	}
	n := currentReplicas(*svc)
	if n < 0 {
		n = 1
	}
	for i := int64(0); i < n; i++ {
		if f.fails(svc) {
			out = append(out, f.task(svc, swarmtypes.TaskStateComplete, swarmtypes.TaskStateShutdown),
				f.task(svc, swarmtypes.TaskStateStarting, swarmtypes.TaskStateRunning))
			continue
		}
		out = append(out, f.task(svc, swarmtypes.TaskStateRunning, swarmtypes.TaskStateRunning))
	}
	f.tasks[svc.ID] = out
}

func (f *fakeEngine) fails(svc *swarmtypes.Service) bool {
	return f.failing[imageOf(svc.Spec)] && (f.only == "" || f.only == svc.Spec.Name)
}

func (f *fakeEngine) rescale(svc *swarmtypes.Service) {
	want := currentReplicas(*svc)
	var out []swarmtypes.Task
	var running int64
	for _, t := range f.tasks[svc.ID] {
		if t.DesiredState == swarmtypes.TaskStateRunning {
			if want >= 0 && running >= want {
				t.DesiredState, t.Status.State = swarmtypes.TaskStateShutdown, swarmtypes.TaskStateShutdown
			} else {
				running++
			}
		}
		out = append(out, t)
	}
	for ; want >= 0 && running < want; running++ {
		out = append(out, f.task(svc, swarmtypes.TaskStateRunning, swarmtypes.TaskStateRunning))
	}
	f.tasks[svc.ID] = out
}

func (f *fakeEngine) task(svc *swarmtypes.Service, state, desired swarmtypes.TaskState) swarmtypes.Task {
	id := f.id("task")
	return swarmtypes.Task{ID: id, ServiceID: svc.ID, NodeID: "node1", Spec: svc.Spec.TaskTemplate, DesiredState: desired,
		Status: swarmtypes.TaskStatus{Timestamp: time.Now(), State: state, ContainerStatus: &swarmtypes.ContainerStatus{ContainerID: "c-" + id}}}
}

// service returns a copy of the stack's service (compose name) as the fake holds it.
func (f *fakeEngine) service(stack, name string) swarmtypes.Service {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.find(stack + "_" + name)
	if s == nil {
		f.t.Fatalf("fake engine: no service %s_%s", stack, name)
	}
	return *s
}

// writesSince returns the mutating requests after the first n.
func (f *fakeEngine) writesSince(n int) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.writes[n:]...)
}

func (f *fakeEngine) writeCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.writes)
}

func (f *fakeEngine) routeConfigs(r *http.Request, parts []string) (int, any) {
	if len(parts) == 1 {
		out := []swarmtypes.Config{}
		for _, c := range f.configs {
			out = append(out, *c)
		}
		return 200, out
	}
	if parts[1] == "create" {
		var spec swarmtypes.ConfigSpec
		_ = json.NewDecoder(r.Body).Decode(&spec)
		for _, c := range f.configs {
			if c.Spec.Name == spec.Name {
				return 409, msg("config %s already exists", spec.Name)
			}
		}
		c := &swarmtypes.Config{ID: f.id("cfg"), Spec: spec}
		c.Version.Index = 1
		f.configs[c.ID] = c
		return 201, map[string]string{"ID": c.ID}
	}
	var cfg *swarmtypes.Config
	for _, c := range f.configs {
		if c.ID == parts[1] || c.Spec.Name == parts[1] {
			cfg = c
		}
	}
	if cfg == nil {
		return 404, msg("config %s not found", parts[1])
	}
	switch {
	case r.Method == http.MethodGet:
		return 200, cfg
	case r.Method == http.MethodDelete:
		delete(f.configs, cfg.ID)
		return 200, nil
	case len(parts) == 3 && parts[2] == "update":
		if r.URL.Query().Get("version") != fmt.Sprint(cfg.Version.Index) {
			return 500, msg("update out of sequence")
		}
		var spec swarmtypes.ConfigSpec
		_ = json.NewDecoder(r.Body).Decode(&spec)
		cfg.Spec.Labels = spec.Labels
		cfg.Version.Index++
		return 200, nil
	}
	return 404, msg("fake engine: no config route")
}
