//go:build unix

package e2e

import (
	"bytes"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// endlessInput is the start of a compose file whose writer never finishes: more than a pipe's buffer, so
// that once it is written the reader is known to be reading.
var endlessInput = []byte("services:\n  web:\n    image: nginx\n" + strings.Repeat("# padding\n", 100_000))

// TestSignalWhileReadingInput: SIGTERM while a command reads a compose file or env file that never ends (a
// pipe on stdin, a FIFO) ends it promptly with exit 130.
func TestSignalWhileReadingInput(t *testing.T) {
	cases := []struct {
		name string
		args func(fifo string) []string
		// stdin: the endless input comes on standard input, else through the FIFO.
		stdin bool
	}{
		{"stdin", func(string) []string { return []string{"-f", "-", "config"} }, true},
		{"fifo", func(fifo string) []string { return []string{"-f", fifo, "config"} }, false},
		{"env-file", func(fifo string) []string { return []string{"-e", fifo, "config"} }, false},
		{"up", func(fifo string) []string { return []string{"-p", "x", "-f", fifo, "up", "-d", "--timeout", "10m"} }, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			fifo := filepath.Join(dir, "input.yml")
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			defer w.Close()
			p := exec.Command(binary(t), c.args(fifo)...)
			p.Dir = dir
			p.Env = []string{"RANCHER_URL=http://127.0.0.1:1", "RANCHER_ACCESS_KEY=k", "RANCHER_SECRET_KEY=s"}
			var errOut bytes.Buffer
			p.Stdin, p.Stderr = r, &errOut
			if err := p.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan error, 1)
			go func() { exited <- p.Wait() }()
			defer func() { _ = p.Process.Kill() }()
			writer := w
			if !c.stdin {
				if writer, err = os.OpenFile(fifo, os.O_WRONLY, 0); err != nil {
					t.Fatal(err)
				}
				defer writer.Close()
			}
			if _, err := writer.Write(endlessInput); err != nil {
				t.Fatalf("writing the input: %v\nstderr:\n%s", err, errOut.String())
			}
			sent := time.Now()
			if err := p.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			select {
			case err := <-exited:
				t.Logf("exit %d %s after SIGTERM", p.ProcessState.ExitCode(), time.Since(sent).Round(time.Millisecond))
				var exitErr *exec.ExitError
				if !errors.As(err, &exitErr) || cmd.ExitCode(exitErr.ExitCode()) != cmd.ExitInterrupted {
					t.Fatalf("got %v, want exit %d\nstderr:\n%s", err, cmd.ExitInterrupted, errOut.String())
				}
				if strings.Contains(errOut.String(), "grace period") {
					t.Fatalf("the read ignored the interrupt; the watchdog ended it after the grace period\nstderr:\n%s", errOut.String())
				}
			case <-time.After(hangBound):
				t.Fatalf("still reading %s after SIGTERM\nstderr:\n%s", hangBound, errOut.String())
			}
		})
	}
}

// started is a binary run in the background.
type started struct {
	p      *exec.Cmd
	errOut *lockedBuffer
	exited chan error
}

// waitFor waits (at most hangBound) until stderr holds text.
func (s *started) waitFor(t *testing.T, text string) {
	t.Helper()
	for limit := time.Now().Add(hangBound); !strings.Contains(s.errOut.String(), text); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(limit) {
			t.Fatalf("stderr never showed %q:\n%s", text, s.errOut.String())
		}
	}
}

func startBinary(t *testing.T, e *env, args ...string) *started {
	t.Helper()
	p := exec.Command(binary(t), args...)
	p.Dir = e.dir
	for k, v := range e.env {
		p.Env = append(p.Env, k+"="+v)
	}
	s := &started{p: p, errOut: &lockedBuffer{}, exited: make(chan error, 1)}
	p.Stderr = s.errOut
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.exited <- p.Wait() }()
	t.Cleanup(func() { _ = p.Process.Kill() })
	return s
}

// exitCode waits (at most hangBound) for the process and returns its exit code.
func (s *started) exitCode(t *testing.T) cmd.ExitCode {
	t.Helper()
	select {
	case err := <-s.exited:
		var exitErr *exec.ExitError
		if err != nil && !errors.As(err, &exitErr) {
			t.Fatal(err)
		}
		return cmd.ExitCode(s.p.ProcessState.ExitCode())
	case <-time.After(hangBound):
		t.Fatalf("still running %s after the signal\nstderr:\n%s", hangBound, s.errOut.String())
	}
	return 0
}

// TestSignalWhileAPIStalls: SIGTERM while an API answer stalls after its headers ends the run with exit 130,
// by cancelling the request, not by the watchdog.
func TestSignalWhileAPIStalls(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", "services:\n  web:\n    image: nginx\n")
	e.must(e.run("-p", "sig", "up", "-d"), "first up")
	stalling := make(chan struct{}, 1)
	proxy := headersThenSilence(t, e.sim.URL(), func(r *http.Request) bool {
		if r.Method == http.MethodGet && r.URL.Query().Get("stackId") != "" {
			select {
			case stalling <- struct{}{}:
			default:
			}
			return true
		}
		return false
	})
	e.env["RANCHER_URL"] = proxy.URL
	s := startBinary(t, e, "-p", "sig", "up", "-d", "--timeout", "10m")
	select {
	case <-stalling:
	case err := <-s.exited:
		t.Fatalf("ended before the stall: %v\nstderr:\n%s", err, s.errOut.String())
	}
	if err := s.p.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := s.exitCode(t); code != cmd.ExitInterrupted || strings.Contains(s.errOut.String(), "grace period") {
		t.Fatalf("exit %d, want %d without the watchdog\nstderr:\n%s", code, cmd.ExitInterrupted, s.errOut.String())
	}
}

// upgradeThenSilence starts `up -d --upgrade --wait-healthy` of a never-healthy image and, once the upgrade
// was sent, makes the API answer nothing but headers: whatever the run does after an interrupt stalls.
func upgradeThenSilence(t *testing.T) *started {
	e := deployed(t, sim.Options{Images: []sim.ImageBehavior{{Glob: "nginx:broken", NeverHealthy: true}}})
	e.changeImages("broken", "9")
	upgrading := make(chan struct{}, 1)
	var stallAll atomic.Bool
	proxy := headersThenSilence(t, e.sim.URL(), func(r *http.Request) bool {
		if r.Method == http.MethodPost && r.URL.Query().Get("action") == "upgrade" {
			select {
			case upgrading <- struct{}{}:
			default:
			}
		}
		return stallAll.Load()
	})
	e.env["RANCHER_URL"] = proxy.URL
	s := startBinary(t, e, "-f", e.dir+"/demo/docker-compose.yml", "up", "-d", "--upgrade", "--wait-healthy", "--timeout", "10m")
	select {
	case <-upgrading:
	case err := <-s.exited:
		t.Fatalf("ended before the upgrade: %v\nstderr:\n%s", err, s.errOut.String())
	}
	stallAll.Store(true)
	return s
}

// TestSignalCleanupEndsWithinGrace: after SIGTERM, cleanup against an API that answers nothing is cut a
// grace period after the signal (counted from the signal, not from when each cleanup step starts), so the
// run ends by itself with exit 130, before the watchdog would end it.
func TestSignalCleanupEndsWithinGrace(t *testing.T) {
	s := upgradeThenSilence(t)
	if err := s.p.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := s.exitCode(t); code != cmd.ExitInterrupted || strings.Contains(s.errOut.String(), "grace period") {
		t.Fatalf("exit %d, want %d with cleanup ended by itself\nstderr:\n%s", code, cmd.ExitInterrupted, s.errOut.String())
	}
}

// TestSecondSignalEndsCleanupAtOnce: after a first SIGTERM the run cleans up (here against an API that has
// stopped answering); a second one ends the process at once, with exit 130.
func TestSecondSignalEndsCleanupAtOnce(t *testing.T) {
	s := upgradeThenSilence(t)
	if err := s.p.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	s.waitFor(t, "context canceled") // the first signal was taken: the run is cleaning up
	if err := s.p.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := s.exitCode(t); code != cmd.ExitInterrupted || !strings.Contains(s.errOut.String(), "interrupted again") {
		t.Fatalf("exit %d, want %d from the second signal\nstderr:\n%s", code, cmd.ExitInterrupted, s.errOut.String())
	}
}
