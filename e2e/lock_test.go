package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

// lockAPI is a client of the env's simulator for the tests that hold, plant or read a deploy lock as another
// pipeline would, and the id of stack demo.
func (e *env) lockAPI() (*upgrade.RancherAPI, string) {
	e.t.Helper()
	c, err := rancher.New(context.Background(), rancher.Config{URL: e.sim.URL(), AccessKey: e.sim.AccessKey(), SecretKey: e.sim.SecretKey()})
	if err != nil {
		e.t.Fatal(err)
	}
	st, err := c.Stacks().ByName(context.Background(), "demo", nil)
	if err != nil || st == nil {
		e.t.Fatalf("stack demo: %v", err)
	}
	return upgrade.NewRancherAPI(c), st.Id
}

// lockHolder is the holder of stack demo's deploy lock, nil when it is free.
func (e *env) lockHolder() *lock.Holder {
	e.t.Helper()
	api, id := e.lockAPI()
	h, err := lock.Peek(context.Background(), api, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return h
}

// plantLock writes h as stack demo's deploy lock, as a run that died long ago left it.
func (e *env) plantLock(h lock.Holder) {
	e.t.Helper()
	api, id := e.lockAPI()
	outputs, err := api.Outputs(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	raw, _ := json.Marshal(h)
	outputs[lock.OutputKey] = string(raw)
	if err := api.SetOutputs(context.Background(), id, outputs); err != nil {
		e.t.Fatal(err)
	}
}

// TestASingleConflictNeverFailsARun gives every run a 409 on its first write (the simulator's conflict burst
// of 1): the lock write, the stack's creation or a service update. 6 of 6 of each must succeed.
func TestASingleConflictNeverFailsARun(t *testing.T) {
	e := deployed(t, sim.Options{})
	for i := 0; i < 6; i++ {
		tag := []string{"1.14", "1.15"}[i%2]
		e.changeImages(tag, "9")
		e.sim.SetFaults(sim.Faults{ConflictBurst: 1})
		e.must(e.demo("up", "-d", "--upgrade", "--progress", "plain"), "up -d --upgrade after a 409")
		e.sim.SetFaults(sim.Faults{ConflictBurst: 1})
		e.must(e.elsewhere("-p", "demo", "upgrade", "--confirm", "--progress", "plain"), "upgrade --confirm after a 409")
		e.expectService("web", "active", "nginx:"+tag)

		stack := "fresh" + string(rune('a'+i))
		e.sim.SetFaults(sim.Faults{ConflictBurst: 1})
		e.must(e.run("-p", stack, "-f", e.dir+"/demo/docker-compose.yml", "up", "-d", "--progress", "plain"), "a fresh up -d after a 409")
		if n := len(e.sim.Services(stack)); n != 2 {
			t.Errorf("%s: %d services, want 2", stack, n)
		}
		if st := e.sim.Faults(); st.ConflictBurst != 0 {
			t.Fatalf("the conflict was never met: %+v", st)
		}
	}
	e.sim.SetFaults(sim.Faults{})
	if h := e.lockHolder(); h != nil {
		t.Errorf("lock left behind: %+v", h)
	}
}

// TestALeaseExpiredLongAgoNeverRefuses plants a lock whose lease expired 11 months ago: up --upgrade,
// upgrade --confirm and rollback each take it over with a warning naming its owner, and release it.
func TestALeaseExpiredLongAgoNeverRefuses(t *testing.T) {
	e := deployed(t, sim.Options{})
	old := time.Now().AddDate(0, -11, 0)
	dead := lock.Holder{Owner: "jenkins@gone (pid 4242)", Token: "deadbeef", Acquired: old.Add(-time.Minute), Expires: old}
	steps := []struct {
		what string
		run  func() result
	}{
		{"up -d --upgrade", func() result {
			e.changeImages("1.14", "9")
			return e.demo("up", "-d", "--upgrade", "--progress", "plain")
		}},
		{"upgrade --confirm", func() result { return e.elsewhere("-p", "demo", "upgrade", "--confirm", "--progress", "plain") }},
		{"up -d --upgrade (again)", func() result {
			e.changeImages("1.15", "9")
			return e.demo("up", "-d", "--upgrade", "--progress", "plain")
		}},
		{"rollback", func() result { return e.elsewhere("-p", "demo", "rollback", "--progress", "plain") }},
	}
	for _, s := range steps {
		e.plantLock(dead)
		r := e.must(s.run(), s.what+" over a lease expired 11 months ago")
		if !strings.Contains(r.stderr, "jenkins@gone (pid 4242)") || !strings.Contains(r.stderr, "expired") {
			t.Errorf("%s: no warning naming the dead owner:\n%s", s.what, r.stderr)
		}
		if h := e.lockHolder(); h != nil {
			t.Errorf("%s: lock left behind: %+v", s.what, h)
		}
	}
	e.expectService("web", "active", "nginx:1.14")
}

// TestEveryChangingCommandHonoursTheLock holds the lock as another live run, then runs every command that
// changes the stack: each is refused with exit 7, the holder and the command that breaks the lock, and
// sends no write; read-only commands and a no-op up -d go ahead.
func TestEveryChangingCommandHonoursTheLock(t *testing.T) {
	e := deployed(t, sim.Options{})
	api, id := e.lockAPI()
	hold := func() *lock.Lock {
		held, err := lock.Acquire(context.Background(), api, id, lock.Options{Owner: "jenkins@other-agent (pid 42)", Host: "other-agent", PID: 42, TTL: time.Hour, Settle: time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		return held
	}
	held := hold()
	e.requests()
	e.must(e.demo("up", "-d"), "a no-op up -d while locked")
	for _, l := range e.requests() {
		if !strings.Contains(l, "GET ") && !strings.Contains(l, "/scripts/transform") && !strings.Contains(l, "action=setservicelinks") {
			t.Errorf("a no-op up -d wrote: %s", l)
		}
	}
	for _, ro := range [][]string{{"ps"}, {"logs"}, {"config", "-q"}} {
		e.must(e.demo(ro...), strings.Join(ro, " ")+" while locked")
	}
	if err := held.Release(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.must(e.demo("up", "-d", "--upgrade", "--force-upgrade", "db"), "upgrade db")
	held = hold()
	defer func() { _ = held.Release(context.Background()) }()

	e.changeImages("1.14", "10")
	changing := [][]string{
		{"up", "-d"}, {"up", "-d", "--upgrade"}, {"up", "-d", "--force-upgrade", "web"}, {"up", "-d", "--rollback"},
		{"up", "-d", "--confirm-upgrade"}, {"create"}, {"stop"}, {"restart"}, {"scale", "web=3"},
		{"rm", "-f"}, {"upgrade", "web", "web2"}, {"upgrade", "--confirm"}, {"rollback"},
	}
	e.writeFile("demo/docker-compose.yml", webProject("1.14", "10")+"  web2:\n    image: nginx:1.15\n")
	for _, args := range changing {
		e.requests()
		r := e.demo(args...)
		what := strings.Join(args, " ")
		if r.code != 7 {
			t.Errorf("%s while locked: exit %d, want 7\n%s", what, r.code, r.stderr)
			continue
		}
		for _, want := range []string{"jenkins@other-agent (host other-agent, pid 42)", "`rancher-compose -p demo -f ", " " + what + " --force-unlock`"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%s: the refusal lacks %q:\n%s", what, want, r.stderr)
			}
		}
		for _, l := range e.requests() {
			if !strings.Contains(l, "GET ") && !strings.Contains(l, "/scripts/transform") {
				t.Errorf("%s: a refused run wrote: %s", what, l)
			}
		}
	}
	if n := len(e.sim.Services("demo")); n != 2 {
		t.Errorf("%d services after the refused runs, want 2", n)
	}
	e.expectService("web", "active", "nginx:1.13")
}

// startBinary starts the built binary with the env's variables plus extra ones, stdout to out.
func (e *env) startBinary(out *os.File, extra map[string]string, args ...string) (*exec.Cmd, *strings.Builder) {
	e.t.Helper()
	stderr := &strings.Builder{}
	return e.startBinaryTo(out, &syncBuilder{b: stderr}, extra, args...), stderr
}

// startBinaryTo starts the built binary with the env's variables plus extra ones, stdout and stderr to
// the writers given; the test's end kills it if it still runs.
func (e *env) startBinaryTo(stdout, stderr io.Writer, extra map[string]string, args ...string) *exec.Cmd {
	e.t.Helper()
	c := exec.Command(binary(e.t), args...)
	c.Dir = e.dir
	for k, v := range e.env {
		c.Env = append(c.Env, k+"="+v)
	}
	for k, v := range extra {
		c.Env = append(c.Env, k+"="+v)
	}
	c.Stdout, c.Stderr = stdout, stderr
	if err := c.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { _ = c.Process.Kill(); _ = c.Wait() })
	return c
}

type syncBuilder struct{ b *strings.Builder }

func (s *syncBuilder) Write(p []byte) (int, error) { return s.b.Write(p) }

// waitFor polls cond every 20 ms until it holds, failing the test after a minute (a bound on a hang, not
// a timed assertion).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(time.Minute); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("still waiting for %s after a minute", what)
}

// TestAKilledRunsLeaseIsTakenOverWithoutForceUnlock kills an upgrade with SIGKILL while it holds the lock
// (a 2 s lease): the next run, once the lease has expired, takes it over with a warning naming the dead
// owner, without --force-unlock.
func TestAKilledRunsLeaseIsTakenOverWithoutForceUnlock(t *testing.T) {
	e := deployed(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	e.changeImages("broken", "9")
	devnull, _ := os.Open(os.DevNull)
	defer devnull.Close()
	ttl := map[string]string{"RANCHER_COMPOSE_LOCK_TTL": "2s"}
	c, stderr := e.startBinary(devnull, ttl, "-f", e.dir+"/demo/docker-compose.yml", "up", "-d", "--upgrade", "--wait-healthy", "--timeout", "5m", "--progress", "plain")
	var held *lock.Holder
	waitFor(t, "the upgrade to hold the lock", func() bool {
		held = e.lockHolder()
		state := e.service("demo", "web").State
		return held != nil && (state == "upgrading" || state == "upgraded")
	})
	first := held.Expires
	waitFor(t, "the lease to be renewed", func() bool { h := e.lockHolder(); return h != nil && h.Expires.After(first) })
	if err := c.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.Wait()
	if h := e.lockHolder(); h == nil || h.Token != held.Token {
		t.Fatalf("the killed run left no lock (%+v); stderr:\n%s", h, stderr)
	}
	refused := e.exec(context.Background(), "-p", "demo", "rollback", "--progress", "plain")
	if h := e.lockHolder(); refused.code != 7 && (h == nil || h.Expires.After(time.Now())) {
		t.Errorf("a rerun before the lease expired: exit %d, want 7\n%s", refused.code, refused.stderr)
	}
	waitFor(t, "the lease to expire", func() bool { return time.Now().After(e.lockHolder().Expires) })
	r := e.exec(context.Background(), "-p", "demo", "rollback", "--progress", "plain")
	if r.code != 0 {
		t.Fatalf("rerun after the lease expired: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, held.Owner) || !strings.Contains(r.stderr, "expired") {
		t.Errorf("no warning naming the dead owner %q:\n%s", held.Owner, r.stderr)
	}
	e.expectService("web", "active", "nginx:1.13")
	if h := e.lockHolder(); h != nil {
		t.Errorf("lock left behind: %+v", h)
	}
}

// TestABrokenStdoutNeverLeavesTheLock runs `upgrade --confirm --format json` with its stdout a pipe whose
// reader is already gone (as `| head -1` leaves it): the run confirms, releases the lock and exits by
// itself instead of dying of SIGPIPE.
func TestABrokenStdoutNeverLeavesTheLock(t *testing.T) {
	for _, both := range []bool{false, true} {
		t.Run(map[bool]string{false: "stdout", true: "stdout and stderr"}[both], func(t *testing.T) {
			e := deployed(t, sim.Options{})
			e.changeImages("1.14", "9")
			e.must(e.demo("up", "-d", "--upgrade"), "up -d --upgrade")
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			r.Close()
			stderr := &strings.Builder{}
			var errOut io.Writer = &syncBuilder{b: stderr}
			if both { // as `2>&1 | head -1` leaves them
				errOut = w
			}
			c := e.startBinaryTo(w, errOut, nil, "-p", "demo", "upgrade", "--confirm", "--format", "json", "--progress", "plain")
			w.Close()
			err = c.Wait()
			var exit *exec.ExitError
			if errors.As(err, &exit) {
				if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
					t.Fatalf("killed by %v; stderr:\n%s", ws.Signal(), stderr)
				}
			}
			if err != nil {
				t.Errorf("exit %v with a closed stdout; stderr:\n%s", err, stderr)
			}
			e.expectService("web", "active", "nginx:1.14")
			if h := e.lockHolder(); h != nil {
				t.Errorf("lock left behind: %+v", h)
			}
		})
	}
}

// TestARunThatLosesItsLeaseStopsWithExit7 has another run take the lock over while an upgrade waits for
// health (a 1 s lease, renewed every third of a second): the renewal finds the other token, the run
// stops changing the stack and exits 7 naming the new holder, and leaves that holder's lock in place.
func TestARunThatLosesItsLeaseStopsWithExit7(t *testing.T) {
	e := deployed(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	e.changeImages("broken", "9")
	e.env["RANCHER_COMPOSE_LOCK_TTL"] = "1s"
	done := make(chan result, 1)
	go func() {
		done <- e.demo("up", "-d", "--upgrade", "--wait-healthy", "--timeout", "60s", "--progress", "plain")
	}()
	var mine *lock.Holder
	waitFor(t, "the upgrade to hold the lock and upgrade web", func() bool {
		mine = e.lockHolder()
		return mine != nil && e.service("demo", "web").State == "upgrading"
	})
	thief := lock.Holder{Owner: "jenkins@thief (pid 7)", Token: "thief", Acquired: time.Now(), Expires: time.Now().Add(time.Hour)}
	e.plantLock(thief)
	var r result
	select {
	case r = <-done:
	case <-time.After(time.Minute):
		t.Fatal("the run did not stop after losing its lock")
	}
	if r.code != 7 || !strings.Contains(r.stderr, "taken by jenkins@thief (pid 7)") {
		t.Errorf("exit %d, want 7 naming the new holder\n%s", r.code, r.stderr)
	}
	if h := e.lockHolder(); h == nil || h.Token != "thief" {
		t.Errorf("the new holder's lock was touched: %+v", h)
	}
}

// lockFaultProxy forwards to the simulator, except the PUTs of a stack's outputs that fault picks by kind
// ("write": they carry the lock, "release": they do not) and number (1 for the first of its kind): forward
// says whether the PUT reaches the simulator, status is the answer then given instead of the real one.
func lockFaultProxy(t *testing.T, target string, fault func(kind string, n int) (forward bool, status int)) *httptest.Server {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	var mu sync.Mutex
	counts := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPut || !strings.Contains(r.URL.Path, "/stacks/") {
			rp.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		kind := "release"
		if bytes.Contains(body, []byte(lock.OutputKey)) {
			kind = "write"
		}
		mu.Lock()
		counts[kind]++
		forward, status := fault(kind, counts[kind])
		mu.Unlock()
		if status == 0 {
			rp.ServeHTTP(w, r)
			return
		}
		if forward {
			rp.ServeHTTP(httptest.NewRecorder(), r)
		}
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<html>proxy error</html>"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestLockWritesAndReleasesSurviveLostAnswers puts a fault proxy between the CLI and the simulator: a
// lock write that reached the server but whose answers were all lost (or answered 409) is recognised as
// ours by its token; a release refused or answered with errors is retried. Each run exits 0 and leaves
// no lock.
func TestLockWritesAndReleasesSurviveLostAnswers(t *testing.T) {
	cases := map[string]func(kind string, n int) (bool, int){
		"write applied, answered 409":        func(k string, n int) (bool, int) { return true, pick(k == "write" && n == 1, 409) },
		"write applied, every attempt 502":   func(k string, n int) (bool, int) { return true, pick(k == "write" && n <= 6, 502) },
		"release refused with 409":           func(k string, n int) (bool, int) { return false, pick(k == "release" && n == 1, 409) },
		"release applied, every attempt 502": func(k string, n int) (bool, int) { return true, pick(k == "release" && n <= 6, 502) },
		"release refused, every attempt 503": func(k string, n int) (bool, int) { return false, pick(k == "release" && n <= 6, 503) },
	}
	for name, fault := range cases {
		t.Run(name, func(t *testing.T) {
			e := deployed(t, sim.Options{})
			e.env["RANCHER_URL"] = lockFaultProxy(t, e.sim.URL(), fault).URL
			e.changeImages("1.14", "9")
			e.must(e.demo("up", "-d", "--upgrade", "--progress", "plain"), "up -d --upgrade")
			e.expectService("web", "upgraded", "nginx:1.14")
			if h := e.lockHolder(); h != nil {
				t.Errorf("lock left behind: %+v", h)
			}
		})
	}
}

func pick(cond bool, status int) int {
	if cond {
		return status
	}
	return 0
}

// TestASecondRunOnANewStackIsRefused holds the answer to a fresh up's stack create while a second run of
// the same project starts: the stack exists, born with the first run's lock, so the second run is refused
// with exit 7 and writes nothing; the first then deploys and releases the lock.
func TestASecondRunOnANewStackIsRefused(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("demo/docker-compose.yml", webProject("1.13", "9"))
	u, err := url.Parse(e.sim.URL())
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	created, resume := make(chan struct{}), make(chan struct{})
	var once sync.Once
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/stacks") {
			rec := httptest.NewRecorder()
			rp.ServeHTTP(rec, r)
			once.Do(func() { close(created); <-resume })
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	e.env["RANCHER_URL"] = proxy.URL
	first := make(chan result, 1)
	go func() { first <- e.demo("up", "-d", "--progress", "plain") }()
	select {
	case <-created:
	case r := <-first:
		t.Fatalf("the first run ended before creating the stack: exit %d\n%s", r.code, r.stderr)
	}
	e.requests()
	second := e.demo("up", "-d", "--progress", "plain")
	writes := e.requests()
	close(resume)
	if second.code != 7 || !strings.Contains(second.stderr, "is locked by another run") {
		t.Errorf("the second run: exit %d, want 7 (the new stack's lock)\n%s", second.code, second.stderr)
	}
	for _, l := range writes {
		if !strings.Contains(l, "GET ") && !strings.Contains(l, "/scripts/transform") {
			t.Errorf("the refused run wrote: %s", l)
		}
	}
	e.must(<-first, "the first run")
	if n := len(e.sim.Services("demo")); n != 2 {
		t.Errorf("%d services, want 2", n)
	}
	if h := e.lockHolder(); h != nil {
		t.Errorf("lock left behind: %+v", h)
	}
}
