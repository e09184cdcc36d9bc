package upgrade

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// gatherWave is a feed that has learned finishupgrades to take 200 ms and remembers active services
// in the active state, and n services whose finishupgrades were answered every `every` from start, each
// waited for.
func gatherWave(t *testing.T, n, active int, every time.Duration) (f *feed, p *stackPoll, now *time.Time, start time.Time) {
	t.Helper()
	f, p, t0, now := clockedFeed()
	finishing, done := svcState("1s0", "finishing-upgrade", "yes"), svcState("1s0", stateActive, "no")
	seeTransitions(f, p, now, time.Second, 200*time.Millisecond, &finishing, &done)
	if st := p.settle["finishing-upgrade/0"]; st == nil || !st.ok {
		t.Fatalf("learned %+v, want finishupgrades of 200 ms", st)
	}
	answer := make(chan struct{}) // landings stay in flight until the test ends
	t.Cleanup(func() { close(answer) })
	f.listIn = func(context.Context, string, string) ([]resources.Service, error) { <-answer; return nil, nil }
	f.inState = func(string, string) int { return active }
	start = t0.Add(10 * time.Second)
	for i := 1; i <= n; i++ {
		*now = start.Add(time.Duration(i-1) * every)
		s := svcState(fmt.Sprintf("1s%d", i), "finishing-upgrade", "yes")
		f.kick("1st1", &s)
		p.waiting[s.Id] = []*waiter{{done: make(chan struct{}), seq: p.seq}}
	}
	return f, p, now, start
}

// landed returns the services of the landings in flight.
func landed(p *stackPoll) [][]string {
	var out [][]string
	for _, l := range p.landings {
		var ids []string
		for id := range l.expect {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		out = append(out, ids)
	}
	return out
}

// Forty finishupgrades answered 5 ms apart, each expected to end 200 ms after its answer: the first ones
// due are held back while the others are expected to end, then one landing answers the forty.
func TestFeedGathersAWaveOfExpectedEndsIntoOneLanding(t *testing.T) {
	const n, every = 40, 5 * time.Millisecond
	f, p, now, start := gatherWave(t, n, 10, every)
	ctx := context.Background()
	*now = start.Add(200*time.Millisecond - p.rtt) // the first one's expected end
	due, _ := p.due(*now)
	if len(due) == 0 {
		t.Fatal("nothing due at the first expected end")
	}
	rest, held, wake := f.gather(ctx, "1st1", p, *now, due)
	if len(rest) != 0 || len(held) != n || len(p.landings) != 0 {
		t.Fatalf("at the first expected end: %v left to read, %d held, landings %v; want all %d held", rest, len(held), landed(p), n)
	}
	last := start.Add((n-1)*every + 200*time.Millisecond - p.rtt)
	if !wake.Equal(last) {
		t.Fatalf("woken %v after the start, want at the last expected end (%v)", wake.Sub(start), last.Sub(start))
	}
	*now = wake
	due, _ = p.due(*now)
	rest, _, _ = f.gather(ctx, "1st1", p, *now, due)
	if got := landed(p); len(rest) != 0 || len(got) != 1 || len(got[0]) != n {
		t.Errorf("at the last expected end: %v left to read, landings %v; want one landing for the %d", rest, got, n)
	}
}

// A wave spread over more than gatherMax: the services due then go in one landing, the later ones wait for
// their own.
func TestFeedHoldsAnEndBackAtMostGatherMax(t *testing.T) {
	const every = 5 * time.Millisecond
	n := 2 * int(gatherMax/every)
	f, p, now, start := gatherWave(t, n, 10, every)
	ctx := context.Background()
	first := start.Add(200*time.Millisecond - p.rtt)
	*now = first
	due, _ := p.due(*now)
	_, _, wake := f.gather(ctx, "1st1", p, *now, due)
	if !wake.Equal(first.Add(gatherMax)) {
		t.Fatalf("woken %v after the first expected end, want gatherMax (%v)", wake.Sub(first), gatherMax)
	}
	*now = wake
	due, _ = p.due(*now)
	rest, held, _ := f.gather(ctx, "1st1", p, *now, due)
	got := landed(p)
	if len(rest) != 0 || len(got) != 1 || len(got[0]) != int(gatherMax/every)+1 {
		t.Fatalf("after gatherMax: %v left to read, landings %v; want one landing for the %d due", rest, got, int(gatherMax/every)+1)
	}
	if len(held) != n-len(got[0]) {
		t.Errorf("%d held, want the %d pending", len(held), n-len(got[0]))
	}
}

// When the state they head for holds many services already, a landing costs more than reading the wave by
// id: nothing is held back.
func TestFeedGathersNoWaveALandingWouldCostMoreFor(t *testing.T) {
	const n, every = 40, 5 * time.Millisecond
	f, p, now, start := gatherWave(t, n, 400, every)
	*now = start.Add(200*time.Millisecond - p.rtt)
	due, _ := p.due(*now)
	rest, held, wake := f.gather(context.Background(), "1st1", p, *now, due)
	if !slices.Equal(rest, due) || len(held) != 0 || !wake.IsZero() || len(p.landings) != 0 {
		t.Errorf("rest %v of %v, %d held, wake %v, landings %v: want every due service left to read by id", rest, due, len(held), wake, landed(p))
	}
}
