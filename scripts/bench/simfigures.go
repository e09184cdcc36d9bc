package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

// listMarker is a query parameter the simulator ignores (no such filter), carried by the bench's own
// list-rate requests so that the answer times of the run they overlap leave them out.
const listMarker = "_benchlist=1"

// listDuringDelay is how far into the scale table's upgrade -listduring measures the list rate: by then
// every service is upgrading, one container at a time.
const listDuringDelay = 10 * time.Second

// startSimProfile starts a CPU profile of this process, which holds the simulator (the client is a process
// of its own), written to file with "-N-scenario" inserted before its extension, and a mutex profile
// (lock contention: who held the lock others waited for) next to it, ".mutex" appended; it returns the stop.
func startSimProfile(file string, n int, scenario string) func() {
	if file == "" {
		return func() {}
	}
	ext := filepath.Ext(file)
	name := fmt.Sprintf("%s-%d-%s%s", strings.TrimSuffix(file, ext), n, strings.ReplaceAll(scenario, " ", ""), ext)
	f, err := os.Create(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: -simprofile: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(os.Stderr, "bench: -simprofile: %v\n", err)
		_ = f.Close()
		return func() {}
	}
	runtime.SetMutexProfileFraction(1)
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
		runtime.SetMutexProfileFraction(0)
		if mf, err := os.Create(name + ".mutex"); err == nil {
			_ = pprof.Lookup("mutex").WriteTo(mf, 0)
			_ = mf.Close()
		}
		fmt.Printf("simulator CPU profile: %s (lock contention: %s.mutex)\n", name, name)
	}
}

// listRateLater is a list-rate measurement taken in the background while a scenario runs.
type listRateLater struct {
	wg       sync.WaitGroup
	rate     string
	requests int
	wire     *listWire
}

// measureListRateAfter measures listRate once delay has passed (nothing when the stack is gone by then).
func measureListRateAfter(s *scaleSim, delay time.Duration) *listRateLater {
	l := &listRateLater{}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		time.Sleep(delay)
		l.rate, l.requests, l.wire = listRate(s)
	}()
	return l
}

// result waits for the measurement.
func (l *listRateLater) result() string {
	l.wg.Wait()
	return l.rate
}

// stepZeroRow runs the fresh `up -d` of file on a simulator of its own with no latency and no step time,
// so that the figures are the simulator's own pace: requests answered a second and its p99.
func stepZeroRow(c config, bin, dir string, n int, file string) (scaleRow, error) {
	row := scaleRow{n: n, client: "ours", scenario: "fresh S=0 L=0"}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return row, err
	}
	opts := simOptions(c)
	opts.Step, opts.StepSet, opts.Faults.Latency = 0, true, 0
	s, err := startScaleSim(opts)
	if err != nil {
		return row, err
	}
	defer s.close()
	stopProfile := startSimProfile(c.simProfile, n, "fresh step0")
	before, cpu, machine := s.sim.Stats(), selfCPU(), machineCPU()
	run, err := s.runClient(bin, dir, "-p", "generated", "-f", file, "up", "-d")
	row.steal = stealSince(machine)
	stopProfile()
	if err != nil {
		return row, err
	}
	after := s.sim.Stats()
	row.wall, row.requests, row.writes = run.wall, after.Requests-before.Requests, after.Mutations-before.Mutations
	row.bytesIn, row.bytesOut = s.out.Load(), s.in.Load()
	row.peakRSS, row.clientCPU, row.simCPU = run.peakRSS, run.cpu, selfCPU()-cpu
	durs, waits := s.log.takeWithWaits()
	fmt.Printf("N=%d, fresh S=0 L=0: %s\n", n, slowestShare(durs, waits))
	row.simP99, row.simServedPerSec = p99(durs), float64(row.requests)/run.wall.Seconds()
	return row, allIn(s.sim, "generated", n, "active")
}

// percent formats a share, n/a when unknown (negative).
func percent(share float64) string {
	if share < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", 100*share)
}

// wallPerMin is the row's wall over its minimum, n/a for rows without one.
func wallPerMin(r scaleRow) string {
	if r.minimum <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", ratio(r.wall, r.minimum))
}
