package cmd

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

func init() { registerCommand(newSimCommand) }

// simOptions are the flags of `sim`.
type simOptions struct {
	Listen         string
	AccessKey      string
	SecretKey      string
	NoAuth         bool
	Hosts          int
	HostLabels     cli.StringSlice
	HostLabelsN    cli.StringSlice
	HostMemory     int64
	HostCPU        int64
	Step           time.Duration
	stepSet        bool
	Latency        time.Duration
	Jitter         time.Duration
	ErrorRate      float64
	ErrorStatus    int
	ProxyErrors    bool
	ConflictBurst  int
	DropRate       float64
	StuckStates    cli.StringSlice
	ErrorStates    cli.StringSlice
	UnhealthyImage cli.StringSlice
	UnhealthyAfter cli.StringSlice
	FailImage      cli.StringSlice
	ExitImage      cli.StringSlice
	SlowPull       cli.StringSlice
	Seed           int64
	ShowRemoved    time.Duration
	SystemStacks   bool
	ExposeExitCode bool
	Environments   string
}

func newSimCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &simOptions{}
	return &cli.Command{
		Name:  "sim",
		Usage: "Serve a simulated Rancher 1.6 API (a test double, never a deploy target) until interrupted",
		Description: "Simulates the Rancher 1.6 management API (/v2-beta, /v1) with hosts and containers that only exist in memory,\n" +
			"for rehearsing pipelines and testing clients. Point RANCHER_URL at the printed URL. A JSON control API lives under /_sim/\n" +
			"(GET /_sim/stats, POST /_sim/reset, PUT /_sim/faults, PUT /_sim/images, GET /_sim/state; GET /_sim/ lists them).\n" +
			"GLOB arguments use path.Match syntax against the image name without \"docker:\" (e.g. 'nginx:*').",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "verbose", Usage: "log one line per API request (as the global --verbose; credentials never logged)", Destination: &g.Verbose},
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "address to serve on (port 0 picks a free one)", Destination: &o.Listen},
			&cli.StringFlag{Name: "access-key", Usage: "environment API access key to accept (default: the global --access-key, else random)", Destination: &o.AccessKey},
			&cli.StringFlag{Name: "secret-key", Usage: "environment API secret key to accept (default: the global --secret-key, else random)", Destination: &o.SecretKey},
			&cli.BoolFlag{Name: "no-auth", Usage: "access control off: every request is let in, as on a fresh Rancher install", Destination: &o.NoAuth},
			&cli.IntFlag{Name: "hosts", Value: 3, Usage: "number of simulated hosts", Destination: &o.Hosts},
			&cli.StringSliceFlag{Name: "host-label", Usage: "KEY=VALUE label on every host (repeatable)", Destination: &o.HostLabels},
			&cli.StringSliceFlag{Name: "host-labels", Usage: "N:KEY=VALUE[,KEY=VALUE] labels on host N only, 1-based (repeatable)", Destination: &o.HostLabelsN},
			&cli.Int64Flag{Name: "host-memory", Value: 8 << 30, Usage: "memory of each host in bytes (for memoryReservation)", Destination: &o.HostMemory},
			&cli.Int64Flag{Name: "host-cpu", Value: 4000, Usage: "milli-CPUs of each host (for milliCpuReservation)", Destination: &o.HostCPU},
			&cli.DurationFlag{Name: "step", Value: 200 * time.Millisecond, Usage: "time each state transition takes; 0 = as fast as possible", Destination: &o.Step},
			&cli.DurationFlag{Name: "latency", Usage: "latency added to every API answer", Destination: &o.Latency},
			&cli.DurationFlag{Name: "jitter", Usage: "random extra latency, up to this", Destination: &o.Jitter},
			&cli.Float64Flag{Name: "error-rate", Usage: "fraction of API requests answered with --error-status (503); for changes, half of them AFTER the change was applied", Destination: &o.ErrorRate},
			&cli.IntFlag{Name: "error-status", Value: 503, Usage: "status of the --error-rate answers (500, 502, 503, 504)", Destination: &o.ErrorStatus},
			&cli.BoolFlag{Name: "proxy-errors", Usage: "--error-rate answers look like a fronting proxy's (HTML body) instead of Cattle's JSON", Destination: &o.ProxyErrors},
			&cli.IntFlag{Name: "conflict-burst", Usage: "answer the first N changing requests with 409 Conflict", Destination: &o.ConflictBurst},
			&cli.Float64Flag{Name: "drop-rate", Usage: "fraction of API requests whose connection is closed without an answer", Destination: &o.DropRate},
			&cli.StringSliceFlag{Name: "stuck-state", Usage: "STATE in which transitions get stuck, e.g. upgrading (repeatable)", Destination: &o.StuckStates},
			&cli.StringSliceFlag{Name: "error-state", Usage: "STATE in which transitions end with transitioning=error (repeatable)", Destination: &o.ErrorStates},
			&cli.StringSliceFlag{Name: "unhealthy-image", Usage: "GLOB: containers of matching images never pass their health check (repeatable)", Destination: &o.UnhealthyImage},
			&cli.StringSliceFlag{Name: "unhealthy-after", Usage: "GLOB=DURATION: matching containers turn unhealthy that long after becoming healthy (repeatable)", Destination: &o.UnhealthyAfter},
			&cli.StringSliceFlag{Name: "fail-image", Usage: "GLOB: matching containers fail to start (state error) (repeatable)", Destination: &o.FailImage},
			&cli.StringSliceFlag{Name: "exit-image", Usage: "GLOB=CODE: matching containers exit with CODE after starting (start-once jobs) (repeatable)", Destination: &o.ExitImage},
			&cli.StringSliceFlag{Name: "slow-pull", Usage: "GLOB=DURATION: pulling matching images takes that much longer (repeatable)", Destination: &o.SlowPull},
			&cli.BoolFlag{Name: "expose-exit-code", Usage: "containers carry lastExitCode, the field of the never-merged rancher/cattle#2903 (stock 1.6 reports no exit code)", Destination: &o.ExposeExitCode},
			&cli.BoolFlag{Name: "system-stacks", Usage: "add Rancher's infrastructure stacks (healthcheck, ipsec, network-services, scheduler), as a real environment has", Destination: &o.SystemStacks},
			&cli.DurationFlag{Name: "show-removed-for", Usage: "list removed resources for this long, as Rancher 1.0/1.1 did (300s); default: hide at once (1.6)", Destination: &o.ShowRemoved},
			&cli.StringFlag{Name: "environments", Usage: "serve several environments (projects), e.g. dev,stage,prod, each with its own hosts, stacks and environment key (printed); --access-key/--secret-key become an account key that sees them all", Destination: &o.Environments},
			&cli.Int64Flag{Name: "seed", Usage: "random seed for fault injection (0: time-based)", Destination: &o.Seed},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usageErrorf("sim takes no arguments, got %q", c.Args().First())
			}
			o.stepSet = c.IsSet("step")
			return runSim(c, f, g, o)
		},
	}
}

// simConfig turns the flags into simulator options.
func simConfig(g *GlobalOptions, o *simOptions) (sim.Options, error) {
	opts := sim.Options{Listen: o.Listen, AccessKey: firstNonEmpty(o.AccessKey, g.AccessKey),
		SecretKey: firstNonEmpty(o.SecretKey, g.SecretKey), AccessControlOff: o.NoAuth, Hosts: o.Hosts,
		NoHosts: o.Hosts == 0, HostMemory: o.HostMemory, HostMilliCPU: o.HostCPU, Step: o.Step, StepSet: o.stepSet,
		Seed: o.Seed, ShowRemovedFor: o.ShowRemoved, SystemStacks: o.SystemStacks, ExposeExitCode: o.ExposeExitCode, Faults: sim.Faults{Latency: sim.Duration(o.Latency), Jitter: sim.Duration(o.Jitter),
			ErrorRate: o.ErrorRate, ErrorStatus: o.ErrorStatus, ProxyErrors: o.ProxyErrors, ConflictBurst: o.ConflictBurst, DropRate: o.DropRate,
			StuckStates: o.StuckStates.Value(), ErrorStates: o.ErrorStates.Value()}}
	if o.Hosts < 0 {
		return opts, usageErrorf("--hosts must be 0 or more, got %d", o.Hosts)
	}
	if o.ErrorStatus < 500 || o.ErrorStatus > 599 {
		return opts, usageErrorf("--error-status must be a 5xx status, got %d", o.ErrorStatus)
	}
	if o.ErrorRate < 0 || o.ErrorRate > 1 || o.DropRate < 0 || o.DropRate > 1 {
		return opts, usageErrorf("--error-rate and --drop-rate must be between 0 and 1")
	}
	var err error
	if opts.HostLabels, err = parseLabels(o.HostLabels.Value(), "--host-label"); err != nil {
		return opts, err
	}
	for _, v := range o.HostLabelsN.Value() {
		n, rest, ok := strings.Cut(v, ":")
		idx, convErr := strconv.Atoi(n)
		if !ok || convErr != nil || idx < 1 {
			return opts, usageErrorf("--host-labels %q: expected N:KEY=VALUE[,KEY=VALUE] with N ≥ 1", v)
		}
		labels, err := parseLabels(strings.Split(rest, ","), "--host-labels")
		if err != nil {
			return opts, err
		}
		for len(opts.PerHostLabels) < idx {
			opts.PerHostLabels = append(opts.PerHostLabels, nil)
		}
		opts.PerHostLabels[idx-1] = labels
	}
	opts.Images, err = imageBehaviors(o)
	return opts, err
}

func imageBehaviors(o *simOptions) ([]sim.ImageBehavior, error) {
	var out []sim.ImageBehavior
	for _, g := range o.UnhealthyImage.Value() {
		out = append(out, sim.ImageBehavior{Glob: g, NeverHealthy: true})
	}
	for _, g := range o.FailImage.Value() {
		out = append(out, sim.ImageBehavior{Glob: g, FailStart: true})
	}
	for _, v := range o.UnhealthyAfter.Value() {
		g, d, err := globDuration(v, "--unhealthy-after")
		if err != nil {
			return nil, err
		}
		out = append(out, sim.ImageBehavior{Glob: g, UnhealthyAfter: sim.Duration(d)})
	}
	for _, v := range o.SlowPull.Value() {
		g, d, err := globDuration(v, "--slow-pull")
		if err != nil {
			return nil, err
		}
		out = append(out, sim.ImageBehavior{Glob: g, PullDelay: sim.Duration(d)})
	}
	for _, v := range o.ExitImage.Value() {
		g, c, ok := strings.Cut(v, "=")
		code, err := strconv.Atoi(c)
		if !ok || err != nil || g == "" {
			return nil, usageErrorf("--exit-image %q: expected GLOB=CODE, e.g. 'migrate*=0'", v)
		}
		out = append(out, sim.ImageBehavior{Glob: g, ExitCode: &code})
	}
	return out, nil
}

func globDuration(v, flag string) (string, time.Duration, error) {
	g, ds, ok := strings.Cut(v, "=")
	d, err := time.ParseDuration(ds)
	if !ok || err != nil || g == "" {
		return "", 0, usageErrorf("%s %q: expected GLOB=DURATION, e.g. 'nginx:*=30s'", flag, v)
	}
	return g, d, nil
}

func parseLabels(list []string, flag string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageErrorf("%s %q: expected KEY=VALUE", flag, kv)
		}
		out[k] = v
	}
	return out, nil
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return ""
}

func runSim(c *cli.Context, f *Factory, g *GlobalOptions, o *simOptions) error {
	opts, err := simConfig(g, o)
	if err != nil {
		return err
	}
	if g.Verbose {
		opts.RequestLog = f.IO.ErrOut
	}
	if o.Environments != "" {
		return runSimEnvironments(c, f, opts, o.Environments)
	}
	serveSimulatorMemory()
	s, err := sim.Start(opts)
	if err != nil {
		return fmt.Errorf("starting the simulator: %w", err)
	}
	secret := s.SecretKey()
	if opts.SecretKey != "" {
		secret = "<the secret key you gave>"
	}
	fmt.Fprintf(f.IO.Out, "Rancher API simulator (a test double) listening on %s\n", s.URL())
	fmt.Fprintf(f.IO.Out, "export RANCHER_URL=%s\nexport RANCHER_ACCESS_KEY=%s\nexport RANCHER_SECRET_KEY=%s\n", s.URL(), s.AccessKey(), secret)
	fmt.Fprintf(f.IO.ErrOut, "control API: %s/_sim/ ; press Ctrl-C to stop\n", s.URL())
	<-c.Context.Done()
	if err := s.Close(); err != nil {
		return fmt.Errorf("stopping the simulator: %w", err)
	}
	return nil
}

// serveSimulatorMemory tunes the collector for serving a simulator (sim.GCPercent) rather than for a
// deploy's small footprint (the client's soft memory limit), unless GOGC or GOMEMLIMIT is set.
func serveSimulatorMemory() {
	if stopSoftMemoryLimit() {
		debug.SetGCPercent(sim.GCPercent)
	}
}

// runSimEnvironments serves several environments behind one account key until interrupted.
func runSimEnvironments(c *cli.Context, f *Factory, opts sim.Options, list string) error {
	var names []string
	for _, n := range strings.Split(list, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	m, err := sim.StartEnvironments(opts, names)
	if err != nil {
		return usageErrorf("--environments %q: %v", list, err)
	}
	secret := m.SecretKey()
	if opts.SecretKey != "" {
		secret = "<the secret key you gave>"
	}
	fmt.Fprintf(f.IO.Out, "Rancher API simulator (a test double) listening on %s with environments %s\n", m.URL(), strings.Join(names, ", "))
	fmt.Fprintf(f.IO.Out, "# an account key that sees every environment: choose one with --env NAME|ID or RANCHER_ENVIRONMENT\n")
	fmt.Fprintf(f.IO.Out, "export RANCHER_URL=%s\nexport RANCHER_ACCESS_KEY=%s\nexport RANCHER_SECRET_KEY=%s\n", m.URL(), m.AccessKey(), secret)
	for _, n := range m.Names() {
		e := m.Environment(n)
		fmt.Fprintf(f.IO.Out, "# environment %s (%s): environment key RANCHER_ACCESS_KEY=%s RANCHER_SECRET_KEY=%s\n", n, e.ProjectID(), e.AccessKey(), e.SecretKey())
	}
	fmt.Fprintf(f.IO.ErrOut, "control API: %s/_sim/?env=NAME (default: the first environment); press Ctrl-C to stop\n", m.URL())
	<-c.Context.Done()
	return m.Close()
}
