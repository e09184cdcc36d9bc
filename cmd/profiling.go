package cmd

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"time"
)

// Profiling hooks for developers measuring the client (scripts/bench, issue 10); deliberately not in the
// user documentation:
//
//	RANCHER_COMPOSE_CPUPROFILE=FILE  CPU profile of the whole run, written at exit
//	RANCHER_COMPOSE_MEMPROFILE=FILE  heap profile taken when the live heap was at its highest, written at exit
//
// The heap profile is the peak's, not the exit's, because peak RSS is what the bench reports: the live heap
// is sampled every peakSampleInterval and the profile re-taken whenever it exceeds the highest seen by 5%.
const (
	cpuProfileEnv      = "RANCHER_COMPOSE_CPUPROFILE"
	memProfileEnv      = "RANCHER_COMPOSE_MEMPROFILE"
	peakSampleInterval = 5 * time.Millisecond
	memProfileRate     = 16 << 10 // finer than the default 512 KiB: the heap of a run is tens of MB
)

// startProfiling starts the profiles the environment asks for; the returned function stops them and writes
// the files. Failures are reported on errOut and never fail the run.
func startProfiling(errOut io.Writer) (stop func()) {
	var stops []func() error
	if file := os.Getenv(cpuProfileEnv); file != "" {
		if s, err := startCPUProfile(file); err != nil {
			fmt.Fprintf(errOut, "rancher-compose: %s: %v\n", cpuProfileEnv, err)
		} else {
			stops = append(stops, s)
		}
	}
	if file := os.Getenv(memProfileEnv); file != "" {
		runtime.MemProfileRate = memProfileRate
		stops = append(stops, startPeakHeapProfile(file))
	}
	return func() {
		for _, s := range stops {
			if err := s(); err != nil {
				fmt.Fprintf(errOut, "rancher-compose: writing a profile: %v\n", err)
			}
		}
	}
}

func startCPUProfile(file string) (func() error, error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, err
	}
	return func() error {
		pprof.StopCPUProfile()
		return f.Close()
	}, nil
}

// startPeakHeapProfile keeps the heap profile of the highest live heap until the returned function writes it.
func startPeakHeapProfile(file string) func() error {
	done := make(chan struct{})
	result := make(chan []byte, 1)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var peak uint64
		var profile bytes.Buffer
		tick := time.NewTicker(peakSampleInterval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				result <- profile.Bytes()
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if live := sample[0].Value.Uint64(); live > peak+peak/20 {
				peak = live
				runtime.GC() // the heap profile is as of the last completed cycle: make that now
				profile.Reset()
				_ = pprof.Lookup("heap").WriteTo(&profile, 0)
			}
		}
	}()
	return func() error {
		close(done)
		profile := <-result
		if len(profile) == 0 { // the run ended before the first sample
			runtime.GC()
			var b bytes.Buffer
			_ = pprof.Lookup("heap").WriteTo(&b, 0)
			profile = b.Bytes()
		}
		return os.WriteFile(file, profile, 0o644)
	}
}
