package cmd

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// DefaultTimeout bounds a deploy command when --timeout is not given: the original could hang forever.
const DefaultTimeout = 15 * time.Minute

// EnvPoll is a tuning knob (not a flag, see environmentHelp): the first poll interval of waits, e.g.
// "10ms" against a fast simulator. The e2e tests and scripts/bench set it.
const EnvPoll = "RANCHER_COMPOSE_POLL"

// EnvReadTimeout abandons (and, for reads, retries) an HTTP attempt that receives no data for this long
// (default rancher.DefaultReadTimeout); tests set it low to meet stalled answers quickly.
const EnvReadTimeout = "RANCHER_COMPOSE_READ_TIMEOUT"

// EnvClientDebug is go-rancher's switch the original honoured (it printed every request to stdout); here it
// turns on --verbose, whose log goes to stderr with secrets redacted.
const EnvClientDebug = "RANCHER_CLIENT_DEBUG"

// environmentHelp documents, in `rancher-compose --help`, the variables that no flag names.
const environmentHelp = `ENVIRONMENT (besides the [$VAR] of the flags):
   RANCHER_COMPOSE_POLL   tuning knob: the first interval of waits (a Go duration, e.g. 10ms against a fast
                          simulator; unset: 100ms). Waits on single resources and health waits start at it and
                          back off (x2) to 20 times it; the stack poller ticks at it when it is below 75ms
   RANCHER_COMPOSE_READ_TIMEOUT
                          an HTTP attempt that receives no data for this long (waiting for the answer or
                          within it) is abandoned; reads are retried (a duration or seconds; unset: 30s)
   RANCHER_CLIENT_DEBUG   true: the same as --verbose (HTTP exchanges on stderr, secrets redacted)
   DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH
                          --engine swarm: the Docker daemon, as the docker CLI reads them
   RANCHER_COMPOSE_SWARM_PROBE
                          --engine swarm: the static probe bind-mounted into containers for health_check
                          (default: this binary, which must then be built with CGO_ENABLED=0)`

// runOptions are the flags every command that talks to the API shares: the overall deadline and the
// progress renderer.
type runOptions struct {
	Timeout  string
	Progress string

	timeout time.Duration
	mode    progress.Mode
}

// runFlags binds the shared flags. withTimeout is false for logs, which has no deadline. --timeout/-t is a
// deadline on every command; a bare number is seconds, so the original's `stop -t 10` and `scale -t 10`
// (a shutdown timeout it never used) still parse.
func runFlags(o *runOptions, withTimeout bool) []cli.Flag {
	flags := []cli.Flag{
		&cli.StringFlag{Name: "progress", Value: string(progress.Auto), Usage: "progress output on stderr: auto, tty, plain, json or quiet", Destination: &o.Progress},
	}
	if withTimeout {
		flags = append(flags, &cli.StringFlag{Name: "timeout", Aliases: []string{"t"}, Value: DefaultTimeout.String(),
			Usage:       "overall deadline (e.g. 90s, 10m, 0 for none; a bare number is seconds); exit 4 when it passes, cleanup then gets " + Grace.String() + " more",
			Destination: &o.Timeout})
	}
	return flags
}

// validate parses the shared flags; it runs before any API call.
func (o *runOptions) validate() error {
	mode, err := progress.ParseMode(o.Progress)
	if err != nil {
		return &UsageError{Err: fmt.Errorf("--progress: %w", err)}
	}
	o.mode = mode
	o.timeout = DefaultTimeout
	if o.Timeout != "" {
		d, err := parseTimeout(o.Timeout)
		if err != nil {
			return &UsageError{Err: fmt.Errorf("--timeout: %w", err)}
		}
		o.timeout = d
	}
	return nil
}

// validateWithFormat is validate for the commands that print a result, with their --format (text or json).
func (o *runOptions) validateWithFormat(format string) error {
	if err := o.validate(); err != nil {
		return err
	}
	return checkFormat(format)
}

// parseTimeout reads a Go duration, or a bare number of seconds; 0 means no deadline.
func parseTimeout(s string) (time.Duration, error) {
	if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		if n < 0 {
			return 0, fmt.Errorf("must not be negative, got %d", n)
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 90s or 10m, got %q", s)
	}
	if d < 0 {
		return 0, fmt.Errorf("must not be negative, got %s", s)
	}
	return d, nil
}

// clientConfig builds the client configuration: the environment first, then the flags that were set.
// HTTP exchanges (--verbose) and progress go to errOut, which must be safe for concurrent writes.
func clientConfig(f *Factory, g *GlobalOptions, o *runOptions, errOut io.Writer) rancher.Config {
	cfg := rancher.ConfigFromEnv(f.LookupEnv)
	cfg.ApplyFlags(g.URL, g.AccessKey, g.SecretKey, g.Environment)
	cfg.Timeout = o.timeout
	cfg.Warnings = errOut
	if debug, _ := f.LookupEnv(EnvClientDebug); g.Verbose || debug == "true" {
		cfg.Verbose = errOut
	}
	if min := pollMin(f); min > 0 {
		cfg.Poll = rancher.PollPolicy{Min: min, Max: 20 * min, Factor: 2}
	}
	return cfg
}

func pollMin(f *Factory) time.Duration {
	v, ok := f.LookupEnv(EnvPoll)
	if !ok || v == "" {
		return 0
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0
	}
	return d
}

// readTimeout reads RANCHER_COMPOSE_READ_TIMEOUT (0: the client's default).
func readTimeout(f *Factory) (time.Duration, error) {
	v, ok := f.LookupEnv(EnvReadTimeout)
	if !ok || strings.TrimSpace(v) == "" {
		return 0, nil
	}
	d, err := parseTimeout(v)
	if err != nil {
		return 0, &UsageError{Err: fmt.Errorf("%s: %w", EnvReadTimeout, err)}
	}
	return d, nil
}

// withDeadline derives the command's context from --timeout (no deadline for 0). When the deadline passes,
// the process has Grace left (see watchDeadline); cancelling the context ends that watch.
func (o *runOptions) withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if o.timeout <= 0 {
		return context.WithCancel(ctx)
	}
	dctx, cancel := context.WithTimeout(ctx, o.timeout)
	watchDeadline(dctx)
	return dctx, cancel
}

// session is one connection to the Rancher API for one command run (the engine's rancherengine.Session),
// with the command line it serves.
type session struct {
	*rancherengine.Session
	f *Factory
	g *GlobalOptions
}

// connect opens the API, checks the key may deploy here, and sets up progress and health waits.
func connect(ctx context.Context, f *Factory, g *GlobalOptions, o *runOptions) (*session, error) {
	// One lock for stderr: the verbose HTTP log and the progress renderer write from many goroutines.
	errOut := &lockedWriter{w: f.IO.ErrOut}
	cfg := clientConfig(f, g, o, errOut)
	readTimeout, err := readTimeout(f)
	if err != nil {
		return nil, err
	}
	cfg.ReadTimeout = readTimeout
	c, err := rancher.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := c.CheckCanDeploy(ctx); err != nil {
		return nil, err
	}
	api := upgrade.NewRancherAPI(c)
	// Diagnostics read a log until the server closes it: no quiet timeout, unlike the engine's default.
	api.LogLines = upgrade.LogTail(c, 0)
	health := &healthcheck.Waiter{Reader: api, Logs: api}
	if min := pollMin(f); min > 0 {
		health.Backoff = healthcheck.Backoff{Initial: min, Max: 20 * min, Factor: 2}
	}
	em := progress.Emitter{Sink: progress.NewRenderer(o.mode, errOut, f.IO.ErrTTY), Now: f.Now}
	s := &session{f: f, g: g}
	s.Session = &rancherengine.Session{Client: c, API: api, Events: em, Health: health, Now: f.Now,
		LockOwner: s.lockOwner(), LockTTL: g.lockTTL, BreakCommand: breakCommand, CleanupContext: cleanupContext}
	return s, nil
}
