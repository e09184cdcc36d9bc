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
