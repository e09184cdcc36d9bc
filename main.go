// Command rancher-compose deploys docker-compose + rancher-compose projects to Rancher 1.x.
package main

import (
	"os"
	"runtime/debug"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
)

// heapLimit is the Go runtime's soft memory limit unless GOMEMLIMIT sets one: past it the garbage
// collector runs more often instead of letting the heap double, which keeps a 500-service deploy (its
// live heap is about 30 MB, mostly answers in flight) under 64 MB resident for a few per cent more CPU.
// It is soft: a bigger live heap still gets the memory it needs.
const heapLimit = 40 << 20

func main() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(heapLimit)
	}
	os.Exit(int(cmd.Main()))
}
