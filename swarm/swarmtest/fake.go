// Package swarmtest is an httptest double of the Docker Engine API endpoints the swarm engine uses, for
// the swarm package's and the commands' tests.
package swarmtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	swarmtypes "github.com/moby/moby/api/types/swarm"
)

// Engine is an httptest double of the Engine API endpoints the swarm engine uses, behaving like a
// 20.10 daemon in the ways that matter: it negotiates from /_ping, drops fields newer than API 1.41,
// clears UpdateStatus on spec changes that start no tasks, keeps one PreviousSpec, and pauses an update
// whose new tasks never become healthy (images listed in failing).
type Engine struct {
	t          *testing.T
	srv        *httptest.Server
	APIVersion string

	Mu       sync.Mutex
	Services map[string]*swarmtypes.Service
	Tasks    map[string][]swarmtypes.Task
	Networks map[string]Network
	Configs  map[string]*swarmtypes.Config
	Images   map[string]bool // images present locally; pulls always fail (no registry)
	Failing  map[string]bool // images whose tasks never become healthy…
	Only     string          // …in this service only, when set
	writes   []string        // "METHOD /path" of every request that changes something
	nextID   int
}

// New starts a fake Engine API; it stops when the test ends.
func New(t *testing.T) *Engine {
	f := &Engine{t: t, APIVersion: "1.41", Services: map[string]*swarmtypes.Service{}, Tasks: map[string][]swarmtypes.Task{},
		Networks: map[string]Network{}, Configs: map[string]*swarmtypes.Config{}, Images: map[string]bool{}, Failing: map[string]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// Host is the fake's address as DOCKER_HOST gives it.
func (f *Engine) Host() string {
	return "tcp://" + strings.TrimPrefix(f.srv.URL, "http://")
}

func (f *Engine) id(prefix string) string {
	f.nextID++
	return fmt.Sprintf("%s%04d", prefix, f.nextID)
}

func (f *Engine) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/_ping" {
		w.Header().Set("Api-Version", f.APIVersion)
		w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
		_, _ = io.WriteString(w, "OK")
		return
	}
	prefix := "/v" + f.APIVersion
	if versionLess(maxAPI, f.APIVersion) {
		prefix = "/v" + maxAPI
	}
	if !strings.HasPrefix(r.URL.Path, prefix+"/") {
		http.Error(w, `{"message":"unexpected API version in `+r.URL.Path+`"}`, http.StatusBadRequest)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, prefix)
	f.Mu.Lock()
	defer f.Mu.Unlock()
	if r.Method != http.MethodGet {
		f.writes = append(f.writes, r.Method+" "+path)
	}
	status, out := f.route(r, path)
	if raw, ok := out.(rawBody); ok {
		w.Header().Set("Content-Type", "application/vnd.docker.multiplexed-stream")
		w.WriteHeader(status)
		_, _ = w.Write(raw)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if out != nil {
		_ = json.NewEncoder(w).Encode(out)
	}
}

func msg(format string, args ...any) map[string]string {
	return map[string]string{"message": fmt.Sprintf(format, args...)}
}

func (f *Engine) route(r *http.Request, path string) (int, any) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && path == "/info":
		return 200, map[string]any{"Swarm": map[string]any{"LocalNodeState": "active", "ControlAvailable": true}}
	case r.Method == http.MethodGet && path == "/services":
		return 200, f.listServices(r.URL.Query().Get("filters"))
	case r.Method == http.MethodPost && path == "/services/create":
		return f.create(r)
	case parts[0] == "services" && len(parts) >= 2:
		svc := f.Find(parts[1])
		if svc == nil {
			return 404, msg("service %s not found", parts[1])
		}
		switch {
		case len(parts) == 3 && parts[2] == "logs":
			return 200, logFrames(svc.Spec.Name+" line 1\n", svc.Spec.Name+" line 2\n")
		case r.Method == http.MethodGet:
			return 200, svc
		case r.Method == http.MethodDelete:
			delete(f.Services, svc.ID)
			delete(f.Tasks, svc.ID)
			return 200, nil
		case len(parts) == 3 && parts[2] == "update":
			return f.update(r, svc)
		}
	case r.Method == http.MethodGet && path == "/tasks":
		var filt map[string][]string
		_ = json.Unmarshal([]byte(r.URL.Query().Get("filters")), &filt)
		return 200, f.Tasks[filt["service"][0]]
	case r.Method == http.MethodGet && path == "/networks":
		out := []Network{}
		for _, n := range f.Networks {
			out = append(out, n)
		}
		return 200, out
	case r.Method == http.MethodPost && path == "/networks/create":
		var n Network
		_ = json.NewDecoder(r.Body).Decode(&n)
		n.ID = f.id("net")
		f.Networks[n.ID] = n
		return 201, map[string]string{"Id": n.ID}
	case parts[0] == "networks" && len(parts) == 2:
		for id, n := range f.Networks {
			if n.Name == parts[1] || id == parts[1] {
				if r.Method == http.MethodDelete {
					delete(f.Networks, id)
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
		if f.Images[strings.Join(parts[1:len(parts)-1], "/")] {
			return 200, map[string]string{"Id": "sha256:1"}
		}
		return 404, msg("No such image")
	case parts[0] == "containers" && len(parts) == 3 && parts[2] == "json":
		return 200, map[string]any{"State": map[string]any{"Health": map[string]any{"Status": "unhealthy",
			"Log": []map[string]any{{"ExitCode": 1, "Output": `unhealthy: "GET /healthz HTTP/1.0" → HTTP/1.1 500 Internal Server Error`}}}}}
	}
	return 404, msg("fake engine: no route for %s %s", r.Method, path)
}

// Find returns the service with this id or name (hold Mu).
func (f *Engine) Find(idOrName string) *swarmtypes.Service {
	for _, s := range f.Services {
		if s.ID == idOrName || s.Spec.Name == idOrName {
			return s
		}
	}
	return nil
}

func (f *Engine) listServices(filters string) []swarmtypes.Service {
	var filt map[string][]string
	_ = json.Unmarshal([]byte(filters), &filt)
	out := []swarmtypes.Service{}
	for _, s := range f.Services {
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

func (f *Engine) create(r *http.Request) (int, any) {
	spec, err := decodeSpec(r)
	if err != nil {
		return 400, msg("%v", err)
	}
	if f.Find(spec.Name) != nil {
		return 409, msg("service %s already exists", spec.Name)
	}
	svc := &swarmtypes.Service{ID: f.id("svc"), Spec: spec}
	svc.Version.Index = 1
	svc.CreatedAt, svc.UpdatedAt = time.Now(), time.Now()
	f.Services[svc.ID] = svc
	f.startTasks(svc, nil)
	return 201, map[string]string{"ID": svc.ID}
}

func (f *Engine) update(r *http.Request, svc *swarmtypes.Service) (int, any) {
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
		f.Tasks[svc.ID] = append(f.Tasks[svc.ID], bad)
		return 200, map[string]any{"Warnings": nil}
	}
	svc.UpdateStatus = &swarmtypes.UpdateStatus{State: swarmtypes.UpdateStateCompleted, StartedAt: &now, CompletedAt: &now}
	f.startTasks(svc, f.Tasks[svc.ID])
	return 200, map[string]any{"Warnings": nil}
}

// startTasks shuts the old tasks down and starts the replicas from the current spec (failing ones end).
func (f *Engine) startTasks(svc *swarmtypes.Service, old []swarmtypes.Task) {
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
		state, desired := runState(svc)
		out = append(out, f.task(svc, state, desired))
	}
	f.Tasks[svc.ID] = out
}

// runState is the state a healthy new task reaches and its desired state: complete (exit 0) and desired
// shutdown for a job Swarm never restarts (restart condition none), as 20.10 leaves it; running otherwise.
func runState(svc *swarmtypes.Service) (swarmtypes.TaskState, swarmtypes.TaskState) {
	if rp := svc.Spec.TaskTemplate.RestartPolicy; rp != nil && rp.Condition == swarmtypes.RestartPolicyConditionNone {
		return swarmtypes.TaskStateComplete, swarmtypes.TaskStateShutdown
	}
	return swarmtypes.TaskStateRunning, swarmtypes.TaskStateRunning
}

func (f *Engine) fails(svc *swarmtypes.Service) bool {
	return f.Failing[imageOf(svc.Spec)] && (f.Only == "" || f.Only == svc.Spec.Name)
}

func (f *Engine) rescale(svc *swarmtypes.Service) {
	want := currentReplicas(*svc)
	var out []swarmtypes.Task
	var running int64
	for _, t := range f.Tasks[svc.ID] {
		if t.DesiredState == swarmtypes.TaskStateRunning {
			if want >= 0 && running >= want {
				t.DesiredState, t.Status.State = swarmtypes.TaskStateShutdown, swarmtypes.TaskStateShutdown
			} else {
				running++
			}
		}
		out = append(out, t)
	}
	state, desired := runState(svc)
	for ; want >= 0 && running < want; running++ {
		out = append(out, f.task(svc, state, desired))
	}
	f.Tasks[svc.ID] = out
}

func (f *Engine) task(svc *swarmtypes.Service, state, desired swarmtypes.TaskState) swarmtypes.Task {
	id := f.id("task")
	return swarmtypes.Task{ID: id, Meta: swarmtypes.Meta{CreatedAt: time.Now()}, ServiceID: svc.ID, NodeID: "node1", Spec: svc.Spec.TaskTemplate, DesiredState: desired,
		Status: swarmtypes.TaskStatus{Timestamp: time.Now(), State: state, ContainerStatus: &swarmtypes.ContainerStatus{ContainerID: "c-" + id}}}
}

// Service returns a copy of the stack's service (compose name) as the fake holds it.
func (f *Engine) Service(stack, name string) swarmtypes.Service {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	s := f.Find(stack + "_" + name)
	if s == nil {
		f.t.Fatalf("fake engine: no service %s_%s", stack, name)
	}
	return *s
}

// WritesSince returns the mutating requests after the first n.
func (f *Engine) WritesSince(n int) []string {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return append([]string(nil), f.writes[n:]...)
}

// WriteCount is how many mutating requests the fake received.
func (f *Engine) WriteCount() int {
	f.Mu.Lock()
	defer f.Mu.Unlock()
	return len(f.writes)
}

func (f *Engine) routeConfigs(r *http.Request, parts []string) (int, any) {
	if len(parts) == 1 {
		out := []swarmtypes.Config{}
		for _, c := range f.Configs {
			out = append(out, *c)
		}
		return 200, out
	}
	if parts[1] == "create" {
		var spec swarmtypes.ConfigSpec
		_ = json.NewDecoder(r.Body).Decode(&spec)
		for _, c := range f.Configs {
			if c.Spec.Name == spec.Name {
				return 409, msg("config %s already exists", spec.Name)
			}
		}
		c := &swarmtypes.Config{ID: f.id("cfg"), Spec: spec}
		c.Version.Index = 1
		f.Configs[c.ID] = c
		return 201, map[string]string{"ID": c.ID}
	}
	var cfg *swarmtypes.Config
	for _, c := range f.Configs {
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
		delete(f.Configs, cfg.ID)
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

// maxAPI is the newest API version the swarm engine asks for.
const maxAPI = "1.41"

// Network is a network as the fake keeps it.
type Network struct {
	ID         string `json:"Id"`
	Name       string
	Driver     string
	Scope      string
	Attachable bool
	Labels     map[string]string
}

func imageOf(s swarmtypes.ServiceSpec) string {
	if s.TaskTemplate.ContainerSpec == nil {
		return ""
	}
	return s.TaskTemplate.ContainerSpec.Image
}

func currentReplicas(s swarmtypes.Service) int64 {
	if s.Spec.Mode.Replicated == nil || s.Spec.Mode.Replicated.Replicas == nil {
		return -1
	}
	return int64(*s.Spec.Mode.Replicated.Replicas)
}

func taskSpecEqual(a, b swarmtypes.TaskSpec) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			return x < y
		}
	}
	return false
}

// rawBody is an answer sent as it is, not as JSON.
type rawBody []byte

// logFrames multiplexes lines as stdout frames, as the daemon streams the logs of a non-TTY service.
func logFrames(lines ...string) rawBody {
	var b []byte
	for _, l := range lines {
		hdr := []byte{1, 0, 0, 0, byte(len(l) >> 24), byte(len(l) >> 16), byte(len(l) >> 8), byte(len(l))}
		b = append(append(b, hdr...), l...)
	}
	return b
}
