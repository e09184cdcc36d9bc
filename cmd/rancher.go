package cmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

func init() { engineConstructors["rancher"] = newRancherEngine }

// newRancherEngine is the Rancher engine: it connects on first use (openSession).
func newRancherEngine(f *Factory, g *GlobalOptions, o *runOptions, em progress.Emitter, errOut io.Writer) engine.Engine {
	return &rancherengine.Engine{Open: func(ctx context.Context, stack string) (*rancherengine.Session, error) {
		return openSession(ctx, f, g, o, em, errOut, stack)
	}}
}

// openSession opens the API, checks the key may deploy here, and sets up health waits. HTTP exchanges
// (--verbose) go to errOut, which the progress renderer shares. The look-up of stack (if not "") goes out
// with the API's discovery.
func openSession(ctx context.Context, f *Factory, g *GlobalOptions, o *runOptions, em progress.Emitter, errOut io.Writer, stack string) (*rancherengine.Session, error) {
	cfg := clientConfig(f, g, o, errOut)
	cfg.StackLookup = stack
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
	return &rancherengine.Session{Client: c, API: api, Events: em, Health: health, Now: f.Now,
		LockOwner: lockOwner(f), LockTTL: g.lockTTL, BreakCommand: breakCommand, CleanupContext: cleanupContext,
		TransformCache: openTransformCache(f, g, c, cfg.Verbose)}, nil
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

// lockOwner names this run for whoever the lock refuses: user@host (pid), and the CI build when known.
func lockOwner(f *Factory) string {
	user, _ := f.LookupEnv("USER")
	if user == "" {
		user = "unknown"
	}
	host, _ := os.Hostname()
	owner := fmt.Sprintf("%s@%s (pid %d)", user, host, os.Getpid())
	if build, ok := f.LookupEnv("BUILD_URL"); ok && build != "" {
		owner += " " + build
	}
	return owner
}
