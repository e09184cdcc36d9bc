package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/upgrade/lock"
)

func TestALockRefusalExitsSeven(t *testing.T) {
	err := fmt.Errorf("locking stack demo: %w", &lock.HeldError{Stack: "demo", Holder: lock.Holder{Owner: "x"}})
	if got := exitCodeFor(err); got != ExitLocked {
		t.Errorf("exit %d, want %d", got, ExitLocked)
	}
	if !strings.Contains(exitCodesHelp, "7    the stack's deploy lock is held by another live run") {
		t.Errorf("--help does not document exit 7:\n%s", exitCodesHelp)
	}
}

func TestBreakCommandIsThisRunWithForceUnlockAndNoCredentials(t *testing.T) {
	app, _ := NewApp(&Factory{IO: &IOStreams{}})
	args := []string{"rancher-compose", "--url", "http://rancher:8080", "--secret-key=s3cret", "--access-key", "AK",
		"-f", "my app.yml", "-p", "Old", "up", "-d", "--upgrade", "--force-unlock", "web"}
	ctx := withInvocation(context.Background(), app, reorderCommandArgs(app, args))
	got := breakCommand(ctx, "demo")
	want := "rancher-compose -p demo -f 'my app.yml' up -d --upgrade web --force-unlock"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := breakCommand(context.Background(), "demo"); got != "rancher-compose -p demo COMMAND --force-unlock" {
		t.Errorf("without an invocation: %s", got)
	}
}

func TestLockTTLComesFromTheFlagOrTheEnvironmentAndIsValidated(t *testing.T) {
	for _, c := range []struct {
		env  string
		args []string
		want time.Duration
	}{
		{"", nil, lock.DefaultTTL},
		{"2s", nil, 2 * time.Second},
		{"2s", []string{"--lock-ttl", "90s"}, 90 * time.Second},
	} {
		f, _ := testFactory(map[string]string{EnvLockTTL: c.env})
		app, g := NewApp(f)
		args := append(append([]string{"rancher-compose"}, c.args...), "help")
		if err := app.Run(args); err != nil {
			t.Fatal(err)
		}
		if g.lockTTL != c.want {
			t.Errorf("env %q args %v: lease %v, want %v", c.env, c.args, g.lockTTL, c.want)
		}
	}
	for _, bad := range []string{"soon", "100ms", "-5s"} {
		f, _ := testFactory(map[string]string{EnvLockTTL: bad, "RANCHER_URL": "http://127.0.0.1:1"})
		err := Run(context.Background(), f, []string{"rancher-compose", "-p", "demo", "ps"})
		if exitCodeFor(err) != ExitUsage || !strings.Contains(err.Error(), EnvLockTTL) {
			t.Errorf("lease %q: %v (exit %d)", bad, err, exitCodeFor(err))
		}
	}
}

// epipeWriter fails every write as a pipe whose reader is gone.
type epipeWriter struct{}

func (epipeWriter) Write([]byte) (int, error) {
	return 0, &os.PathError{Op: "write", Path: "|1", Err: syscall.EPIPE}
}

func TestABrokenStdoutDoesNotFailTheRun(t *testing.T) {
	w := brokenPipeTolerant{epipeWriter{}}
	if n, err := fmt.Fprintln(w, "web active"); err != nil || n != len("web active\n") {
		t.Errorf("write to a broken pipe: %d, %v", n, err)
	}
	other := brokenPipeTolerant{failingWriter{}}
	if _, err := other.Write([]byte("x")); err == nil {
		t.Error("other write errors must still be returned")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrShortWrite }
