package e2e

// Start-once jobs (io.rancher.container.start_once=true) under --wait-healthy: done when the container exited 0,
// failed when it exited non-zero, which only a server reporting exit codes (the simulator's --expose-exit-code,
// modelling rancher/cattle#2903) lets the tool see; stock Rancher 1.6 does not (rancher/rancher#5978).

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// jobProject is web (nginx) plus a start-once migrate job on image migrate:tag.
func jobProject(tag string) string {
	return `version: '2'
services:
  web:
    image: nginx:1.13
  migrate:
    image: migrate:` + tag + `
    labels:
      io.rancher.container.start_once: 'true'
`
}

// jobEnv starts a simulator whose migrate:bad image exits 1 and other migrate images exit 0.
func jobEnv(t *testing.T, exposeExitCode bool, tag string) *env {
	zero, one := 0, 1
	e := newEnv(t, sim.Options{ExposeExitCode: exposeExitCode,
		Images: []sim.ImageBehavior{{Glob: "migrate:bad", ExitCode: &one}, {Glob: "migrate:*", ExitCode: &zero}}})
	e.writeFile("demo/docker-compose.yml", jobProject(tag))
	return e
}

// jobContainer is the migrate container on image migrate:tag.
func (e *env) jobContainer(tag string) sim.ContainerInfo {
	e.t.Helper()
	var found []sim.ContainerInfo
	for _, c := range e.sim.Containers(e.service("demo", "migrate").ID) {
		if c.Image == "docker:migrate:"+tag {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		e.t.Fatalf("%d migrate containers on migrate:%s: %+v", len(found), tag, found)
	}
	return found[0]
}

func TestStartOnceJobExitingZeroPassesWaitHealthy(t *testing.T) {
	e := jobEnv(t, true, "1")
	e.must(e.demo("up", "-d", "--wait-healthy", "--timeout", "60s"), "up -d --wait-healthy")
	e.expectService("migrate", "active", "migrate:1")
	if c := e.jobContainer("1"); c.State != "stopped" || c.ExitCode != 0 {
		t.Errorf("job container %s: %s exit %d", c.Name, c.State, c.ExitCode)
	}
	e.writeFile("demo/docker-compose.yml", jobProject("2"))
	e.must(e.demo("up", "-d", "--upgrade", "--wait-healthy", "--timeout", "60s"), "up -d --upgrade --wait-healthy")
	e.expectService("migrate", "upgraded", "migrate:2")
	e.expectService("web", "active", "nginx:1.13")
}

// expectJobFailure checks exit 1 and a diagnosis naming the failed job container and its exit code.
func expectJobFailure(t *testing.T, e *env, r result) {
	t.Helper()
	if r.code != cmd.ExitFailed {
		t.Fatalf("exit %d, want %d\n%s", r.code, cmd.ExitFailed, r.stderr)
	}
	job := e.jobContainer("bad")
	name := job.Name
	for _, want := range []string{"container " + name + " exited with code 1", "container " + name + " (" + job.ID + "): stopped, exit code 1", "exited with code 1"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

func TestStartOnceJobExitingNonZeroFailsWhenTheServerReportsExitCodes(t *testing.T) {
	e := jobEnv(t, true, "bad")
	expectJobFailure(t, e, e.demo("up", "-d", "--wait-healthy", "--timeout", "60s", "--progress", "plain"))

	e = jobEnv(t, true, "1")
	e.must(e.demo("up", "-d"), "up -d")
	e.writeFile("demo/docker-compose.yml", jobProject("bad"))
	r := e.demo("up", "-d", "--upgrade", "--wait-healthy", "--timeout", "60s", "--progress", "plain")
	expectJobFailure(t, e, r)
	t.Logf("stderr of the failed upgrade:\n%s", r.stderr)
	if !strings.Contains(r.stderr, "rollback migrate") {
		t.Errorf("stderr does not say how to roll back:\n%s", r.stderr)
	}
	e.expectService("migrate", "upgraded", "migrate:bad")
}

func TestStartOnceJobFailureInTheJSONResult(t *testing.T) {
	e := jobEnv(t, true, "bad")
	r := e.demo("up", "-d", "--wait-healthy", "--timeout", "60s", "--format", "json")
	if r.code != cmd.ExitFailed {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	var out struct {
		Services []struct {
			Name      string
			Error     string
			Diagnosis *struct {
				Containers []struct {
					Name     string
					State    string
					ExitCode *int
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("stdout is not the JSON result: %v\n%s", err, r.stdout)
	}
	name := e.jobContainer("bad").Name
	for _, s := range out.Services {
		if s.Name != "migrate" {
			continue
		}
		if s.Diagnosis == nil || len(s.Diagnosis.Containers) != 1 {
			t.Fatalf("migrate: %+v", s)
		}
		if c := s.Diagnosis.Containers[0]; c.Name != name || c.ExitCode == nil || *c.ExitCode != 1 {
			t.Errorf("diagnosed container %+v, want %s with exitCode 1", c, name)
		}
		return
	}
	t.Fatalf("no migrate in the result:\n%s", r.stdout)
}

// Stock 1.6 reports no exit code: a start-once job that stopped after starting is done, whatever its code
// (the documented limitation; see the healthcheck package doc).
func TestStartOnceJobExitingNonZeroPassesOnStock16(t *testing.T) {
	e := jobEnv(t, false, "bad")
	e.must(e.demo("up", "-d", "--wait-healthy", "--timeout", "60s"), "up -d --wait-healthy without exit codes in the API")
	if c := e.jobContainer("bad"); c.State != "stopped" || c.ExitCode != 1 {
		t.Errorf("job container %s: %s exit %d, want stopped with 1", c.Name, c.State, c.ExitCode)
	}
}

// lockedBuffer is written by the sim command while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// simFeatures runs `rancher-compose sim args...` and returns its GET /_sim/features answer.
func simFeatures(t *testing.T, args ...string) map[string]any {
	t.Helper()
	out := &lockedBuffer{}
	f := &cmd.Factory{IO: &cmd.IOStreams{In: strings.NewReader(""), Out: out, ErrOut: io.Discard},
		LookupEnv: func(string) (string, bool) { return "", false }, Environ: func() []string { return nil },
		Getwd: func() (string, error) { return t.TempDir(), nil }, Now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- cmd.Run(ctx, f, append([]string{"rancher-compose", "sim", "--listen", "127.0.0.1:0", "--step", "0"}, args...))
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("sim: %v", err)
		}
	}()
	urlRe := regexp.MustCompile(`RANCHER_URL=(http://\S+)`)
	var url string
	for i := 0; i < 500 && url == ""; i++ {
		if m := urlRe.FindStringSubmatch(out.String()); m != nil {
			url = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if url == "" {
		t.Fatalf("sim printed no URL: %q", out.String())
	}
	resp, err := http.Get(url + "/_sim/features")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var features map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&features); err != nil {
		t.Fatal(err)
	}
	return features
}

func TestSimFlagExposeExitCode(t *testing.T) {
	if got := simFeatures(t, "--expose-exit-code"); got["exposeExitCode"] != true {
		t.Errorf("sim --expose-exit-code: features %v", got)
	}
	if got := simFeatures(t); got["exposeExitCode"] != false {
		t.Errorf("sim: features %v, want exit codes hidden by default", got)
	}
}
