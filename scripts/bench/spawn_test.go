package main

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestMain(m *testing.M) {
	if len(os.Args) > 2 && os.Args[1] == spawnArg {
		os.Exit(spawnMain(os.NewFile(3, "rusage"), os.Args[2:]))
	}
	os.Exit(m.Run())
}

// TestSpawnedClientsRSSIsItsOwn: a small child of a big process is measured small through the spawner,
// where its plain rusage carries the parent's high-water RSS.
func TestSpawnedClientsRSSIsItsOwn(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the inherited high-water RSS is Linux's")
	}
	child, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true(1)")
	}
	big := make([]byte, 200<<20) // the bench's simulator, standing in
	for i := range big {
		big[i] = 1
	}
	cmd, usage, err := measuredCommand(child)
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	got, err := usage()
	if err != nil {
		t.Fatal(err)
	}
	runtime.KeepAlive(big)
	if rss := got.peakRSS; rss <= 0 || rss > 100<<20 {
		t.Fatalf("true(1) measured at %d bytes; want its own few MB, not the 200 MB parent's", rss)
	}
}

// TestSpawnerPassesTheExitCode: a failing client fails the measured command with its own code.
func TestSpawnerPassesTheExitCode(t *testing.T) {
	child, err := exec.LookPath("false")
	if err != nil {
		t.Skip("no false(1)")
	}
	cmd, usage, err := measuredCommand(child)
	if err != nil {
		t.Fatal(err)
	}
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("want exit 1, got %v", err)
	}
	if _, err := usage(); err != nil {
		t.Fatal(err)
	}
}

// TestSpawnerTimesTheClientAlone: the wall reported is the client's own run, within the spawner's.
func TestSpawnerTimesTheClientAlone(t *testing.T) {
	child, err := exec.LookPath("sleep")
	if err != nil {
		t.Skip("no sleep(1)")
	}
	cmd, usage, err := measuredCommand(child, "0.2")
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	outer := time.Since(before)
	got, err := usage()
	if err != nil {
		t.Fatal(err)
	}
	if got.wall < 200*time.Millisecond || got.wall > outer || got.start.Before(before) {
		t.Fatalf("client wall %s from %s; want at least its 200 ms sleep, within the spawner's %s from %s", got.wall, got.start, outer, before)
	}
}

// TestPinnedClientsRunOnTheSecondCPU: under -pin a client is started through taskset on CPU 1.
func TestPinnedClientsRunOnTheSecondCPU(t *testing.T) {
	if got := clientArgs([]string{"rc", "up"}); len(got) != 2 {
		t.Fatalf("unpinned: %v", got)
	}
	t.Setenv(pinnedEnv, "1")
	if got := clientArgs([]string{"rc", "up"}); strings.Join(got, " ") != "taskset -c 1 rc up" {
		t.Fatalf("pinned: %v", got)
	}
}
