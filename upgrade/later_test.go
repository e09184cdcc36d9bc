package upgrade

import (
	"context"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

func TestConfirmWithoutFilesDefaultsToEveryUpgradedService(t *testing.T) {
	a, b, c := desired("a", "x:1"), desired("b", "x:1"), desired("c", "x:1")
	obs := observedOf(live(a, "upgraded"), live(b, "active"), live(c, "upgraded"))
	p, err := PlanConfirm(obs, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Services) != 2 || kinds(p.Service("a")) != "confirm" || kinds(p.Service("c")) != "confirm" {
		t.Errorf("plan:\n%s", p)
	}
	p, _ = PlanConfirm(obs, []string{"b"}, Options{})
	if kinds(p.Service("b")) != "" || !strings.Contains(p.String(), "nothing to confirm") {
		t.Errorf("plan:\n%s", p)
	}
	if _, err := PlanConfirm(obs, []string{"zz"}, Options{}); err == nil || !strings.Contains(err.Error(), "no service zz in stack demo") {
		t.Errorf("err = %v", err)
	}
}

func TestRollbackWithoutFilesRunsAgainstTheLiveStack(t *testing.T) {
	a, b := desired("a", "x:1"), desired("b", "x:1")
	obs := observedOf(live(a, "upgraded"), live(b, "active"))
	p, err := PlanRollback(obs, nil, Options{})
	if err != nil || len(p.Services) != 1 || kinds(p.Service("a")) != "rollback" {
		t.Fatalf("plan %v err %v", p, err)
	}
	api := newFakeAPI(live(a, "upgraded"), live(b, "active"))
	if _, err := Execute(context.Background(), p, api, progress.Emitter{}, WithHealth(&fakeHealth{api: api})); err != nil {
		t.Fatal(err)
	}
	if api.callsOf("a") != "rollback" || api.callsOf("b") != "" {
		t.Errorf("calls = %v", api.calls)
	}
	p, _ = PlanRollback(obs, []string{"b"}, Options{})
	if kinds(p.Service("b")) != "fail" {
		t.Errorf("rollback of an active service: %q", kinds(p.Service("b")))
	}
}
