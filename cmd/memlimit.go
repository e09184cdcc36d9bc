package cmd

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
)

// The client's soft memory limit (issue 10: peak RSS at N=500 under 64 MB). With GOGC's default alone the
// runtime lets its memory reach twice the live heap plus whatever fragmentation, free pages not yet returned
// and goroutine stacks add, about 45 MB for a 15 MB live heap. A soft limit of memLimitFloor makes it
// return free pages and collect a little earlier at such sizes; it follows the live heap after every
// collection (softMemoryLimit), so it never squeezes a bigger project's heap below the room GOGC=100 gives
// it, where a fixed limit would make the collector run continuously (a fixed 40 MiB with a 30 MB live heap
// doubled the CPU of a 500-service upgrade). Setting GOMEMLIMIT or GOGC turns it off: the runtime's own
// knobs then apply as given.
const (
	memLimitFloor  = 40 << 20
	memLimitMargin = 10 << 20 // stacks and the runtime's own structures, beyond twice the live heap
)

// softMemoryLimit is the limit for a live heap of live bytes: twice the heap plus a margin, and no less
// than the floor.
func softMemoryLimit(live uint64) int64 {
	return max(memLimitFloor, 2*int64(live)+memLimitMargin)
}

// softLimitOnce keeps a process that calls Main more than once to one chain of after-GC hooks.
var softLimitOnce sync.Once

// startSoftMemoryLimit applies the soft limit (once per process) unless the environment tunes the runtime
// itself; it tells whether the limit is in force.
func startSoftMemoryLimit() bool {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		return false
	}
	softLimitOnce.Do(func() {
		debug.SetMemoryLimit(memLimitFloor)
		afterEachGC(func() {
			if !softLimitStopped.Load() {
				debug.SetMemoryLimit(softMemoryLimit(liveHeap()))
			}
		})
	})
	return true
}

// softLimitStopped turns the soft limit's renewals off (stopSoftMemoryLimit).
var softLimitStopped atomic.Bool

// stopSoftMemoryLimit lifts the soft limit for the rest of the process (a command serving others, not
// deploying) and tells whether the runtime's knobs are this program's to set (neither GOGC nor GOMEMLIMIT).
func stopSoftMemoryLimit() bool {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		return false
	}
	softLimitStopped.Store(true)
	debug.SetMemoryLimit(math.MaxInt64)
	return true
}

// liveHeap is the heap the last collection found live.
func liveHeap() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// gcSentinel is an object kept by nothing: its finalizer runs after the collection that finds it.
type gcSentinel struct{ _ *gcSentinel } // a pointer: never a tiny allocation, whose finalizer may not run

// afterEachGC runs f on the finalizer goroutine after every collection, for the life of the process.
func afterEachGC(f func()) {
	runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) {
		f()
		afterEachGC(f)
	})
}
