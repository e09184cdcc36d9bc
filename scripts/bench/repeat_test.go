package main

import (
	"testing"
	"time"
)

func TestParseCPULineCountsStealAmongTheMachinesTime(t *testing.T) {
	got := parseCPULine("cpu  32219 0 5381 95597 466 0 859 10378 7 0")
	if !got.ok || got.steal != 10378 || got.total != 32219+5381+95597+466+859+10378 {
		t.Errorf("%+v: want steal 10378 of a total without the guest columns", got)
	}
	for _, bad := range []string{"", "cpu0 1 2 3 4 5 6 7 8", "cpu 1 2 3 4", "cpu 1 2 x 4 5 6 7 8"} {
		if parseCPULine(bad).ok {
			t.Errorf("%q read as CPU times", bad)
		}
	}
}

func TestMedianRowsTakesEachFiguresMiddleValue(t *testing.T) {
	row := func(wall time.Duration, reqs int, steal float64) scaleRow {
		return scaleRow{n: 50, client: "ours", scenario: "fresh", wall: wall, minimum: time.Second, requests: reqs, steal: steal}
	}
	runs := [][]scaleRow{
		{row(4*time.Second, 300, 0.2)},
		{row(3*time.Second, 360, 0.01)},
		{row(5*time.Second, 330, 0.05)},
	}
	got := medianRows(runs)
	if len(got) != 1 || got[0].wall != 4*time.Second || got[0].requests != 330 || got[0].steal != 0.05 {
		t.Errorf("%+v: want wall 4s, 330 requests, steal 0.05 (each figure's own median)", got)
	}
}
