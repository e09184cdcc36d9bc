// Command bench measures `up -d` and `up -d --upgrade` of rancher-compose against the in-process Rancher API
// simulator and compares each wall time with the minimum the simulator's state machine and the project's
// dependency graph allow, and the requests sent with what the original v0.12.5 sent.
//
//	go run ./scripts/bench          # 20 ms latency, 200 ms steps, a 50-service generated stack (about a minute)
//	go run ./scripts/bench -short   # the same code paths, shortened for CI (a few seconds)
//
// It exits 1 when a deploy fails; the figures themselves are printed, never asserted (no timed assertions).
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// verbose prints the request logs (-v).
var verbose bool

// config is one benchmark run's parameters.
type config struct {
	short       bool
	m           model
	hosts       int
	generated   int           // services in the generated stack
	workers     int           // worker scale of the upgrade scenario
	batch       int           // --batch-size of the upgrade scenario
	interval    time.Duration // --interval of the upgrade scenario
	root, trace string
	sizes       []int  // stack sizes of the scale table (e)
	scaleOnly   bool   // run the scale table alone
	clientSrc   string // module root the scale table's client is built from (default: this one)
	original    string // the original v0.12.5 binary, run through the same scale scenarios ("" = not run)
	simProfile  string // CPU profile of the simulator during each fresh `up -d` of the scale table ("" = none)
	listDuring  bool   // also measure the list rate in the middle of the scale table's upgrade
	until       string // the scale table's last scenario ("" = all, and the S=0 row)
	byKind      bool   // print the bytes of each scale scenario's answers per kind of request
	step0Only   bool   // run only the scale table's fresh S=0 L=0 row
	repeat      int    // runs of the scale table; more than one prints the median of each figure and their spread
}

func newConfig(short bool, root string) config {
	c := config{short: short, m: model{L: 20 * time.Millisecond, S: 200 * time.Millisecond}, hosts: 10, generated: 50,
		workers: 10, batch: 2, interval: time.Second, root: root, trace: tracesDir(root), sizes: []int{50, 200, 500}}
	if short {
		c.m = model{L: 2 * time.Millisecond, S: 20 * time.Millisecond}
		c.generated, c.workers, c.interval = 15, 4, 100*time.Millisecond
		c.sizes = []int{20}
	}
	return c
}

func main() {
	if len(os.Args) > 2 && os.Args[1] == spawnArg {
		os.Exit(spawnMain(os.NewFile(3, "rusage"), os.Args[2:]))
	}
	short := flag.Bool("short", false, "reduced form for CI: 15 generated services, 2 ms latency, 20 ms steps, worker scale 4, 100 ms interval")
	flag.BoolVar(&verbose, "v", false, "also print every request of each measured run, with its time since the run started")
	sizes := flag.String("sizes", "", "stack sizes of the scale table, comma-separated (default 50,200,500; -short: 20)")
	scaleOnly := flag.Bool("scale", false, "run the scale table (e) alone")
	clientSrc := flag.String("client", "", "build the scale table's client from this source tree (another checkout, for before/after figures)")
	original := flag.String("original", os.Getenv("RANCHER_COMPOSE_ORIGINAL"), "also run the scale table's scenarios with this original v0.12.5 binary (scripts/build-original.sh builds one) [$RANCHER_COMPOSE_ORIGINAL]")
	simProfile := flag.String("simprofile", "", "write a CPU profile of the simulator (this process) during each fresh `up -d` of the scale table to FILE, the stack size and scenario inserted before its extension")
	listDuring := flag.Bool("listduring", false, "also measure how often the simulator serves the whole list 10 s into the scale table's upgrade, while hundreds of services move (perturbs the upgrade's figures a little)")
	until := flag.String("until", "", "run the scale table's scenarios only up to this one (fresh, no-op, upgrade or confirm; each needs those before it), without the S=0 row: quicker measurements")
	byKind := flag.Bool("bykind", false, "print the body bytes of each scale table scenario's answers per kind of request (polls, lists, containers...)")
	step0Only := flag.Bool("step0", false, "run only the scale table's `fresh S=0 L=0` row for each size (the simulator's own pace: served/s, p99, lock-wait share), for quicker measurements of the simulator")
	pin := flag.Bool("pin", false, "run the simulator on CPU 0 and each client on CPU 1 (Linux, taskset; 2 CPUs), so that the simulator's figures (p99, served/s) are its own, not the client's CPU in its way")
	repeat := flag.Int("repeat", 1, "run the scale table this many times and print each run, the median of each figure and their spread (walls on a virtual machine vary with its host's load: an odd number of runs, 3 or 5, gives figures to compare)")
	flag.Parse()
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(sim.GCPercent) // this process serves the simulators; each client has its own
	}
	if *pin && !pinned() {
		code, err := runPinned()
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(2)
		}
		os.Exit(code)
	}
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	c := newConfig(*short, root)
	c.scaleOnly, c.clientSrc, c.original, c.simProfile, c.listDuring, c.until, c.byKind = *scaleOnly, *clientSrc, *original, *simProfile, *listDuring, *until, *byKind
	c.repeat = *repeat
	c.step0Only = *step0Only
	if c.until != "" && !slices.Contains(scaleScenarios, c.until) {
		fmt.Fprintf(os.Stderr, "bench: -until %q: want one of %v\n", c.until, scaleScenarios)
		os.Exit(2)
	}
	if *sizes != "" {
		if c.sizes, err = parseSizes(*sizes); err != nil {
			fmt.Fprintln(os.Stderr, "bench: -sizes:", err)
			os.Exit(2)
		}
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(c config) error {
	fmt.Printf("rancher-compose benchmark against the simulator: latency L=%v, step S=%v, %d hosts (role=compute)%s\n",
		c.m.L, c.m.S, c.hosts, map[bool]string{true: " [-short: figures only exercise the code paths]", false: ""}[c.short])
	if c.scaleOnly {
		return scaleTable(c, c.sizes)
	}
	orig := originalFigures(c)
	dir, err := os.MkdirTemp("", "rc-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	genFile, err := writeStack(dir, generateStack(c.generated))
	if err != nil {
		return err
	}
	dockercoins := filepath.Join(c.root, "fixtures", "dockercoins", "docker-compose.yml")
	return errors.Join(
		upScenario(c, "(a) dockercoins: up -d", dockercoins, "dockercoins", nil, orig),
		upScenario(c, fmt.Sprintf("(b) generated %d-service stack: up -d", c.generated), genFile, "generated", nil, orig),
		upgradeScenario(c, dockercoins),
		traceProjectScenario(c, orig),
		scaleTable(c, c.sizes),
	)
}

// moduleRoot finds the directory holding go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s: run from the repository", dir)
		}
	}
}

// originalFigures counts the original's fresh `up -d` trace, or nil when the traces are absent.
func originalFigures(c config) *traceCount {
	file := filepath.Join(c.trace, "01-up-fresh.jsonl")
	t, err := countTrace(file)
	if err != nil {
		fmt.Printf("original v0.12.5: n/a (%v)\n", err)
		return nil
	}
	fmt.Printf("original v0.12.5, %s: %s\n  (its fake settled every transition at the first poll, so against 200 ms steps the original, polling every 150 ms, sends more: a lower bound)\n",
		filepath.Base(file), t)
	return &t
}

// parseSizes reads "50,200,500".
func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 15 {
			return nil, fmt.Errorf("%q: want a number of services, at least 15", f)
		}
		out = append(out, n)
	}
	return out, nil
}
