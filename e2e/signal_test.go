package e2e

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
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
