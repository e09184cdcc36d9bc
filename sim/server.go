package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// RancherVersion is what X-Rancher-Version and the rancher.server.version setting report.
const RancherVersion = "v1.6.14"

// Server is a running simulator: an HTTP API plus the simulated environment behind it.
type Server struct {
	opts Options
	// renderGen: see rendercache.go (guarded by mu)
	renderGen uint64
	// cacheMu guards renderCache and renderMisses: readers holding mu for reading fill the cache together.
	cacheMu     sync.Mutex
	renderCache map[*resource]renderCached
	// renderMisses counts the renderings the cache could not serve (tests).
	renderMisses int
	schemas      *schemaSet
	keys         []*apiKey                 // guarded by mu; keysNow is what authentication reads, without it
	keysNow      atomic.Pointer[[]*apiKey] // a copy of keys, replaced whenever keys change
	// env is the environment (project) this server simulates: "1a5" "Default" unless one of Environments.
	env environment

	// writersWaiting counts those waiting for mu in lockWrite: a long read (a big list) yields mu to them.
	writersWaiting atomic.Int32
	// writersCame and writersGot count the writers that came to lockWrite and those that got mu; a reader
	// waits in lockRead until the writers that came before it got mu (readersGate, under gateMu).
	writersCame, writersGot atomic.Uint64
	gateMu                  sync.Mutex
	readersGate             *sync.Cond
	readersGated            int // readers waiting on readersGate (guarded by gateMu)

	// reqMu guards stats, rnd and errFlip, and, with mu, faults (but for ConflictBurst, reqMu's alone):
	// a request's first look at them does not queue for the simulation's lock.
	reqMu sync.Mutex
	// mu guards everything below but what reqMu guards, and every resource. Requests that only read (GETs
	// of stored resources, see readOnly) hold it for reading, so they do not queue behind one another;
	// every change, and every simulated process, holds it for writing (lockWrite). Answers are rendered
	// under it but encoded after (pendingRender); a big list yields it to waiting writers (renderPage).
	mu         sync.RWMutex
	procMu     sync.Mutex // a simulated process holds it while it holds or waits for mu (proc.lock)
	st         *store
	sched      schedIndex // the scheduler's view of the containers (placement.go)
	svcIdx     svcIndex   // services by name and selector (svcindex.go)
	clk        clock
	vclk       *virtualTime
	images     []ImageBehavior
	exposeExit bool // Options.ExposeExitCode, changeable through /_sim/features
	faults     Faults
	stats      stats
	rnd        *rand.Rand
	errFlip    bool
	changeWs   []*waiter               // processes waiting for any change
	keyedWs    map[*resource][]*waiter // processes waiting for a change of one resource (see proc.waitOn)
	logToks    map[string]int64        // websocket token → container number
	procs      sync.WaitGroup

	ln     net.Listener
	http   *http.Server
	ctx    context.Context
	cancel context.CancelFunc
}

// New builds a simulator without serving it (see Start, or use it as an http.Handler).
func New(opts Options) (*Server, error) {
	schemas, err := loadSchemas()
	if err != nil {
		return nil, err
	}
	if opts.AccessKey == "" {
		opts.AccessKey = "SIMKEY" + strings.ToUpper(newUUID()[:8])
	}
	if opts.SecretKey == "" {
		opts.SecretKey = strings.ReplaceAll(newUUID(), "-", "")
	}
	seed := opts.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	s := &Server{opts: opts, schemas: schemas, rnd: rand.New(rand.NewSource(seed)),
		images: append([]ImageBehavior(nil), opts.Images...), faults: opts.Faults, exposeExit: opts.ExposeExitCode,
		keyedWs: map[*resource][]*waiter{}}
	s.env = opts.env
	if s.env.id == "" {
		s.env = environment{id: projectID, name: projectName, index: 0}
	}
	s.keys = append(s.keys, &apiKey{access: opts.AccessKey, secret: opts.SecretKey, environment: true})
	for _, k := range opts.AccountKeys {
		s.keys = append(s.keys, &apiKey{access: k.AccessKey, secret: k.SecretKey, projects: k.Projects})
	}
	s.keysChanged()
	switch opts.Clock {
	case ManualClock:
		s.vclk = newVirtualTime(time.Now(), false)
		s.clk = s.vclk
	case FastClock:
		s.vclk = newVirtualTime(time.Now(), true)
		s.clk = s.vclk
	default:
		s.clk = &realTime{}
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.readersGate = sync.NewCond(&s.gateMu)
	s.mu.Lock()
	s.invalidate()
	s.resetLocked()
	s.mu.Unlock()
	return s, nil
}

// lockWrite takes mu for writing, counted in writersWaiting while it waits.
func (s *Server) lockWrite() {
	s.writersWaiting.Add(1)
	s.writersCame.Add(1)
	s.mu.Lock()
	s.writersWaiting.Add(-1)
	s.writersGot.Add(1)
	s.gateMu.Lock()
	if s.readersGated > 0 {
		s.readersGate.Broadcast()
	}
	s.gateMu.Unlock()
}

// lockRead takes mu for reading once every writer that came before has had it. sync.RWMutex alone lets
// in, after each writer, every reader that came while it waited, before the next writer: at --step 0 a
// burst of 50 activations, with the poller's 32 reads by id in flight, took 50 rounds of a writer and a
// batch of reads, and the last activation waited 30–60 ms. A reader waits for the writers ahead of it
// (then sync.RWMutex for at most the one holding or waiting for mu), not for those that come later, so
// requests are served about in the order they came.
func (s *Server) lockRead() {
	came := s.writersCame.Load()
	if s.writersGot.Load() < came {
		s.gateMu.Lock()
		s.readersGated++
		for s.writersGot.Load() < came {
			s.readersGate.Wait()
		}
		s.readersGated--
		s.gateMu.Unlock()
	}
	s.mu.RLock()
}

// keysChanged publishes s.keys to authentication (keysNow). Caller holds s.mu, or has the server to itself.
func (s *Server) keysChanged() {
	keys := append([]*apiKey(nil), s.keys...)
	s.keysNow.Store(&keys)
}

// Start builds a simulator and serves it on opts.Listen (default: a random loopback port).
func Start(opts Options) (*Server, error) {
	s, err := New(opts)
	if err != nil {
		return nil, err
	}
	addr := opts.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
	s.ln = ln
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.http.Serve(ln) }()
	return s, nil
}

// URL is the base URL to give clients as RANCHER_URL, e.g. http://127.0.0.1:38211.
func (s *Server) URL() string {
	if s.env.url != "" {
		return s.env.url
	}
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// AccessKey is the environment API key's access key.
func (s *Server) AccessKey() string { return s.opts.AccessKey }

// SecretKey is the environment API key's secret.
func (s *Server) SecretKey() string { return s.opts.SecretKey }

// Close stops serving and cancels every simulated process.
func (s *Server) Close() error {
	s.cancel()
	var err error
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		err = s.http.Shutdown(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			err = s.http.Close()
		}
	}
	if s.vclk != nil {
		s.vclk.close()
	}
	return err
}

// ServeHTTP answers the Rancher API, the /_sim/ control API, /ping and the log websockets.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	path := r.URL.Path
	switch {
	case path == "/ping":
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("pong"))
		return
	case strings.HasPrefix(path, "/_sim/"):
		s.serveControl(w, r)
		return
	case strings.HasPrefix(path, logsPath):
		s.serveLogs(w, r)
		return
	}
	status, lockWait := s.serveAPI(w, r)
	if s.opts.RequestLog != nil {
		q := ""
		if r.URL.RawQuery != "" {
			q = "?" + r.URL.RawQuery
		}
		fmt.Fprintf(s.opts.RequestLog, "%s %s %s%s -> %d [lock %s] (%s)\n", time.Now().UTC().Format("15:04:05.000"),
			r.Method, path, q, status, lockWait.Round(time.Microsecond), time.Since(start).Round(time.Microsecond))
	}
}

// result is a handler's answer before faults and serialisation.
type result struct {
	status int
	body   any
	raw    string  // pre-serialised body (schemas, zip)
	enc    *[]byte // the serialised body, in a buffer of encBuffers (see serialize)
	holes  *holes  // places in enc for renderings encoded once s.mu is released (fillHoles)
	// contentType overrides application/json.
	contentType string
}

// serveAPI answers an API request; it returns the status and how long the request waited for s.mu.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) (int, time.Duration) {
	method := r.Method
	if m := r.URL.Query().Get("_method"); m != "" {
		method = strings.ToUpper(m)
	}
	mutating := isMutation(method, r)
	s.reqMu.Lock()
	s.stats.count(method, mutating)
	f := s.faults
	before, after := s.drawFaults(&f, mutating)
	drop := f.DropRate > 0 && s.rnd.Float64() < f.DropRate
	conflict := false
	if mutating && s.faults.ConflictBurst > 0 {
		s.faults.ConflictBurst--
		conflict = true
	}
	jitter := time.Duration(0)
	if f.Jitter > 0 {
		jitter = time.Duration(s.rnd.Int63n(int64(f.Jitter)))
	}
	s.reqMu.Unlock()

	if d := f.Latency.D() + jitter; d > 0 {
		time.Sleep(d)
	}
	rc, res := s.route(r, method, before, conflict)
	if before && res.status == http.StatusServiceUnavailable {
		res = injectedError(rc, f)
	}
	if drop {
		s.dropConnection(w)
		return 0, rc.lockWait
	}
	if after {
		res = injectedError(rc, f)
	}
	if res.status >= 400 {
		s.reqMu.Lock()
		s.stats.status(res.status)
		s.reqMu.Unlock()
	}
	s.write(w, rc, res)
	return res.status, rc.lockWait
}

// drawFaults decides whether this request gets an injected 503, before or after it is applied.
func (s *Server) drawFaults(f *Faults, mutating bool) (before, after bool) {
	if f.ErrorRate <= 0 || s.rnd.Float64() >= f.ErrorRate {
		return false, false
	}
	s.stats.Injected++
	if !mutating {
		return true, false
	}
	s.errFlip = !s.errFlip
	return s.errFlip, !s.errFlip
}

func (s *Server) dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

// route authenticates, resolves the version and scope, and dispatches.
func (s *Server) route(r *http.Request, method string, fail503, conflict bool) (*reqCtx, result) {
	rc := &reqCtx{base: requestBase(r), version: "v1", r: r}
	segs := splitPath(r.URL.Path)
	if len(segs) > 0 && (segs[0] == "v2-beta" || segs[0] == "v1") {
		rc.version = segs[0]
		segs = segs[1:]
	} else if len(segs) > 0 {
		return rc, errResult(httpErr(http.StatusNotFound))
	}
	key, aerr := s.authenticate(r)
	if aerr != nil {
		return rc, errResult(aerr)
	}
	rc.account = key
	if len(segs) > 2 && segs[0] == "projects" {
		if e := s.authorizeProject(key, segs[1]); e != nil {
			return rc, errResult(e)
		}
		rc.sub = "/projects/" + segs[1]
		segs = segs[2:]
	} else if pid := firstNonEmpty(r.Header.Get("X-API-Project-Id"), r.URL.Query().Get("projectId")); pid != "" {
		if e := s.authorizeProject(key, pid); e != nil {
			return rc, errResult(e)
		}
		rc.projectChosen = true
	}
	if fail503 {
		return rc, errResult(httpErr(http.StatusServiceUnavailable)) // replaced by the caller's injected error
	}
	if conflict {
		return rc, errResult(httpErr(http.StatusConflict))
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		return rc, errResult(httpErr(http.StatusBadRequest))
	}
	rc.body = body
	if isTransform(method, segs) {
		return rc, serialize(rc, s.transformHandler(rc)) // reads nothing of the simulation
	}
	var res result
	if readOnly(method, segs) {
		res = s.serveReading(rc, method, segs)
	} else {
		rc.decodeEarly(method)
		res = s.serveWriting(rc, method, segs)
	}
	if s.writersWaiting.Load() > 0 {
		// Releasing s.mu made the writer runnable on this P, not running: sync hands the P over only to
		// waiters starved for 1 ms. Without yielding, the writer (and everyone queued behind it) would wait
		// for this request to encode and write its answer first.
		runtime.Gosched()
	}
	return rc, fillHoles(res)
}

// serveReading answers a request that only reads, holding s.mu for reading; renderings it leaves to encode
// are filled in once the lock is released (fillHoles).
func (s *Server) serveReading(rc *reqCtx, method string, segs []string) result {
	asked := time.Now()
	s.lockRead()
	defer s.mu.RUnlock()
	rc.lockWait = time.Since(asked)
	rc.readLocked = true
	return serializeHoles(rc, s.dispatch(rc, method, segs))
}

// serveWriting answers any other request, holding s.mu for writing, as serveReading does.
func (s *Server) serveWriting(rc *reqCtx, method string, segs []string) result {
	asked := time.Now()
	s.lockWrite()
	defer s.mu.Unlock()
	rc.lockWait = time.Since(asked)
	res := s.dispatch(rc, method, segs)
	if isMutation(method, rc.r) {
		s.recordAudit(rc, method, segs, res)
	}
	return serializeHoles(rc, res)
}

// isTransform reports POST scripts/transform, a pure conversion of the request body.
func isTransform(method string, segs []string) bool {
	return method == http.MethodPost && len(segs) == 2 && segs[0] == "scripts" && segs[1] == "transform"
}

// readOnly reports whether a request only reads the simulation, so that it may be served holding s.mu
// for reading alongside others: GETs of the version root and of stored collections, resources and their
// links. Derived tables are rebuilt when read (syncDerived) and the schema documents keep variants made
// on first use (withExitCode): their GETs hold s.mu for writing, as every other request does.
func readOnly(method string, segs []string) bool {
	if method != http.MethodGet {
		return false
	}
	if len(segs) == 0 {
		return true
	}
	if strings.EqualFold(segs[0], "schemas") || strings.EqualFold(segs[len(segs)-1], "schemas") {
		return false
	}
	cd, ok := collections[strings.ToLower(segs[0])]
	return ok && !derivedTables[cd.table]
}

func splitPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func errResult(e *apiError) result { return result{status: e.Status, body: e.body()} }

// write serialises a result with the headers every Rancher answer carries.
func (s *Server) write(w http.ResponseWriter, rc *reqCtx, res result) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-API-Schemas", rc.schemasURL())
	h.Set("X-Rancher-Version", RancherVersion)
	if rc.account == nil || rc.account.environment {
		h.Set("X-API-Account-Id", s.env.id)
		h.Set("X-API-User-Id", s.env.id)
		h.Set("X-API-Account-Kind", "project")
		h.Set("X-API-Account-Name", s.env.name)
	} else {
		h.Set("X-API-Account-Id", "1a1")
		h.Set("X-API-User-Id", "1a1")
		h.Set("X-API-Account-Kind", "user")
	}
	if res.status == http.StatusUnauthorized && rc.r.Header.Get("X-API-No-Challenge") != "true" {
		h.Set("WWW-Authenticate", authRealm)
	}
	if res.contentType != "" {
		h.Set("Content-Type", res.contentType)
	}
	res = serialize(rc, res)
	w.WriteHeader(res.status)
	if res.enc != nil {
		_, _ = w.Write(*res.enc)
		*res.enc = (*res.enc)[:0]
		encBuffers.Put(res.enc)
		return
	}
	_, _ = w.Write([]byte(res.raw))
}

// encBuffers are reused for serialised answers: a page of 100 services is 100–300 KB, which grown
// from nothing and copied into a string cost more than composing it from cached renderings.
var encBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// serialize turns a result's body into JSON text. Bodies share maps with stored resources, so
// this runs while s.mu is held for answers built from the store; only the renderings renderLater leaves
// (pendingRender: fresh maps) are encoded after it is released, into the holes serializeHoles leaves.
func serialize(rc *reqCtx, res result) result { return serializeWith(rc, res, nil) }

// serializeHoles is serialize leaving the body's pending renderings (renderLater) to fillHoles.
func serializeHoles(rc *reqCtx, res result) result { return serializeWith(rc, res, &holes{}) }

func serializeWith(rc *reqCtx, res result, h *holes) result {
	if res.raw != "" || res.enc != nil || res.body == nil {
		return res
	}
	body := res.body
	if rc.version == "v1" {
		body = toV1(body)
	}
	buf := encBuffers.Get().(*[]byte)
	b, err := appendJSONHoles((*buf)[:0], body, h)
	if err != nil {
		h = nil
		b, _ = json.Marshal(body)
	}
	res.holes = h
	*buf = b
	res.enc = buf
	res.body = nil
	return res
}

// isMutation reports whether a request may change state (counted as "mutations" in /_sim/stats).
func isMutation(method string, r *http.Request) bool {
	switch method {
	case http.MethodPut, http.MethodDelete:
		return true
	case http.MethodPost:
		if strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/scripts/transform") {
			return false
		}
		switch r.URL.Query().Get("action") {
		case "exportconfig", "logs", "execute", "proxy", "console":
			return false
		}
		return true
	}
	return false
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

// injectedError is the answer of the error-rate fault: Cattle's error JSON, or a proxy's HTML page.
func injectedError(rc *reqCtx, f Faults) result {
	status := f.ErrorStatus
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	if f.ProxyErrors {
		text := fmt.Sprintf("%d %s", status, http.StatusText(status))
		return result{status: status, contentType: "text/html",
			raw: "<html><head><title>" + text + "</title></head><body><center><h1>" + text + "</h1></center></body></html>\n"}
	}
	e := httpErr(status)
	if e.Code == "" {
		e.Code, e.Message = http.StatusText(status), http.StatusText(status)
	}
	return errResult(e)
}
