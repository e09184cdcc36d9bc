package main

import (
	"fmt"
	"slices"
	"time"
)

// rowKey names a row of the scale table across repeated runs.
type rowKey struct {
	n                int
	client, scenario string
}

func keyOf(r scaleRow) rowKey { return rowKey{r.n, r.client, r.scenario} }

// medianRows is, for each row of the first run, the median of each figure over the runs that have that row
// (the upper one of the two middle values when their number is even). On a virtual machine walls vary by
// tens of percent with its host's load; a median of several runs is the figure to compare.
func medianRows(runs [][]scaleRow) []scaleRow {
	groups := rowsByKey(runs)
	var out []scaleRow
	for _, r := range runs[0] {
		g := groups[keyOf(r)]
		m := r
		m.wall, m.minimum = medianOf(g, func(r scaleRow) time.Duration { return r.wall }), medianOf(g, func(r scaleRow) time.Duration { return r.minimum })
		m.requests, m.writes = medianOf(g, func(r scaleRow) int { return r.requests }), medianOf(g, func(r scaleRow) int { return r.writes })
		m.bytesIn, m.bytesOut = medianOf(g, func(r scaleRow) int64 { return r.bytesIn }), medianOf(g, func(r scaleRow) int64 { return r.bytesOut })
		m.peakRSS = medianOf(g, func(r scaleRow) int64 { return r.peakRSS })
		m.clientCPU, m.simCPU = medianOf(g, func(r scaleRow) time.Duration { return r.clientCPU }), medianOf(g, func(r scaleRow) time.Duration { return r.simCPU })
		m.simP99 = medianOf(g, func(r scaleRow) time.Duration { return r.simP99 })
		m.simServedPerSec, m.steal = medianOf(g, func(r scaleRow) float64 { return r.simServedPerSec }), medianOf(g, func(r scaleRow) float64 { return r.steal })
		out = append(out, m)
	}
	return out
}

func rowsByKey(runs [][]scaleRow) map[rowKey][]scaleRow {
	groups := map[rowKey][]scaleRow{}
	for _, run := range runs {
		for _, r := range run {
			groups[keyOf(r)] = append(groups[keyOf(r)], r)
		}
	}
	return groups
}

func medianOf[T int | int64 | float64 | time.Duration](rows []scaleRow, figure func(scaleRow) T) T {
	vals := make([]T, len(rows))
	for i, r := range rows {
		vals[i] = figure(r)
	}
	slices.Sort(vals)
	return vals[len(vals)/2]
}

// printSpread prints, for each row, the range over the runs of the figures the goals are about.
func printSpread(runs [][]scaleRow) {
	groups := rowsByKey(runs)
	fmt.Printf("\nspread over %d runs (min–max):\n", len(runs))
	fmt.Println("| N | client | scenario | wall/min | req/svc | bytes/svc | host steal |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, r := range runs[0] {
		g := groups[keyOf(r)]
		n := float64(r.n)
		wallMin := "n/a"
		if r.minimum > 0 {
			lo, hi := spreadOf(g, func(r scaleRow) float64 { return ratio(r.wall, r.minimum) })
			wallMin = fmt.Sprintf("%.2f–%.2f", lo, hi)
		}
		reqLo, reqHi := spreadOf(g, func(r scaleRow) float64 { return float64(r.requests) / n })
		byLo, byHi := spreadOf(g, func(r scaleRow) float64 { return float64(r.bytesIn) / n })
		stLo, stHi := spreadOf(g, func(r scaleRow) float64 { return r.steal })
		fmt.Printf("| %d | %s | %s | %s | %.2f–%.2f | %s–%s | %s–%s |\n", r.n, r.client, r.scenario, wallMin, reqLo, reqHi,
			kb(int64(byLo)), kb(int64(byHi)), percent(stLo), percent(stHi))
	}
}

func spreadOf(rows []scaleRow, figure func(scaleRow) float64) (lo, hi float64) {
	for i, r := range rows {
		v := figure(r)
		if i == 0 || v < lo {
			lo = v
		}
		if i == 0 || v > hi {
			hi = v
		}
	}
	return lo, hi
}
