package cmd

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestProfilingWritesBothProfiles: with both variables set, stopping writes two gzipped pprof files.
func TestProfilingWritesBothProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "heap.pprof")
	t.Setenv(cpuProfileEnv, cpu)
	t.Setenv(memProfileEnv, mem)
	defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
	var errOut bytes.Buffer
	stop := startProfiling(&errOut)
	keep := make([][]byte, 0, 64)
	for i := 0; i < 64; i++ {
		keep = append(keep, make([]byte, 64<<10))
	}
	stop()
	_ = keep
	if errOut.Len() > 0 {
		t.Fatalf("errors: %s", errOut.String())
	}
	for _, f := range []string{cpu, mem} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if len(data) < 2 || data[0] != 0x1f || data[1] != 0x8b {
			t.Errorf("%s: not a gzipped profile (%d bytes)", f, len(data))
		}
	}
}

// TestProfilingOffByDefault: without the variables nothing is written and nothing is reported.
func TestProfilingOffByDefault(t *testing.T) {
	t.Setenv(cpuProfileEnv, "")
	t.Setenv(memProfileEnv, "")
	var errOut bytes.Buffer
	startProfiling(&errOut)()
	if errOut.Len() > 0 {
		t.Fatalf("errors: %s", errOut.String())
	}
}

// TestProfilingReportsAnUnwritableFile: a CPU profile that cannot be created is reported, not fatal.
func TestProfilingReportsAnUnwritableFile(t *testing.T) {
	t.Setenv(cpuProfileEnv, filepath.Join(t.TempDir(), "missing", "cpu.pprof"))
	t.Setenv(memProfileEnv, "")
	var errOut bytes.Buffer
	startProfiling(io.Writer(&errOut))()
	if !bytes.Contains(errOut.Bytes(), []byte(cpuProfileEnv)) {
		t.Fatalf("want the failure named, got %q", errOut.String())
	}
}
