package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/rancherengine"
)

// Version, when set at build time with -ldflags "-X .../cmd.Version=v1.2.3", replaces the module version
// --version reads from the build information (see versionString).
var Version = ""

// GlobalOptions are the flags that come before the command name, as in the original tool.
type GlobalOptions struct {
	Verbose      bool
	Files        cli.StringSlice
	ProjectName  string
	URL          string
	AccessKey    string
	SecretKey    string
	RancherFile  string
	EnvFile      string
	BindingsFile string
	Environment  string
	Strict       bool
	Profiles     cli.StringSlice
	// LockTTL is the deploy lock's lease (--lock-ttl or RANCHER_COMPOSE_LOCK_TTL), parsed into lockTTL.
	LockTTL string

	lockTTL time.Duration
	// Engine is --engine (RANCHER_COMPOSE_ENGINE): rancher (default) or swarm.
	Engine string
	// NoTransformCache is --no-transform-cache; TransformCache is $RANCHER_COMPOSE_TRANSFORM_CACHE (on, off).
	// Either turns the cache off, into noTransformCache.
	NoTransformCache bool
	TransformCache   string

	noTransformCache bool
}

// ComposeFiles returns the -f values (or COMPOSE_FILE), each split on ':' as the original does.
func (g *GlobalOptions) ComposeFiles() []string {
	var files []string
	for _, v := range g.Files.Value() {
		for _, part := range strings.Split(v, string(os.PathListSeparator)) {
			if part != "" {
				files = append(files, part)
			}
		}
	}
	return files
}

// envBinding ties a global flag to the environment variable that supplies it when the flag is absent.
type envBinding struct {
	flag, env string
	set       func(string)
}

func (g *GlobalOptions) envBindings() []envBinding {
	return []envBinding{
		{"file", "COMPOSE_FILE", func(v string) { _ = g.Files.Set(v) }},
		{"project-name", "COMPOSE_PROJECT_NAME", func(v string) { g.ProjectName = v }},
		{"url", "RANCHER_URL", func(v string) { g.URL = v }},
		{"access-key", "RANCHER_ACCESS_KEY", func(v string) { g.AccessKey = v }},
		{"secret-key", "RANCHER_SECRET_KEY", func(v string) { g.SecretKey = v }},
		{"env", "RANCHER_ENVIRONMENT", func(v string) { g.Environment = v }},
		{"profile", "COMPOSE_PROFILES", func(v string) { _ = g.Profiles.Set(v) }},
		{"lock-ttl", EnvLockTTL, func(v string) { g.LockTTL = v }},
		{"engine", engine.EnvEngine, func(v string) { g.Engine = v }},
		{"no-transform-cache", EnvTransformCache, func(v string) { g.TransformCache = v }},
	}
}

// applyEnv fills unset flags from the environment through the injected lookup, so tests need not touch os env.
func (g *GlobalOptions) applyEnv(c *cli.Context, lookup func(string) (string, bool)) {
	for _, b := range g.envBindings() {
		if c.IsSet(b.flag) {
			continue
		}
		if v, ok := lookup(b.env); ok && v != "" {
			b.set(v)
		}
	}
}

func globalFlags(g *GlobalOptions) []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "verbose", Aliases: []string{"debug"}, Usage: "log every step and HTTP exchange (secrets redacted)", Destination: &g.Verbose},
		&cli.StringSliceFlag{Name: "file", Aliases: []string{"f"}, Usage: "compose file(s); repeatable, ':'-separated, '-' for stdin (default: docker-compose.yml) [$COMPOSE_FILE]", Destination: &g.Files},
		&cli.StringFlag{Name: "project-name", Aliases: []string{"p"}, Usage: "stack name (default: directory name) [$COMPOSE_PROJECT_NAME]", Destination: &g.ProjectName},
		&cli.StringFlag{Name: "url", Usage: "Rancher API endpoint URL [$RANCHER_URL]", Destination: &g.URL},
		&cli.StringFlag{Name: "access-key", Usage: "Rancher API access key [$RANCHER_ACCESS_KEY]", Destination: &g.AccessKey},
		&cli.StringFlag{Name: "secret-key", Usage: "Rancher API secret key [$RANCHER_SECRET_KEY]", Destination: &g.SecretKey},
		&cli.StringFlag{Name: "rancher-file", Aliases: []string{"r"}, Usage: "rancher compose file (default: rancher-compose.yml beside the first compose file)", Destination: &g.RancherFile},
		&cli.StringFlag{Name: "env-file", Aliases: []string{"e"}, Usage: "file of KEY=VALUE variables for interpolation", Destination: &g.EnvFile},
		&cli.StringFlag{Name: "bindings-file", Aliases: []string{"b"}, Usage: "JSON file replacing labels/ports of named services", Destination: &g.BindingsFile},
		&cli.StringFlag{Name: "env", Usage: "Rancher environment (project) name or id, when the key sees several [$RANCHER_ENVIRONMENT]", Destination: &g.Environment},
		&cli.StringSliceFlag{Name: "profile", Usage: "enable services of this compose profile; repeatable, comma-separated, '*' for all [$COMPOSE_PROFILES]", Destination: &g.Profiles},
		&cli.BoolFlag{Name: "strict", Usage: "treat unset variables and unknown keys as errors", Destination: &g.Strict},
		&cli.StringFlag{Name: "lock-ttl", Usage: "lease of the stack's deploy lock, renewed every third of it while the run lives (default 60s) [$" + EnvLockTTL + "]", Destination: &g.LockTTL},
		&cli.BoolFlag{Name: "no-transform-cache", Usage: "send every scripts/transform; by default answers are kept, encrypted, in the user cache directory (rancher-compose/transform) and reused [$" + EnvTransformCache + "=off]", Destination: &g.NoTransformCache},
		&cli.StringFlag{Name: "engine", Value: "rancher", Usage: "where to deploy: rancher (Rancher 1.6 API) or swarm (Docker Swarm at $DOCKER_HOST) [$RANCHER_COMPOSE_ENGINE]", Destination: &g.Engine},
	}
}

// commandConstructors lists every command. Each constructor binds its flags into an options struct.
var commandConstructors []func(f *Factory, g *GlobalOptions) *cli.Command

// registerCommand adds a command constructor; each command file calls it from init.
func registerCommand(c func(f *Factory, g *GlobalOptions) *cli.Command) {
	commandConstructors = append(commandConstructors, c)
}

// NewApp builds the CLI. It never exits the process: errors are returned from Run.
func NewApp(f *Factory) (*cli.App, *GlobalOptions) {
	g := &GlobalOptions{}
	app := &cli.App{
		Name:                      "rancher-compose",
		Usage:                     "Docker-compose to Rancher",
		Version:                   versionString(),
		Flags:                     globalFlags(g),
		Reader:                    f.IO.In,
		Writer:                    f.IO.Out,
		ErrWriter:                 f.IO.ErrOut,
		DisableSliceFlagSeparator: true,
		HideHelpCommand:           false,
		ExitErrHandler:            func(*cli.Context, error) {},
		CustomAppHelpTemplate:     cli.AppHelpTemplate + "\n" + exitCodesHelp + "\n\n" + environmentHelp + "\n",
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return &UsageError{Err: err}
		},
		Before: func(c *cli.Context) error {
			g.applyEnv(c, f.LookupEnv)
			var err error
			if g.lockTTL, err = parseLockTTL(g.LockTTL); err != nil {
				return err
			}
			off, err := parseTransformCacheSwitch(g.TransformCache)
			g.noTransformCache = g.NoTransformCache || off
			return err
		},
	}
	for _, build := range commandConstructors {
		c := build(f, g)
		c.OnUsageError = func(_ *cli.Context, err error, _ bool) error {
			return &UsageError{Err: withFlagHint(err, c.Flags)}
		}
		routeEngine(f, g, c)
		app.Commands = append(app.Commands, c)
	}
	return app, g
}

// Run executes one invocation and returns its error (nil on success).
func Run(ctx context.Context, f *Factory, args []string) error {
	app, _ := NewApp(f)
	if err := checkGlobalFlags(app, args); err != nil {
		return err
	}
	args = reorderCommandArgs(app, args)
	ctx = withInvocation(ctx, app, args)
	if name := commandName(app, args); name != "" && app.Command(name) == nil && name != "help" && name != "h" {
		return usageErrorf("No help topic for '%s'", name)
	}
	ctx, lost := rancherengine.WithLockLoss(ctx)
	return lost.Explain(app.RunContext(ctx, args))
}

// Main runs the process and maps the outcome to an exit code. The first SIGINT/SIGTERM cancels the run,
// which then has Grace to clean up; a second one, or a run still going Grace after its deadline or the
// interrupt, ends the process at once.
func Main() ExitCode {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ignoreBrokenPipes()
	startSoftMemoryLimit()
	f := SystemFactory()
	defer startProfiling(f.IO.ErrOut)()
	w := newWatchdog()
	ctx, cancel := context.WithCancelCause(withWatchdog(context.Background(), w))
	defer cancel(nil)
	done := make(chan error, 1)
	go func() { done <- Run(ctx, f, os.Args) }()
	for {
		select {
		case err := <-done:
			return report(f.IO, err)
		case <-sigs:
			if ctx.Err() != nil {
				fmt.Fprintln(f.IO.ErrOut, "rancher-compose: interrupted again; exiting without cleaning up")
				return ExitInterrupted
			}
			cancel(&interrupt{at: time.Now()})
			w.expire(ExitInterrupted)
		case code := <-w.fired:
			fmt.Fprintf(f.IO.ErrOut, "rancher-compose: %s, and cleaning up took longer than the %s grace period; exiting\n",
				map[ExitCode]string{ExitTimeout: "timed out (--timeout)", ExitInterrupted: "interrupted"}[code], Grace)
			return code
		}
	}
}

// report prints the final error once and returns its exit code.
func report(io *IOStreams, err error) ExitCode {
	code := exitCodeFor(err)
	if err != nil && !errors.Is(err, errAlreadyReported) {
		msg := err.Error()
		if code == ExitInterrupted && !strings.Contains(msg, "interrupted") {
			msg = "interrupted: " + msg
		}
		fmt.Fprintf(io.ErrOut, "rancher-compose: %s\n", msg)
	}
	return code
}

// errAlreadyReported wraps an outcome a command has already explained on stderr.
var errAlreadyReported = errors.New("already reported")
