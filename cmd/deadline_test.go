package cmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// TestTimeoutIsADeadlineOnEveryCommand: --timeout/-t takes a duration or bare seconds on every command that
// talks to the API, scale and stop included (the original's `-t 10` keeps parsing).
func TestTimeoutIsADeadlineOnEveryCommand(t *testing.T) {
	app, _ := NewApp(&Factory{IO: &IOStreams{}})
	for _, name := range []string{"create", "up", "start", "restart", "stop", "scale", "rm", "pull", "upgrade", "rollback", "ps"} {
		c := app.Command(name)
		if c == nil {
			t.Errorf("no command %s", name)
			continue
		}
		fl, ok := findFlag(c.Flags, "timeout").(*cli.StringFlag)
		if !ok {
			t.Errorf("%s: --timeout is not the deadline flag", c.Name)
			continue
		}
		if strings.Join(fl.Names(), ",") != "timeout,t" {
			t.Errorf("%s: --timeout names %v, want timeout,t", c.Name, fl.Names())
		}
	}
	for in, want := range map[string]time.Duration{"10": 10 * time.Second, "10m": 10 * time.Minute, "90s": 90 * time.Second, "0": 0} {
		if got, err := parseTimeout(in); err != nil || got != want {
			t.Errorf("parseTimeout(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, args := range [][]string{{"scale", "--timeout", "10m", "web=3"}, {"scale", "-t", "10", "web=3"}, {"stop", "-t", "90s"}, {"stop", "--timeout", "10"}} {
		f, _ := testFactory(nil)
		err := Run(context.Background(), f, append([]string{"rancher-compose", "-f", "/nonexistent/docker-compose.yml"}, args...))
		if err == nil || strings.Contains(err.Error(), "timeout") || !strings.Contains(err.Error(), "nonexistent") {
			t.Errorf("%v: got %v, want the missing file (the timeout parsed)", args, err)
		}
	}
}

// TestScaleArgumentsAreBounded: `scale web=N` and `upgrade --scale N` refuse a scale outside
// 0..compose.MaxScale with exit 2, before reading any file.
func TestScaleArgumentsAreBounded(t *testing.T) {
	for _, args := range [][]string{
		{"scale", "web=1000000000"}, {"scale", "web=-1"}, {"scale", "web=10001"}, {"scale", "web=1e9"},
		{"upgrade", "--scale", "1000000000", "a", "b"}, {"upgrade", "--scale", "-2", "a", "b"},
	} {
		f, _ := testFactory(nil)
		err := Run(context.Background(), f, append([]string{"rancher-compose", "-f", "/nonexistent/docker-compose.yml"}, args...))
		if exitCodeFor(err) != ExitUsage || strings.Contains(err.Error(), "nonexistent") {
			t.Errorf("%v: got %v (exit %d), want a usage error about the scale", args, err, exitCodeFor(err))
		}
	}
	if _, err := parseScaleArgs([]string{"web=10000", "db=0"}); err != nil {
		t.Errorf("the largest scale is refused: %v", err)
	}
}

// TestCleanupContextEndsAGraceAfterTheDeadline: cleanup survives the command's context, but only until
// cleanupBudget past its deadline, however late it starts; and it keeps the context's values.
func TestCleanupContextEndsAGraceAfterTheDeadline(t *testing.T) {
	type key struct{}
	d := time.Now().Add(-time.Second)
	ctx, cancel := context.WithDeadline(context.WithValue(context.Background(), key{}, "v"), d)
	defer cancel()
	cctx, ccancel := cleanupContext(ctx)
	defer ccancel()
	if got, ok := cctx.Deadline(); !ok || !got.Equal(d.Add(cleanupBudget)) {
		t.Errorf("cleanup deadline %v (%v), want %v", got, ok, d.Add(cleanupBudget))
	}
	if cctx.Err() != nil || cctx.Value(key{}) != "v" {
		t.Errorf("cleanup context: err %v, value %v", cctx.Err(), cctx.Value(key{}))
	}
	if cleanupBudget >= Grace {
		t.Errorf("cleanup budget %s leaves no time to report within the %s grace", cleanupBudget, Grace)
	}
}

// TestCleanupContextAfterAnInterrupt: after an interrupt, cleanup ends cleanupBudget after the signal,
// even when it starts later and the command's deadline is far off.
func TestCleanupContextAfterAnInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	dctx, dcancel := context.WithTimeout(ctx, time.Hour)
	defer dcancel()
	at := time.Now().Add(-2 * time.Second)
	cancel(&interrupt{at: at})
	cctx, ccancel := cleanupContext(dctx)
	defer ccancel()
	if got, ok := cctx.Deadline(); !ok || !got.Equal(at.Add(cleanupBudget)) {
		t.Errorf("cleanup deadline %v (%v), want %v", got, ok, at.Add(cleanupBudget))
	}
	if exitCodeFor(dctx.Err()) != ExitInterrupted {
		t.Errorf("an interrupted run exits %d", exitCodeFor(dctx.Err()))
	}
}

// TestWatchdogFiresOnlyWhenTheDeadlinePasses: a command context released before its deadline leaves the
// watchdog quiet; one whose deadline passes fires it with exit 4.
func TestWatchdogFiresOnlyWhenTheDeadlinePasses(t *testing.T) {
	w := &watchdog{after: time.Millisecond, fired: make(chan ExitCode, 1)}
	root := withWatchdog(context.Background(), w)
	o := &runOptions{timeout: time.Hour}
	_, release := o.withDeadline(root)
	release()
	o.timeout = 10 * time.Millisecond
	ctx, cancel := o.withDeadline(root)
	defer cancel()
	<-ctx.Done()
	select {
	case code := <-w.fired:
		if code != ExitTimeout {
			t.Errorf("watchdog fired with %d, want %d", code, ExitTimeout)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the watchdog did not fire after the deadline passed")
	}
}
