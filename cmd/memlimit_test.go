package cmd

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// TestSoftMemoryLimitFollowsTheLiveHeap: the floor for small heaps, twice the heap and a margin above.
func TestSoftMemoryLimitFollowsTheLiveHeap(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{{0, memLimitFloor}, {10 << 20, memLimitFloor}, {15 << 20, memLimitFloor}, {30 << 20, 70 << 20}, {100 << 20, 210 << 20}} {
		if got := softMemoryLimit(c.live); got != c.want {
			t.Errorf("live %d MiB: limit %d MiB, want %d MiB", c.live>>20, got>>20, c.want>>20)
		}
	}
}

// TestSoftMemoryLimitLeavesTheRuntimesKnobsAlone: with GOMEMLIMIT or GOGC set nothing is changed.
func TestSoftMemoryLimitLeavesTheRuntimesKnobsAlone(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	for _, env := range []string{"GOMEMLIMIT", "GOGC"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, "100")
			if startSoftMemoryLimit() || debug.SetMemoryLimit(-1) != before {
				t.Errorf("the soft limit was applied with %s set", env)
			}
		})
	}
}

// TestAfterEachGCRunsAfterEveryCollection: the hook re-arms itself.
func TestAfterEachGCRunsAfterEveryCollection(t *testing.T) {
	ran := make(chan struct{}, 16)
	stop := make(chan struct{})
	defer close(stop)
	afterEachGC(func() {
		select {
		case <-stop:
		case ran <- struct{}{}:
		default:
		}
	})
	for i := 0; i < 3; i++ {
		runtime.GC()
		select {
		case <-ran:
		case <-time.After(10 * time.Second): // a bound against hanging, not a measured time
			t.Fatalf("the hook did not run after collection %d", i+1)
		}
	}
}

// TestServingASimulatorLiftsTheSoftLimit: the sim command sets sim.GCPercent and no collection brings the
// client's soft limit back.
func TestServingASimulatorLiftsTheSoftLimit(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("the runtime's knobs are set by the environment")
	}
	limit, percent := debug.SetMemoryLimit(-1), debug.SetGCPercent(100)
	defer func() {
		softLimitStopped.Store(false)
		debug.SetMemoryLimit(limit)
		debug.SetGCPercent(percent)
	}()
	startSoftMemoryLimit()
	serveSimulatorMemory()
	for i := 0; i < 3; i++ {
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // the after-GC hooks run on the finalizer goroutine
	}
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("memory limit %d MiB after collections, want none", got>>20)
	}
	if got := debug.SetGCPercent(sim.GCPercent); got != sim.GCPercent {
		t.Errorf("GC percent %d, want %d", got, sim.GCPercent)
	}
}
