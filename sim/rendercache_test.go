package sim

import (
	"flag"
	"fmt"
	"os"
	"testing"
	"time"
)

// TestMain runs every test with the render cache verified: each cached rendering served is compared
// with a fresh one, and a stale one fails the run (a change that did not touch what it changed); so
// is every placement made from the scheduler's kept views (verifySchedViews).
// Benchmarks run without, as the simulator does.
func TestMain(m *testing.M) {
	flag.Parse()
	verifyRenderCache = flag.Lookup("test.bench").Value.String() == ""
	verifySchedViews = verifyRenderCache
	code := m.Run()
	if n := staleRenders.Load(); n > 0 && code == 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d stale cached renderings served (see above)\n", n)
		code = 1
	}
	if n := schedMismatches.Load(); n > 0 && code == 0 {
		fmt.Fprintf(os.Stderr, "FAIL: %d placements from the kept views differ from fresh ones (see above)\n", n)
		code = 1
	}
	os.Exit(code)
}

// TestListWhileDeployingServesFreshRenderings lists a stack while its services deploy, step by step,
// the cache verified against fresh renderings at every page (TestMain).
func TestListWhileDeployingServesFreshRenderings(t *testing.T) {
	s, err := Start(Options{Clock: ManualClock, Step: time.Second, StepSet: true, Hosts: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := &client{t: t, s: s, user: s.AccessKey(), pass: s.SecretKey()}
	st := c.createStack("churn")
	var svcs []map[string]any
	for i := 0; i < 12; i++ {
		svcs = append(svcs, c.createService(strOf(st["id"]), fmt.Sprintf("s%d", i), 1+i%3, map[string]any{"imageUuid": "docker:nginx:1"}))
	}
	list := func() {
		t.Helper()
		for _, path := range []string{"/v2-beta/services?stackId=" + strOf(st["id"]), "/v2-beta/containers", "/v2-beta/stacks"} {
			if got := c.do("GET", path, nil); got.status != 200 {
				t.Fatalf("GET %s: %d", path, got.status)
			}
		}
	}
	before := staleRenders.Load()
	for i := 0; i < 3; i++ {
		list()
		if err := s.Advance(500 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	for i, svc := range svcs {
		c.action(c.reload(svc), "activate", nil, 202)
		if i%4 == 0 {
			list()
		}
	}
	for i := 0; i < 12; i++ {
		list()
		if err := s.Advance(500 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	if n := staleRenders.Load() - before; n > 0 {
		t.Errorf("%d stale cached renderings served", n)
	}
}

// TestChangingOneServiceReRendersOnlyIt lists a settled stack, changes one service through the API, and
// lists again: only that service is rendered again, once (a request, and the audit record it leaves,
// stale nothing else).
func TestChangingOneServiceReRendersOnlyIt(t *testing.T) {
	s, err := Start(Options{Clock: ManualClock, Hosts: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := &client{t: t, s: s, user: s.AccessKey(), pass: s.SecretKey()}
	st := c.createStack("quiet")
	var svcs []map[string]any
	for i := 0; i < 8; i++ {
		svcs = append(svcs, c.createService(strOf(st["id"]), fmt.Sprintf("s%d", i), 1, map[string]any{"imageUuid": "docker:nginx:1"}))
	}
	if err := s.Advance(SettleHorizon); err != nil {
		t.Fatal(err)
	}
	list := "/v2-beta/services?stackId=" + strOf(st["id"])
	c.do("GET", list, nil)
	misses := func() int {
		s.cacheMu.Lock()
		defer s.cacheMu.Unlock()
		return s.renderMisses
	}
	warm := misses()
	if got := c.do("GET", list, nil); got.status != 200 || misses() != warm {
		t.Fatalf("a second list rendered %d services again (status %d), want 0", misses()-warm, got.status)
	}
	before := misses()
	if got := c.do("PUT", "/v2-beta/services/"+strOf(svcs[3]["id"]), map[string]any{"description": "changed"}); got.status != 200 {
		t.Fatalf("PUT: %d %s", got.status, got.raw)
	}
	c.do("GET", list, nil)
	if n := misses() - before; n != 1 {
		t.Errorf("changing one service and listing rendered %d services, want 1 (the PUT's answer, reused by the list)", n)
	}
}
