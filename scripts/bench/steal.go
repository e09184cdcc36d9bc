package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// cpuTimes is the machine's CPU time so far, from /proc/stat's cpu line (in USER_HZ ticks): all of it, and
// the share the hypervisor gave to other guests (steal).
type cpuTimes struct {
	total, steal uint64
	ok           bool
}

// machineCPU reads the machine's CPU times; ok is false where /proc/stat is not there or has no steal
// column (not Linux, a kernel before 2.6.11).
func machineCPU() cpuTimes {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return cpuTimes{}
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	if !sc.Scan() {
		return cpuTimes{}
	}
	return parseCPULine(sc.Text())
}

// parseCPULine reads "cpu user nice system idle iowait irq softirq steal ...".
func parseCPULine(line string) cpuTimes {
	fields := strings.Fields(line)
	if len(fields) < 9 || fields[0] != "cpu" {
		return cpuTimes{}
	}
	var t cpuTimes
	for i, f := range fields[1:] {
		v, err := strconv.ParseUint(f, 10, 64)
		if err != nil {
			return cpuTimes{}
		}
		if i < 8 { // guest and guest_nice are already counted in user and nice
			t.total += v
		}
		if i == 7 {
			t.steal = v
		}
	}
	t.ok = true
	return t
}

// stealSince is the share of the machine's CPU time stolen by the hypervisor since before (-1: unknown). On a
// virtual machine whose host is busy it runs to tens of percent, and every wall measured then is longer.
func stealSince(before cpuTimes) float64 {
	after := machineCPU()
	if !before.ok || !after.ok || after.total <= before.total {
		return -1
	}
	return float64(after.steal-before.steal) / float64(after.total-before.total)
}
