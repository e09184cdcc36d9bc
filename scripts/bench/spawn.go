package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// The client's peak RSS cannot be read from the rusage of a process this one starts: Linux starts a child's
// maxrss at the high-water RSS of the address space it execs from, which is this process's (it holds the
// simulator: tens to hundreds of MB), so every client would seem at least as big as the bench. The client
// is therefore started by a fresh copy of this binary (spawnArg), small when it execs the client, which
// reports the client's own rusage back on fd 3.
const spawnArg = "-spawn-measured"

// spawnMain is the spawner: it runs args with this process's streams and writes "maxrss-bytes cpu-ns
// start-unix-ns wall-ns" to rusage (the client's own start and run time, without this spawner's); it exits
// with the client's code.
func spawnMain(rusage io.Writer, args []string) int {
	args = clientArgs(args)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, "bench spawner:", err)
		return 127
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok && ru != nil {
		fmt.Fprintf(rusage, "%d %d %d %d\n", ru.Maxrss*1024, ru.Utime.Nano()+ru.Stime.Nano(), start.UnixNano(), wall.Nanoseconds())
	}
	if code := cmd.ProcessState.ExitCode(); code >= 0 {
		return code
	}
	return 1
}

// spawned is what the spawner measured of the client: its peak RSS and CPU, and when it started and how
// long it ran (from its exec to its exit).
type spawned struct {
	peakRSS int64
	cpu     time.Duration
	start   time.Time
	wall    time.Duration
}

// measuredCommand is bin with args, started through the spawner; after the command ran, usage returns what
// the spawner measured of the client.
func measuredCommand(bin string, args ...string) (cmd *exec.Cmd, usage func() (spawned, error), err error) {
	self, err := os.Executable()
	if err != nil {
		return nil, nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	cmd = exec.Command(self, append([]string{spawnArg, bin}, args...)...)
	cmd.ExtraFiles = []*os.File{w} // fd 3 in the spawner
	usage = func() (spawned, error) {
		_ = w.Close()
		defer r.Close()
		var rss, cpu, start, wall int64
		if _, err := fmt.Fscan(r, &rss, &cpu, &start, &wall); err != nil {
			return spawned{}, fmt.Errorf("reading the client's rusage from the spawner: %w", err)
		}
		return spawned{peakRSS: rss, cpu: time.Duration(cpu), start: time.Unix(0, start), wall: time.Duration(wall)}, nil
	}
	return cmd, usage, nil
}
