package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
)

// With -pin the simulator (this process) runs on CPU 0 and every client on CPU 1, so that neither's CPU
// time shows in the other's figures: on a 2-core machine a client using more than a core (a 500-service
// deploy at --step 0) otherwise delays the simulator's answers by whole scheduler slices. Affinity is set
// with taskset(1) when a process starts (Go's runtime starts its threads before main could pin them).
const pinnedEnv = "RANCHER_COMPOSE_BENCH_PINNED"

// pinned tells whether this process is the pinned copy.
func pinned() bool { return os.Getenv(pinnedEnv) != "" }

// runPinned runs this benchmark again on CPU 0 with the same arguments and returns its exit code.
func runPinned() (int, error) {
	if runtime.GOOS != "linux" || runtime.NumCPU() < 2 {
		return 0, fmt.Errorf("-pin needs Linux and 2 CPUs (this machine: %s, %d)", runtime.GOOS, runtime.NumCPU())
	}
	taskset, err := exec.LookPath("taskset")
	if err != nil {
		return 0, fmt.Errorf("-pin needs taskset(1) (util-linux): %w", err)
	}
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	cmd := exec.Command(taskset, append([]string{"-c", "0", self}, os.Args[1:]...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = append(os.Environ(), pinnedEnv+"=1")
	if err := cmd.Run(); err != nil && cmd.ProcessState == nil {
		return 0, err
	}
	return cmd.ProcessState.ExitCode(), nil
}

// clientArgs is the command line that starts a client: on CPU 1 when pinned.
func clientArgs(args []string) []string {
	if !pinned() {
		return args
	}
	return append([]string{"taskset", "-c", "1"}, args...)
}
