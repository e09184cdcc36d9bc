package cmd

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/progress"
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
