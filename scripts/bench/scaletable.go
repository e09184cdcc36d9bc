package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// scaleScenarios are the scale table's scenarios, in the order they run (each on the stack the one before left).
var scaleScenarios = []string{"fresh", "no-op", "upgrade", "confirm"}

// upgradeInterval is --interval of the scale table's upgrade scenario (ms, as the flag takes it).
const upgradeInterval = 200 * time.Millisecond

// scaleTable deploys generated stacks of each size with a separate client process and prints one row per
// scenario: fresh `up -d`, a no-op `up -d`, `up -d --upgrade` of every service, `up -d --confirm-upgrade`.
func scaleTable(c config, sizes []int) error {
	if len(sizes) == 0 {
		return nil
	}
	fmt.Printf("\n== (e) scale: generated stacks of %v services, the client as its own process (peak RSS and CPU are its own)\n", sizes)
	dir, err := os.MkdirTemp("", "rc-bench-scale-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	src := c.root
	if c.clientSrc != "" {
		src = c.clientSrc
	}
	bin, err := buildClient(src, dir)
	if err != nil {
		return err
	}
	orig := originalPerService(c)
	var runs [][]scaleRow
	for run := 1; run <= max(c.repeat, 1); run++ {
		if c.repeat > 1 {
			fmt.Printf("\n-- run %d of %d\n", run, c.repeat)
		}
		rows, err := scaleRound(c, bin, filepath.Join(dir, fmt.Sprint(run)), sizes, orig)
		if err != nil {
			printScaleRows(rows)
			return err
		}
		if c.repeat > 1 {
			printScaleRows(rows)
		}
		runs = append(runs, rows)
	}
	rows := runs[0]
	if len(runs) > 1 {
		fmt.Printf("\nthe median of each figure over %d runs:\n", len(runs))
		rows = medianRows(runs)
	}
	printScaleRows(rows)
	fmt.Printf("minimum: fresh = the tight minimum of the stack's critical chain; no-op = 2L (stack lookup, service list); upgrade and confirm, "+
		"which follow the links as the original's do: L + the heaviest link chain, a service costing scale × (4S + %v, + 2 health intervals of 2 s "+
		"with a health check) to upgrade (batch 1) and L + S to confirm (finishupgrade, old containers removed in one step).\n", upgradeInterval)
	fmt.Printf("bytes: on the wire (headers included), counted at the simulator's connections, which carry nothing but the client's requests; " +
		"the original's: response bodies of its traces (2 services, a fake server) per service, schemas included, so a rough guide only.\n")
	fmt.Printf("sim p99: the simulator's answer time including the injected latency L; served/s: requests answered per second of wall time.\n")
	fmt.Printf("fresh S=0 L=0: the fresh `up -d` again on a simulator of its own with no latency and no step time (rancher-compose sim --step 0), " +
		"so the wall is the client's and the simulator's own work: its served/s and p99 are the simulator's pace.\n")
	fmt.Printf("host steal: the share of the machine's CPU time its hypervisor gave to other guests during the client's run; walls measured " +
		"under steal are longer.\n")
	if len(runs) > 1 {
		printSpread(runs)
	}
	return nil
}

// scaleRound runs the scale table's scenarios once for every size, ours and (with -original) the original's.
func scaleRound(c config, bin, dir string, sizes []int, orig map[string][2]float64) ([]scaleRow, error) {
	var rows []scaleRow
	for _, n := range sizes {
		r, err := scaleRun(c, bin, "ours", filepath.Join(dir, fmt.Sprint(n)), n, orig)
		rows = append(rows, r...)
		if err != nil {
			return rows, fmt.Errorf("scale N=%d: %w", n, err)
		}
		if c.original == "" {
			continue
		}
		r, err = scaleRun(c, c.original, "original", filepath.Join(dir, fmt.Sprint(n, "-original")), n, orig)
		rows = append(rows, r...)
		if err != nil {
			return rows, fmt.Errorf("scale N=%d, original: %w", n, err)
		}
	}
	return rows, nil
}

// scaleRun runs the four scenarios with the client bin (named client in the rows) on a simulator of its own.
func scaleRun(c config, bin, client, dir string, n int, orig map[string][2]float64) ([]scaleRow, error) {
	stack := generateStack(n)
	if c.short {
		for i := range stack {
			stack[i].healthPort = 0 // 2 s health intervals would make -short's upgrade slow
		}
	}
	v1, err := writeStackIn(filepath.Join(dir, "v1"), stack)
	if err != nil {
		return nil, err
	}
	v2, err := writeStackIn(filepath.Join(dir, "v2"), retagged(stack, ":1.0", ":1.1"))
	if err != nil {
		return nil, err
	}
	if c.step0Only {
		if client != "ours" {
			return nil, nil
		}
		row, err := stepZeroRow(c, bin, filepath.Join(dir, "step0"), n, v1)
		return []scaleRow{row}, err
	}
	g, err := readGraph(v1)
	if err != nil {
		return nil, err
	}
	s, err := startScaleSim(simOptions(c))
	if err != nil {
		return nil, err
	}
	defer s.close()
	byName := map[string]genService{}
	for _, svc := range stack {
		byName[svc.name] = svc
	}
	upgradeOne := func(name string) time.Duration {
		return c.m.upgradeOne(byName[name].scale, byName[name].healthPort > 0, upgradeInterval)
	}
	confirmOne := func(string) time.Duration { return c.m.L + c.m.S }
	scenarios := []struct {
		name, file string
		min        time.Duration
		want       string
		args       []string
	}{
		{"fresh", v1, c.m.tightMinimum(len(g.criticalChain(nil))), "active", []string{"up", "-d"}},
		{"no-op", v1, 2 * c.m.L, "active", []string{"up", "-d"}},
		{"upgrade", v2, c.m.L + g.longestPath(upgradeOne), "upgraded",
			[]string{"up", "-d", "--upgrade", "--batch-size", "1", "--interval", fmt.Sprint(upgradeInterval.Milliseconds())}},
		{"confirm", v2, c.m.L + g.longestPath(confirmOne), "active", []string{"up", "-d", "--confirm-upgrade"}},
	}
	var rows []scaleRow
	for _, sc := range scenarios {
		before, in, out := s.sim.Stats(), s.in.Load(), s.out.Load()
		s.log.take()
		s.kinds.take()
		cpu := selfCPU()
		args := append([]string{"-p", "generated", "-f", sc.file}, sc.args...)
		stopProfile := func() {}
		if sc.name == "fresh" && client == "ours" {
			stopProfile = startSimProfile(c.simProfile, n, sc.name)
		}
		var during *listRateLater
		if sc.name == "upgrade" && client == "ours" && c.listDuring {
			during = measureListRateAfter(s, listDuringDelay)
		}
		machine := machineCPU()
		run, err := s.runClient(bin, dir, args...)
		steal := stealSince(machine)
		stopProfile()
		listed, listedIn, listedOut := 0, int64(0), int64(0)
		if during != nil {
			fmt.Printf("N=%d: %d s into the upgrade, while its services move, the simulator serves the whole list %s\n", n, int(listDuringDelay.Seconds()), during.result())
			listed, listedIn, listedOut = during.requests, during.wire.in.Load(), during.wire.out.Load()
		}
		if err != nil {
			return rows, fmt.Errorf("%s: %w", sc.name, err)
		}
		after := s.sim.Stats()
		reqs := after.Requests - before.Requests - listed
		reqLog := s.log.requests()
		durs, waits := s.log.takeWithWaits()
		if sc.name == "fresh" {
			fmt.Printf("N=%d, %s, fresh: %s\n", n, client, slowestShare(durs, waits))
		}
		row := scaleRow{n: n, client: client, scenario: sc.name, wall: run.wall, minimum: sc.min, requests: reqs, writes: after.Mutations - before.Mutations,
			bytesIn: s.out.Load() - out - listedIn, bytesOut: s.in.Load() - in - listedOut, peakRSS: run.peakRSS, clientCPU: run.cpu, simCPU: selfCPU() - cpu,
			simP99: p99(durs), simServedPerSec: float64(reqs) / run.wall.Seconds(), origReqs: orig[sc.name][0], origBytes: orig[sc.name][1], steal: steal}
		rows = append(rows, row)
		if c.byKind {
			fmt.Printf("N=%d, %s, %s: answers by kind: %s\n", n, client, sc.name, s.kinds.take())
		}
		if err := allIn(s.sim, "generated", n, sc.want); err != nil {
			return rows, fmt.Errorf("%s: %w", sc.name, err)
		}
		if sc.name == "fresh" {
			chain := g.criticalChain(nil)
			times := timesOf(s.sim, "generated")
			fmt.Printf("N=%d, %s, fresh: %s\n  critical chain: %s\n  stretches: %s\n", n, client, phases(reqLog, run.start),
				chainReport(chain, g, times, run.start, run.start.Add(run.wall)), overhead(c.m, reqLog, chain, g, times, run.start, run.start.Add(run.wall)))
			if path := lastPath(g, times); len(path) > 0 && path[len(path)-1] != chain[len(chain)-1] {
				fmt.Printf("  path to the last container: %s\n  its stretches: %s\n", chainReport(path, g, times, run.start, run.start.Add(run.wall)),
					overhead(c.m, reqLog, path, g, times, run.start, run.start.Add(run.wall)))
			}
		}
		if verbose {
			fmt.Printf("N=%d, %s, %s: every request\n", n, client, sc.name)
			dump(reqLog, run.start, serviceNames(s.sim, "generated"))
		}
		if sc.name == "fresh" && client == "ours" {
			rate, _, _ := listRate(s)
			fmt.Printf("N=%d: the simulator serves the whole %d-service list (every page, one core) %s\n", n, n, rate)
		}
		if sc.name == c.until {
			return rows, nil
		}
	}
	if client == "ours" {
		row, err := stepZeroRow(c, bin, filepath.Join(dir, "step0"), n, v1)
		if err != nil {
			return rows, fmt.Errorf("fresh at step 0: %w", err)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// serviceNames maps the ids of the stack's services to their names (for -v).
func serviceNames(s *sim.Server, stack string) map[string]string {
	names := map[string]string{}
	for _, svc := range s.Services(stack) {
		names[svc.ID] = svc.Name
	}
	return names
}

// writeStackIn writes the stack into dir, created.
func writeStackIn(dir string, svcs []genService) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	return writeStack(dir, svcs)
}

// retagged is the stack with every image tag from replaced by to.
func retagged(svcs []genService, from, to string) []genService {
	out := make([]genService, len(svcs))
	for i, s := range svcs {
		s.image = strings.Replace(s.image, from, to, 1)
		if !strings.HasSuffix(s.image, to) {
			s.image += "-" + strings.TrimPrefix(to, ":")
		}
		out[i] = s
	}
	return out
}

// allIn checks that the stack has want services, all in state.
func allIn(s *sim.Server, stack string, want int, state string) error {
	var bad []string
	svcs := s.Services(stack)
	for _, svc := range svcs {
		if svc.State != state {
			bad = append(bad, svc.Name+" "+svc.State)
		}
	}
	if len(svcs) != want || len(bad) > 0 {
		return fmt.Errorf("stack %s: %d services (want %d), not %s: %v", stack, len(svcs), want, state, bad)
	}
	return nil
}

// listRate lists the stack's services (following pagination) back to back for a second with the process
// on one core, as a client polling it would, and says how many whole lists a second that makes, and how
// many requests it sent. Its requests carry listMarker, so the answer times of a run they overlap skip them.
func listRate(s *scaleSim) (string, int, *listWire) {
	var id string
	for _, st := range s.sim.Stacks() {
		if st.Name == "generated" {
			id = st.ID
		}
	}
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	wire := &listWire{}
	dialer := &net.Dialer{}
	client := &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dialer.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			// the simulator's listener counts these bytes too: the rows they overlap subtract them
			return &countingConn{Conn: c, in: &wire.in, out: &wire.out}, nil
		}}}
	defer client.CloseIdleConnections()
	lists, pages, bytes := 0, 0, int64(0)
	start := time.Now()
	for time.Since(start) < time.Second {
		next := s.url + "/v2-beta/services?stackId=" + id + "&removed_null=1&" + listMarker
		for next != "" {
			n, more, err := getPage(client, s, next)
			pages++
			if err != nil {
				return fmt.Sprintf("n/a (%v)", err), pages, wire
			}
			bytes += n
			next = more
		}
		lists++
	}
	el := time.Since(start)
	return fmt.Sprintf("%.1f times a second (%d KB a list; target ≥ 50)", float64(lists)/el.Seconds(), bytes/int64(max(lists, 1))/1024), pages, wire
}

// listWire is what a list-rate measurement received (in) and sent (out) on the wire, headers included.
type listWire struct{ in, out atomic.Int64 }

func getPage(client *http.Client, s *scaleSim, url string) (int64, string, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return 0, "", err
	}
	req.SetBasicAuth(s.sim.AccessKey(), s.sim.SecretKey())
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", err
	}
	// only the pagination is decoded (it follows "data": keys are sorted), so the figure is the server's
	var pagination struct {
		Next string `json:"next"`
	}
	if at := bytes.LastIndex(body, []byte(`"pagination":`)); at >= 0 {
		_ = json.NewDecoder(bytes.NewReader(body[at+len(`"pagination":`):])).Decode(&pagination)
	}
	return int64(len(body)), pagination.Next, nil
}

// printScaleRows prints the table.
func printScaleRows(rows []scaleRow) {
	fmt.Println("| N | client | scenario | wall | minimum | wall/min | requests | req/svc (orig) | writes | bytes in | bytes/svc (orig) | peak RSS | client CPU | sim CPU | sim served/s | sim p99 | host steal |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rows {
		n := float64(r.n)
		fmt.Printf("| %d | %s | %s | %v | %v | %s | %d | %.2f (%s) | %d | %s | %s (%s) | %.1f MB | %v | %v | %.0f | %v | %s |\n",
			r.n, r.client, r.scenario, ms(r.wall), ms(r.minimum), wallPerMin(r), r.requests, float64(r.requests)/n, orNA(r.origReqs, "%.1f"),
			r.writes, kb(r.bytesIn), kb(int64(float64(r.bytesIn)/n)), orNA(r.origBytes/1024, "%.1f KB"), float64(r.peakRSS)/(1<<20), ms(r.clientCPU),
			ms(r.simCPU), r.simServedPerSec, r.simP99.Round(10*time.Microsecond), percent(r.steal))
	}
}

func kb(b int64) string {
	if b >= 10<<20 {
		return fmt.Sprintf("%.1f MB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%.1f KB", float64(b)/1024)
}

func orNA(v float64, format string) string {
	if v == 0 {
		return "n/a"
	}
	return fmt.Sprintf(format, v)
}
