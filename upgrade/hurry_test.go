package upgrade

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

func TestLastDepsTellWhichServiceADependantWaitsOnAlone(t *testing.T) {
	services := []*ServicePlan{
		{Name: "x"}, {Name: "y"}, {Name: "z"},
		{Name: "web", DependsOn: []string{"x", "y"}},
		{Name: "worker", DependsOn: []string{"z"}},
	}
	d := newLastDeps(services)
	if !d.isHurried("z") || d.isHurried("x") || d.isHurried("y") {
		t.Fatalf("hurried %v at the start, want z alone (worker's only dependency)", d.hurried)
	}
	if got := d.done("x"); !slices.Equal(got, []string{"y"}) {
		t.Errorf("x done: hurried %v, want y (web now waits on it alone)", got)
	}
	if got := d.done("y"); len(got) != 0 {
		t.Errorf("y done: hurried %v, want none", got)
	}
}

// hurryingAPI records the services it is told a dependant waits on alone.
type hurryingAPI struct {
	*fakeAPI
	mu      sync.Mutex
	hurried []string
}

func (h *hurryingAPI) Hurry(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hurried = append(h.hurried, h.name(id))
}

func (h *hurryingAPI) name(id string) string {
	h.fakeAPI.mu.Lock()
	defer h.fakeAPI.mu.Unlock()
	return h.services[id].Name
}

// A new stack: web waits on db alone from the start (db is hurried once created, as its id is known
// then); gateway waits on web and cache, and on whichever is done last alone.
func TestExecuteHurriesTheServicesADependantWaitsOnAlone(t *testing.T) {
	db, cache, web, gateway := desired("db", "postgres:10"), desired("cache", "redis:7"), desired("web", "nginx:1"), desired("gateway", "nginx:1")
	web.Links, web.DependsOn = []Link{{Target: "db"}}, []string{"db"}
	gateway.Links, gateway.DependsOn = []Link{{Target: "web"}, {Target: "cache"}}, []string{"web", "cache"}
	api := &hurryingAPI{fakeAPI: newFakeAPI()}
	plan := Reconcile([]*Desired{db, cache, web, gateway}, observedOf(), Options{})
	_, err := Execute(context.Background(), plan, api, progress.Emitter{Sink: &progress.Recorder{}},
		WithHealth(&fakeHealth{api: api.fakeAPI}), WithCleanupTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	got := slices.DeleteFunc(slices.Clone(api.hurried), func(n string) bool { return n == "db" })
	if len(api.hurried) != 2 || len(got) != 1 || (got[0] != "web" && got[0] != "cache") {
		t.Errorf("hurried %v, want db and the last done of web and cache", api.hurried)
	}
}

// hurriedWave is gatherWave's wave with every service hurried: each waited on alone by a consumer.
func hurriedWave(t *testing.T, n, active int, every time.Duration) (f *feed, p *stackPoll, now *time.Time, start time.Time) {
	t.Helper()
	f, p, now, start = gatherWave(t, n, active, every)
	for id := range p.waiting {
		f.hurry("1st1", id)
	}
	return f, p, now, start
}

// Ten hurried finishupgrades answered 1 ms apart end together: at the first one's expected end one landing
// answers the ten (none waits for another: they are all due within a fineTick), not ten reads by id.
func TestFeedLandsHurriedEndsDueTogether(t *testing.T) {
	const n, every = 10, time.Millisecond
	f, p, now, start := hurriedWave(t, n, 0, every)
	*now = start.Add(200*time.Millisecond - p.rtt)
	due, _ := p.due(*now)
	if len(due) == 0 {
		t.Fatal("nothing due at the first expected end")
	}
	if _, held, _ := f.gather(context.Background(), "1st1", p, *now, due); len(held) != 0 {
		t.Fatalf("gather held %d hurried services, want none", len(held))
	}
	rest := f.landHurried(context.Background(), "1st1", p, *now, due)
	if got := landed(p); len(rest) != 0 || len(got) != 1 || len(got[0]) != n {
		t.Errorf("%v left to read, landings %v; want one landing for the %d", rest, got, n)
	}
}

// Hurried ends further apart than a fineTick are not waited for: the landing holds those due by then.
func TestFeedLandsOnlyTheHurriedEndsDueNow(t *testing.T) {
	every := DefaultFeedPolicy.fineTick() / 4
	f, p, now, start := hurriedWave(t, 20, 0, every)
	*now = start.Add(200*time.Millisecond - p.rtt)
	due, _ := p.due(*now)
	f.landHurried(context.Background(), "1st1", p, *now, due)
	if got := landed(p); len(got) != 1 || len(got[0]) != 5 {
		t.Errorf("landings %v, want one for the 5 due within a fineTick (its end included)", got)
	}
}

// A landing of a state that already holds many services costs more than reading a few hurried ones by id.
func TestFeedReadsHurriedEndsByIDWhenALandingCostsMore(t *testing.T) {
	f, p, now, start := hurriedWave(t, 10, 400, time.Millisecond)
	*now = start.Add(200*time.Millisecond - p.rtt)
	due, _ := p.due(*now)
	if rest := f.landHurried(context.Background(), "1st1", p, *now, due); !slices.Equal(rest, due) || len(p.landings) != 0 {
		t.Errorf("%v left to read of %v, landings %v: want every due service read by id", rest, due, landed(p))
	}
}
