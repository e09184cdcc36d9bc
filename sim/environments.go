package sim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

// environment is the project one Server simulates.
type environment struct {
	id, name string
	// index numbers the environments of an Environments (the project id is 1a<5+index>).
	index int
	// url is the shared front's URL, which URL() reports.
	url string
}

// Environments serves several simulated environments (Rancher projects) on one address, as one Rancher
// server does: each has its own hosts, stacks and environment API key, and the access/secret key pair of
// the Options becomes an account API key that is a member of every one (it names one with
// /v2-beta/projects/<id>/…, as `--env` does). Listing /v2-beta/projects with it shows them all.
type Environments struct {
	envs                 []*Server
	accessKey, secretKey string
	ln                   net.Listener
	http                 *http.Server
}

// StartEnvironments starts one simulator per name (every other option shared, each with a random
// environment key) behind one listener on opts.Listen.
func StartEnvironments(opts Options, names []string) (*Environments, error) {
	if len(names) == 0 {
		return nil, fmt.Errorf("no environment names")
	}
	seen := map[string]bool{}
	for _, n := range names {
		if n == "" || seen[strings.ToLower(n)] {
			return nil, fmt.Errorf("environment names must be distinct and not empty: %q", names)
		}
		seen[strings.ToLower(n)] = true
	}
	if opts.AccessKey == "" {
		opts.AccessKey = "SIMACCOUNT" + strings.ToUpper(newUUID()[:8])
	}
	if opts.SecretKey == "" {
		opts.SecretKey = strings.ReplaceAll(newUUID(), "-", "")
	}
	addr := opts.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	m := &Environments{accessKey: opts.AccessKey, secretKey: opts.SecretKey, ln: ln}
	for i, name := range names {
		eo := opts
		eo.AccessKey, eo.SecretKey = "", ""
		eo.env = environment{id: fmt.Sprintf("1a%d", 5+i), name: name, index: i, url: "http://" + ln.Addr().String()}
		eo.AccountKeys = append(append([]AccountKey(nil), opts.AccountKeys...),
			AccountKey{AccessKey: opts.AccessKey, SecretKey: opts.SecretKey, Projects: []string{eo.env.id}})
		s, err := New(eo)
		if err != nil {
			_ = m.Close()
			return nil, err
		}
		m.envs = append(m.envs, s)
	}
	m.http = &http.Server{Handler: m, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = m.http.Serve(ln) }()
	return m, nil
}

// URL is the base URL every environment is served on.
func (m *Environments) URL() string { return "http://" + m.ln.Addr().String() }

// AccessKey and SecretKey are the account API key that sees every environment.
func (m *Environments) AccessKey() string { return m.accessKey }

// SecretKey is the account API key's secret.
func (m *Environments) SecretKey() string { return m.secretKey }

// Names lists the environments in order.
func (m *Environments) Names() []string {
	out := make([]string, len(m.envs))
	for i, s := range m.envs {
		out[i] = s.env.name
	}
	return out
}

// Environment returns the simulator of the environment with that name or id (its AccessKey and
// SecretKey are the environment key; ProjectID its id), or nil.
func (m *Environments) Environment(nameOrID string) *Server {
	for _, s := range m.envs {
		if s.env.id == nameOrID || s.env.name == nameOrID {
			return s
		}
	}
	return nil
}

// ProjectID is the id of the environment (project) the server simulates.
func (s *Server) ProjectID() string { return s.env.id }

// ProjectName is the name of the environment (project) the server simulates.
func (s *Server) ProjectName() string { return s.env.name }

// Close stops serving and every environment.
func (m *Environments) Close() error {
	if m.http != nil {
		_ = m.http.Close()
	}
	_ = m.ln.Close()
	for _, s := range m.envs {
		_ = s.Close()
	}
	return nil
}

// ServeHTTP sends each request to its environment: the one its path or X-API-Project-Id/projectId names,
// else the one whose environment key it carries; the control API takes ?env=NAME. An account key listing
// the projects gets every environment's; other requests without an environment go to the first one.
func (m *Environments) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") || r.URL.Path == "/_sim" {
		target := m.envs[0]
		if e := m.Environment(r.URL.Query().Get("env")); e != nil {
			target = e
		}
		target.ServeHTTP(w, r)
		return
	}
	if e := m.scoped(r); e != nil {
		e.ServeHTTP(w, r)
		return
	}
	if m.isProjectList(r) {
		m.listProjects(w, r)
		return
	}
	m.envs[0].ServeHTTP(w, r)
}

// scoped finds the environment a request names or whose environment key it carries.
func (m *Environments) scoped(r *http.Request) *Server {
	segs := splitPath(r.URL.Path)
	if len(segs) > 2 && segs[1] == "projects" {
		if e := m.byID(segs[2]); e != nil {
			return e
		}
	}
	if pid := firstNonEmpty(r.Header.Get("X-API-Project-Id"), r.URL.Query().Get("projectId")); pid != "" {
		if e := m.byID(pid); e != nil {
			return e
		}
	}
	if user, _, ok := r.BasicAuth(); ok {
		for _, s := range m.envs {
			if user == s.opts.AccessKey {
				return s
			}
		}
	}
	return nil
}

func (m *Environments) byID(id string) *Server {
	for _, s := range m.envs {
		if s.env.id == id {
			return s
		}
	}
	return nil
}

// isProjectList is GET /<version>/projects (with or without a query).
func (m *Environments) isProjectList(r *http.Request) bool {
	segs := splitPath(r.URL.Path)
	return r.Method == http.MethodGet && len(segs) == 2 && segs[1] == "projects"
}

// listProjects asks every environment for its projects and answers with all of them in one collection.
func (m *Environments) listProjects(w http.ResponseWriter, r *http.Request) {
	var merged map[string]any
	var data []any
	for _, s := range m.envs {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, r.Clone(r.Context()))
		if rec.Code != http.StatusOK {
			copyRecorded(w, rec)
			return
		}
		var page map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &page); err != nil {
			copyRecorded(w, rec)
			return
		}
		items, _ := page["data"].([]any)
		data = append(data, items...)
		if merged == nil {
			merged = page
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
		}
	}
	merged["data"] = data
	body, err := json.Marshal(merged)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Del("Content-Length")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

func copyRecorded(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = bytes.NewReader(rec.Body.Bytes()).WriteTo(w)
}
