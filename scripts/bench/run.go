package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// cli runs rancher-compose in-process (cmd.Run, as the e2e tests do) against one simulator.
type cli struct {
	sim *sim.Server
	env map[string]string
	log *requestLog
}

// newCLI starts a simulator with opts and returns a runner pointed at it.
func newCLI(opts sim.Options) (*cli, error) {
	log := &requestLog{}
	opts.RequestLog = log
	s, err := sim.Start(opts)
	if err != nil {
		return nil, fmt.Errorf("starting the simulator: %w", err)
	}
	env := map[string]string{"RANCHER_URL": s.URL(), "RANCHER_ACCESS_KEY": s.AccessKey(), "RANCHER_SECRET_KEY": s.SecretKey()}
	if v, ok := os.LookupEnv(cmd.EnvPoll); ok {
		env[cmd.EnvPoll] = v // the polling knob, passed through to measure its effect
	}
	return &cli{sim: s, log: log, env: env}, nil
}

// close stops the simulator.
func (c *cli) close() { _ = c.sim.Close() }

// run runs one command line in dir with extra environment variables and returns its wall time and
// stdout; progress is kept and shown on failure.
func (c *cli) run(dir string, vars map[string]string, args ...string) (time.Duration, string, error) {
	io, out, errOut := cmd.TestIO()
	env := map[string]string{}
	for k, v := range c.env {
		env[k] = v
	}
	for k, v := range vars {
		env[k] = v
	}
	f := &cmd.Factory{
		IO:        io,
		LookupEnv: func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		Environ:   func() []string { return environ(env) },
		Getwd:     func() (string, error) { return dir, nil },
		Now:       time.Now,
	}
	start := time.Now()
	err := cmd.Run(context.Background(), f, append([]string{"rancher-compose"}, args...))
	wall := time.Since(start)
	if err != nil {
		code := cmd.ExitCodeOf(err)
		fmt.Fprintf(os.Stderr, "--- progress of the failed run:\n%s", errOut.String())
		return wall, out.String(), fmt.Errorf("rancher-compose %s: exit %d: %w", strings.Join(args, " "), code, err)
	}
	return wall, out.String(), nil
}

func environ(env map[string]string) []string {
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// request is one line of the simulator's request log ("15:04:05.000 METHOD PATH?QUERY -> STATUS (dur)"),
// stamped when it was answered.
type request struct {
	at           time.Time
	method, path string        // path with its query
	took         time.Duration // the simulator's answer time, injected latency included (0: not known)
}

// requestLog keeps the simulator's request log (the simulator writes one line per Write).
type requestLog struct {
	mu   sync.Mutex
	reqs []request
}

func (l *requestLog) Write(p []byte) (int, error) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		if r, ok := parseRequest(line, now); ok {
			l.reqs = append(l.reqs, r)
		}
	}
	return len(p), nil
}

// parseRequest reads one line of the simulator's request log, answered at: its method, path and, when
// the line ends with it, the answer time.
func parseRequest(line string, at time.Time) (request, bool) {
	f := strings.Fields(line)
	if len(f) < 3 {
		return request{}, false
	}
	r := request{at: at, method: f[1], path: f[2]}
	if open := strings.LastIndexByte(line, '('); open >= 0 {
		r.took, _ = time.ParseDuration(strings.TrimSuffix(line[open+1:], ")"))
	}
	return r, true
}

// take returns the requests logged since the last call and forgets them.
func (l *requestLog) take() []request {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.reqs
	l.reqs = nil
	return out
}
