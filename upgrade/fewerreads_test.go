package upgrade

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// keepingAPI is a fakeAPI that also keeps the last copy of each service (LastSeen) and lists a stack in one
// call (StackLister), counting the executor's reads by id and its lists.
type keepingAPI struct {
	*fakeAPI
	mu          sync.Mutex
	gets, lists int
}

func (k *keepingAPI) GetService(ctx context.Context, id string) (*Service, error) {
	k.mu.Lock()
	k.gets++
	k.mu.Unlock()
	return k.fakeAPI.GetService(ctx, id)
}

func (k *keepingAPI) LastSeen(id string) *Service {
	s, _ := k.fakeAPI.GetService(context.Background(), id)
	return s
}

func (k *keepingAPI) ListServices(_ context.Context, _ string) ([]*Service, error) {
	k.mu.Lock()
	k.lists++
	k.mu.Unlock()
	k.fakeAPI.mu.Lock()
	defer k.fakeAPI.mu.Unlock()
	var out []*Service
	for _, s := range k.fakeAPI.services {
		c := *s
		out = append(out, &c)
	}
	return out, nil
}

func TestExecuteReadsNoServiceByIDWhenTheAPIKeepsAndListsThem(t *testing.T) {
	db, web := desired("db", "postgres:10"), desired("web", "nginx:1")
	web.Links, web.DependsOn = []Link{{Target: "db"}}, []string{"db"}
	k := &keepingAPI{fakeAPI: newFakeAPI()}
	plan := Reconcile([]*Desired{db, web}, observedOf(), Options{})
	res, err := Execute(context.Background(), plan, k, progress.Emitter{Sink: &progress.Recorder{}},
		WithHealth(&fakeHealth{api: k.fakeAPI}), WithCleanupTimeout(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if k.gets != 0 || k.lists != 0 {
		t.Errorf("reads by id %d, lists %d: want none (activate and the result use the settled copies)", k.gets, k.lists)
	}
	for _, name := range []string{"db", "web"} {
		if r := res.Service(name); r == nil || r.State != stateActive {
			t.Errorf("%s result: %+v, want state active from the list", name, r)
		}
	}
	if got := k.callsOf("web"); got != "create setservicelinks activate" {
		t.Errorf("web calls = %q", got)
	}
}

func TestExecuteReadsTheFinalStateOfFailedServicesWithOneList(t *testing.T) {
	db, web, cache := desired("db", "postgres:10"), desired("web", "nginx:1"), desired("cache", "redis:4")
	k := &keepingAPI{fakeAPI: newFakeAPI()}
	k.fail["web activate"], k.fail["cache activate"] = errBoom, errBoom
	plan := Reconcile([]*Desired{db, web, cache}, observedOf(), Options{})
	res, err := Execute(context.Background(), plan, k, progress.Emitter{Sink: &progress.Recorder{}},
		WithHealth(&fakeHealth{api: k.fakeAPI}), WithCleanupTimeout(time.Second))
	if err == nil {
		t.Fatal("want the failures reported")
	}
	if k.gets != 0 || k.lists != 1 {
		t.Errorf("reads by id %d, lists %d: want one list for the two failed services", k.gets, k.lists)
	}
	for name, want := range map[string]string{"db": stateActive, "web": stateInactive, "cache": stateInactive} {
		if r := res.Service(name); r == nil || r.State != want {
			t.Errorf("%s result: %+v, want state %s", name, r, want)
		}
	}
}

func TestExecuteLinksAfterTheTargetsCreateAndActivatesAfterTheDependency(t *testing.T) {
	db, web := desired("db", "postgres:10"), desired("web", "nginx:1")
	web.Links, web.DependsOn = []Link{{Target: "db"}}, []string{"db"}
	r := execute(t, context.Background(), []*Desired{db, web}, nil, Options{}, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	idx := func(c string) int { return r.api.indexOf(c) }
	if !(idx("db create") < idx("web setservicelinks") && idx("web setservicelinks") < idx("web activate") &&
		idx("db activate") < idx("web activate") && idx("web create") < idx("web setservicelinks")) {
		t.Errorf("calls %v: want web linked after both creates, and activated after its links and after db", r.api.calls)
	}
}

func TestExecuteLinksSkipATargetWhoseCreateFailed(t *testing.T) {
	db, web := desired("db", "postgres:10"), desired("web", "nginx:1")
	web.Links, web.DependsOn = []Link{{Target: "db"}}, []string{"db"}
	api := newFakeAPI()
	api.fail["db create"] = errBoom
	events := &progress.Recorder{}
	plan := Reconcile([]*Desired{db, web}, observedOf(), Options{})
	_, err := Execute(context.Background(), plan, api, progress.Emitter{Sink: events},
		WithHealth(&fakeHealth{api: api}), WithCleanupTimeout(time.Second))
	if err == nil {
		t.Fatal("want db's failure reported")
	}
	if got := api.callsOf("web"); got != "create setservicelinks activate" {
		t.Errorf("web calls = %q (web is still deployed, without the link)", got)
	}
	if !hasEvent(events, "web", "Failed to find service db to link to") {
		t.Errorf("no warning about the missing link target: %v", events.Events())
	}
}

var errBoom = errors.New("boom")

func hasEvent(r *progress.Recorder, resource, text string) bool {
	for _, e := range r.Events() {
		if e.Resource == resource && strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

func TestExecuteLinksANewServiceToAnExistingServiceThatIsNotSelected(t *testing.T) {
	db, web := desired("db", "postgres:10"), desired("web", "nginx:1")
	web.Links, web.DependsOn = []Link{{Target: "db", Alias: "database"}}, []string{"db"}
	existing := live(db, "active")
	r := execute(t, context.Background(), []*Desired{db, web}, []*Service{existing}, Options{Services: []string{"web"}}, nil)
	if r.err != nil {
		t.Fatal(r.err)
	}
	body, _ := json.Marshal(r.api.bodies["web setservicelinks"])
	if string(body) != `{"serviceLinks":[{"name":"database","serviceId":"`+existing.ID+`"}]}` {
		t.Errorf("links body = %s, want the existing db linked", body)
	}
}
