package main

import (
	"context"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func TestCriticalChainIgnoresCycles(t *testing.T) {
	g := graph{"web": {"api"}, "api": {"db", "cache"}, "db": nil, "cache": {"api"}, "cron": nil}
	got := g.criticalChain(nil)
	if len(got) != 3 || got[2] != "web" || got[1] != "api" {
		t.Errorf("chain %v, want a 3-service chain ending api → web", got)
	}
}

func TestCriticalChainPrefersLaterOnTies(t *testing.T) {
	g := graph{"a": {"x"}, "b": {"x"}, "x": nil}
	if got := g.criticalChain(func(p, q string) bool { return p == "b" }); !reflect.DeepEqual(got, []string{"x", "b"}) {
		t.Errorf("chain %v, want [x b]", got)
	}
}

func TestReadGraphDockercoins(t *testing.T) {
	g, err := readGraph(filepath.Join(repoRoot(t), "fixtures", "dockercoins", "docker-compose.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(g["worker"], []string{"hasher", "redis", "rng"}) || !reflect.DeepEqual(g["webui"], []string{"redis"}) || len(g) != 5 {
		t.Errorf("graph %v", g)
	}
	if d := len(g.criticalChain(nil)); d != 2 {
		t.Errorf("depth %d, want 2", d)
	}
}

func TestGeneratedStackIsValidWithChainsAndFanIns(t *testing.T) {
	svcs := generateStack(50)
	if len(svcs) != 50 {
		t.Fatalf("%d services, want 50", len(svcs))
	}
	dir := t.TempDir()
	file, err := writeStack(dir, svcs)
	if err != nil {
		t.Fatal(err)
	}
	g, err := readGraph(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(g) != 50 {
		t.Errorf("graph has %d services", len(g))
	}
	if d := len(g.criticalChain(nil)); d != 5 {
		t.Errorf("critical chain %d, want 5", d)
	}
	if fanIn := len(g["gateway"]); fanIn < 4 {
		t.Errorf("gateway links %d services, want a fan-in of at least 4", fanIn)
	}
	io, _, errOut := cmd.TestIO()
	f := &cmd.Factory{IO: io, LookupEnv: func(string) (string, bool) { return "", false }, Environ: func() []string { return nil },
		Getwd: func() (string, error) { return dir, nil }, Now: time.Now}
	if err := cmd.Run(context.Background(), f, []string{"rancher-compose", "-f", file, "--strict", "config", "-q"}); err != nil {
		t.Errorf("config -q of the generated stack: %v\n%s", err, errOut)
	}
}

func TestMinimumFormulas(t *testing.T) {
	m := model{L: 20 * time.Millisecond, S: 200 * time.Millisecond}
	for _, c := range []struct {
		name      string
		got, want time.Duration
	}{
		{"per service 2L+4S", m.perService(), 840 * time.Millisecond},
		{"dockercoins D=2", m.minimum(2), 1720 * time.Millisecond},
		{"tight D=2", m.tightMinimum(2), 1500 * time.Millisecond},
		{"upgrade 10 by 2, 1s", m.upgradeMinimum(10, 2, time.Second), 9020 * time.Millisecond},
		{"upgrade 9 by 2, 1s", m.upgradeMinimum(9, 2, time.Second), 9020 * time.Millisecond},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestCountTraceAttributesServices(t *testing.T) {
	file := filepath.Join(tracesDir(repoRoot(t)), "01-up-fresh.jsonl")
	tc, err := countTrace(file)
	if err != nil {
		t.Skipf("no trace: %v", err)
	}
	if tc.Requests != 32 || tc.Shared != 6 || tc.PerService["db"] != 13 || tc.PerService["web"] != 13 || tc.perService() != 16 {
		t.Errorf("trace count %+v", tc)
	}
}

func TestKindOf(t *testing.T) {
	for path, want := range map[string]string{
		"/v2-beta/services/1s3":                            "poll service",
		"/v2-beta/services/1s3/?action=activate":           "activate",
		"/v2-beta/services/1s3/?action=setservicelinks":    "set links",
		"/v2-beta/services?removed_null=%3Cnil%3E&stackId": "list services",
		"/v2-beta/scripts/transform":                       "transform",
	} {
		method := "GET"
		if strings.Contains(path, "action") || strings.Contains(path, "transform") {
			method = "POST"
		}
		if got := kindOf(request{method: method, path: path}); got != want {
			t.Errorf("%s: %q, want %q", path, got, want)
		}
	}
	if got := kindOf(request{method: "POST", path: "/v2-beta/services"}); got != "create service" {
		t.Errorf("POST /services: %q", got)
	}
}

func TestLongestPathWeighsEachServiceOnItsChain(t *testing.T) {
	g := graph{"web": {"api"}, "api": {"db"}, "db": nil, "cron": nil, "loop": {"web", "loop"}}
	w := map[string]time.Duration{"web": 3, "api": 5, "db": 1, "cron": 8, "loop": 1}
	if got := g.longestPath(func(n string) time.Duration { return w[n] }); got != 10 {
		t.Errorf("longest path %v, want 10 (loop → web → api → db)", got)
	}
}

func TestDurationLogReadsTheSimulatorsAnswerTimes(t *testing.T) {
	var l durationLog
	_, _ = l.Write([]byte("15:09:34.955 POST /v2-beta/scripts/transform -> 200 (49µs)\n15:09:34.956 GET /v2-beta/services?stackId=1st5 -> 200 (21.5ms)\n"))
	got := l.take()
	if len(got) != 2 || got[0] != 49*time.Microsecond || got[1] != 21500*time.Microsecond {
		t.Fatalf("durations %v", got)
	}
	if p := p99(got); p != 21500*time.Microsecond {
		t.Errorf("p99 %v", p)
	}
	if len(l.take()) != 0 {
		t.Error("take did not forget")
	}
	_, _ = l.Write([]byte("15:09:34.957 GET /v2-beta/services/1s5 -> 200 [lock 1.5ms] (2ms)\n"))
	durs, waits := l.takeWithWaits()
	if len(durs) != 1 || durs[0] != 2*time.Millisecond || waits[0] != 1500*time.Microsecond {
		t.Fatalf("durations %v, lock waits %v", durs, waits)
	}
	if got := slowestShare(durs, waits); !strings.Contains(got, "(75%) waiting for the lock") {
		t.Errorf("slowest share: %s", got)
	}
}

func TestScaleSimCountsTheBytesOfItsConnections(t *testing.T) {
	s, err := startScaleSim(sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	n, _, err := getPage(http.DefaultClient, s, s.url+"/v2-beta/services")
	if err != nil {
		t.Fatal(err)
	}
	// The server adds its written bytes once its Write returns, which may be after the client has read them.
	for deadline := time.Now().Add(5 * time.Second); s.out.Load() <= n && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	if s.out.Load() <= n || s.in.Load() == 0 {
		t.Errorf("counted %d bytes out, %d in, for a body of %d", s.out.Load(), s.in.Load(), n)
	}
}
