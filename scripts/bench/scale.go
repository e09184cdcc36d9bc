package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// scaleRow is one scenario of one stack size: what the client cost and what the simulator saw.
type scaleRow struct {
	n                   int
	client              string // "ours" or "original" (the v0.12.5 binary of -original)
	scenario            string
	wall, minimum       time.Duration
	requests, writes    int
	bytesIn, bytesOut   int64 // received and sent by the client, HTTP headers included
	peakRSS             int64 // bytes
	clientCPU, simCPU   time.Duration
	simP99              time.Duration // the simulator's answer time, injected latency included
	simServedPerSec     float64
	origReqs, origBytes float64 // the original's per service, from its traces (0: n/a)
	steal               float64 // the share of the machine's CPU time stolen by its hypervisor during the run (-1: unknown)
}

// scaleSim is a simulator served on a listener that counts the bytes of every connection, so the bytes a
// separate client process sent and received are known without touching the client.
type scaleSim struct {
	sim      *sim.Server
	http     *http.Server
	url      string
	log      *durationLog
	in, out  atomic.Int64 // bytes read from and written to clients
	listener net.Listener
	kinds    *kindBytes
}

// kindBytes counts the answers' bodies per kind of request (kindOf), for -bykind.
type kindBytes struct {
	mu    sync.Mutex
	bytes map[string]int64
	reqs  map[string]int
}

func (k *kindBytes) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		if strings.Contains(r.URL.RawQuery, listMarker) {
			return // the bench's own list-rate requests
		}
		kind := kindOf(request{method: r.Method, path: r.URL.RequestURI()})
		k.mu.Lock()
		defer k.mu.Unlock()
		if k.bytes == nil {
			k.bytes, k.reqs = map[string]int64{}, map[string]int{}
		}
		k.bytes[kind] += cw.n
		k.reqs[kind]++
	})
}

// take returns the counts since the last call, largest first, and forgets them.
func (k *kindBytes) take() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	kinds := make([]string, 0, len(k.bytes))
	for kind := range k.bytes {
		kinds = append(kinds, kind)
	}
	sort.Slice(kinds, func(i, j int) bool { return k.bytes[kinds[i]] > k.bytes[kinds[j]] })
	var parts []string
	for _, kind := range kinds {
		parts = append(parts, fmt.Sprintf("%s %s in %d (%s each)", kind, kb(k.bytes[kind]), k.reqs[kind], kb(k.bytes[kind]/int64(k.reqs[kind]))))
	}
	k.bytes, k.reqs = nil, nil
	return strings.Join(parts, ", ")
}

// countingWriter counts the bytes of a body.
type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n += int64(n)
	return n, err
}

// Flush passes on, for the simulator's streamed answers.
func (w *countingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack passes on, for the simulator's log websockets (their bytes are not counted).
func (w *countingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, fmt.Errorf("the connection cannot be hijacked")
	}
	return h.Hijack()
}

func startScaleSim(opts sim.Options) (*scaleSim, error) {
	log := &durationLog{}
	opts.RequestLog = log
	s, err := sim.New(opts)
	if err != nil {
		return nil, fmt.Errorf("starting the simulator: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	ss := &scaleSim{sim: s, log: log, url: "http://" + ln.Addr().String(), kinds: &kindBytes{}}
	ss.listener = &countingListener{Listener: ln, in: &ss.in, out: &ss.out}
	ss.http = &http.Server{Handler: ss.kinds.wrap(s), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = ss.http.Serve(ss.listener) }()
	return ss, nil
}

func (s *scaleSim) close() {
	_ = s.http.Close()
	_ = s.sim.Close()
}

// countingListener counts the bytes of every accepted connection.
type countingListener struct {
	net.Listener
	in, out *atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, in: l.in, out: l.out}, nil
}

type countingConn struct {
	net.Conn
	in, out *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.in.Add(int64(n))
	return n, err
}

func (c *countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.out.Add(int64(n))
	return n, err
}

// durationLog keeps the answer time of every request the simulator logged.
type durationLog struct {
	mu    sync.Mutex
	durs  []time.Duration
	waits []time.Duration // waits[i]: how long the request of durs[i] waited for the simulator's lock
	reqs  []request
}

func (l *durationLog) Write(p []byte) (int, error) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		if strings.Contains(line, listMarker) {
			continue // the bench's own list-rate requests, not the client's
		}
		r, ok := parseRequest(line, now)
		if !ok {
			continue
		}
		if r.took > 0 {
			l.durs = append(l.durs, r.took)
			l.waits = append(l.waits, lockWaitOf(line))
		}
		l.reqs = append(l.reqs, r)
	}
	return len(p), nil
}

// take returns the answer times logged since the last call and forgets them.
func (l *durationLog) take() []time.Duration {
	durs, _ := l.takeWithWaits()
	return durs
}

// takeWithWaits is take, with how long each request waited for the simulator's lock.
func (l *durationLog) takeWithWaits() (durs, waits []time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	durs, waits = l.durs, l.waits
	l.durs, l.waits, l.reqs = nil, nil, nil
	return durs, waits
}

// lockWaitOf reads the "[lock 1.2ms]" of a request log line (0 when absent).
func lockWaitOf(line string) time.Duration {
	at := strings.LastIndex(line, "[lock ")
	if at < 0 {
		return 0
	}
	rest := line[at+len("[lock "):]
	if end := strings.IndexByte(rest, ']'); end >= 0 {
		if d, err := time.ParseDuration(rest[:end]); err == nil {
			return d
		}
	}
	return 0
}

// slowestShare describes the slowest 1% of answers (those at or above the p99): their mean answer time
// and how much of it, on average, was waiting for the simulator's lock.
func slowestShare(durs, waits []time.Duration) string {
	if len(durs) == 0 || len(durs) != len(waits) {
		return "no answers"
	}
	idx := make([]int, len(durs))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return durs[idx[a]] > durs[idx[b]] })
	k := max(1, len(durs)-(len(durs)*99)/100)
	var sum, wait time.Duration
	for _, i := range idx[:k] {
		sum += durs[i]
		wait += waits[i]
	}
	allWaits := append([]time.Duration(nil), waits...)
	return fmt.Sprintf("the slowest 1%% of answers (%d) took %s on average, %s of it (%.0f%%) waiting for the lock; lock wait p99 %s",
		k, (sum / time.Duration(k)).Round(10*time.Microsecond), (wait / time.Duration(k)).Round(10*time.Microsecond),
		100*float64(wait)/float64(max(sum, 1)), p99(allWaits).Round(10*time.Microsecond))
}

// requests returns the requests logged since the last take, with the time each was answered.
func (l *durationLog) requests() []request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]request(nil), l.reqs...)
}

func p99(durs []time.Duration) time.Duration {
	if len(durs) == 0 {
		return 0
	}
	sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
	return durs[(len(durs)*99)/100]
}

// buildClient builds the rancher-compose binary once: the client runs as its own process, so its peak RSS
// and CPU are its own, not the simulator's.
func buildClient(root, dir string) (string, error) {
	bin := filepath.Join(dir, "rancher-compose")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building the client: %w\n%s", err, out)
	}
	return bin, nil
}

// clientRun is what one client process cost.
type clientRun struct {
	start   time.Time
	wall    time.Duration
	peakRSS int64
	cpu     time.Duration
}

// runClient runs the binary against the simulator with HOME in dir (so a user cache lands there).
func (s *scaleSim) runClient(bin, dir string, args ...string) (clientRun, error) {
	cmd, usage, err := measuredCommand(bin, args...)
	if err != nil {
		return clientRun{}, err
	}
	cmd.Dir = dir
	cmd.Env = []string{"RANCHER_URL=" + s.url, "RANCHER_ACCESS_KEY=" + s.sim.AccessKey(), "RANCHER_SECRET_KEY=" + s.sim.SecretKey(),
		"HOME=" + dir, "XDG_CACHE_HOME=" + filepath.Join(dir, ".cache"), "PATH=" + os.Getenv("PATH")}
	for _, k := range []string{"GOMEMLIMIT", "GOGC", "RANCHER_COMPOSE_CPUPROFILE", "RANCHER_COMPOSE_MEMPROFILE"} { // passed through: the runtime's knobs, profiles of a run
		if v, ok := os.LookupEnv(k); ok {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	var output bytes.Buffer // both streams: the original logs to stdout
	cmd.Stdout, cmd.Stderr = &output, &output
	start := time.Now()
	err = cmd.Run()
	r := clientRun{start: start, wall: time.Since(start)}
	// the client's own start and wall, without the spawner's (a copy of this big binary) starting up
	got, uerr := usage()
	if uerr == nil {
		r = clientRun{start: got.start, wall: got.wall, peakRSS: got.peakRSS, cpu: got.cpu}
	} else if err == nil {
		err = uerr
	}
	if err != nil {
		return r, fmt.Errorf("rancher-compose %s: %w\n%s", strings.Join(args, " "), err, lastLines(output.String(), 20))
	}
	return r, nil
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// lastLines is the end of a client's output, at most n lines.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
