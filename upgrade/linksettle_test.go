package upgrade

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// expectingAPI is a fakeAPI whose creates answer while still registering (the service has ended by the
// time anything else reads it) and that expects every create to have ended by now (SettleExpecter).
type expectingAPI struct {
	*fakeAPI
	linksAnswer string // Transitioning shown by the answer of setservicelinks ("": the service as it is)
}

func (e *expectingAPI) CreateService(ctx context.Context, kind string, body map[string]any) (*Service, error) {
	s, err := e.fakeAPI.CreateService(ctx, kind, body)
	if s != nil {
		s.State, s.Transitioning = stateRegistering, "yes"
	}
	return s, err
}

func (e *expectingAPI) ServiceAction(ctx context.Context, id, action string, body any) (*Service, error) {
	s, err := e.fakeAPI.ServiceAction(ctx, id, action, body)
	if s != nil && action == actionSetServiceLinks && e.linksAnswer != "" {
		s.State, s.Transitioning = stateRegistering, e.linksAnswer
	}
	return s, err
}

func (e *expectingAPI) ExpectedSettle(string) (time.Time, bool) { return time.Now(), true }

// settleCounter counts the settle waits per service, and fails those of the names in fail.
type settleCounter struct {
	*fakeHealth
	mu      sync.Mutex
	settles map[string]int
	fail    map[string]bool
}

func (c *settleCounter) Settle(ctx context.Context, id string) (*healthcheck.Service, error) {
	name := c.name(id)
	c.mu.Lock()
	c.settles[name]++
	c.mu.Unlock()
	if c.fail[name] {
		return nil, &healthcheck.FailedError{Service: name, Reason: "create failed"}
	}
	return c.fakeHealth.Settle(ctx, id)
}

func runExpecting(t *testing.T, api *expectingAPI, fail map[string]bool) (*Result, error, *settleCounter) {
	t.Helper()
	db, web := desired("db", "postgres:10"), desired("web", "nginx:1")
	web.Links, web.DependsOn = []Link{{Target: "db"}}, []string{"db"}
	h := &settleCounter{fakeHealth: &fakeHealth{api: api.fakeAPI}, settles: map[string]int{}, fail: fail}
	plan := Reconcile([]*Desired{db, web}, observedOf(), Options{})
	res, err := Execute(context.Background(), plan, api, progress.Emitter{Sink: &progress.Recorder{}},
		WithHealth(h), WithCleanupTimeout(time.Second))
	return res, err, h
}

func TestExecuteLetsTheLinksAnswerTellThatACreateEnded(t *testing.T) {
	api := &expectingAPI{fakeAPI: newFakeAPI()}
	res, err, h := runExpecting(t, api, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := api.callsOf("web"); got != "create setservicelinks activate" {
		t.Errorf("web calls = %q", got)
	}
	// web: its activation only; db (no links): its create and its activation
	if h.settles["web"] != 1 || h.settles["db"] != 2 {
		t.Errorf("settle waits %v: want web's create answered by its links (1: the activation), db's waited (2)", h.settles)
	}
	if r := res.Service("web"); r == nil || !slices.Equal(r.Done, []StepKind{StepCreate, StepSetLinks, StepActivate}) {
		t.Errorf("web result %+v: want create, links and activate done", r)
	}
}

func TestExecuteWaitsForACreateTheLinksAnswerShowsMoving(t *testing.T) {
	api := &expectingAPI{fakeAPI: newFakeAPI(), linksAnswer: "yes"}
	_, err, h := runExpecting(t, api, nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.settles["web"] != 2 {
		t.Errorf("web settle waits %d: want the create's (its links' answer showed it registering) and the activation's", h.settles["web"])
	}
}

func TestExecuteReportsACreateThatFailedAfterItsLinksAsStarted(t *testing.T) {
	api := &expectingAPI{fakeAPI: newFakeAPI(), linksAnswer: "error"}
	res, err, _ := runExpecting(t, api, map[string]bool{"web": true})
	var failed *healthcheck.FailedError
	if !errors.As(err, &failed) {
		t.Fatalf("err = %v, want web's create failure", err)
	}
	r := res.Service("web")
	if r == nil || slices.Contains(r.Done, StepCreate) || !slices.Contains(r.Started, StepCreate) {
		t.Fatalf("web result %+v: want the create started, not done", r)
	}
	if got := api.callsOf("web"); got != "create setservicelinks" {
		t.Errorf("web calls = %q: want no activation", got)
	}
}
