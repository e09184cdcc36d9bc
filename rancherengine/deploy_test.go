package rancherengine

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

func TestServiceFailuresExitCodes(t *testing.T) {
	cases := []struct {
		err  *serviceFailures
		want int
	}{
		{&serviceFailures{failed: map[string]error{"web": errors.New("boom")}}, exitFailed},
		{&serviceFailures{failed: map[string]error{}, ctxErr: context.DeadlineExceeded}, exitTimeout},
		{&serviceFailures{failed: map[string]error{}, ctxErr: context.Canceled}, exitInterrupted},
	}
	for _, c := range cases {
		if got := c.err.ExitCode(); got != c.want {
			t.Errorf("%v: exit %d, want %d", c.err, got, c.want)
		}
	}
}

func TestMergeResults(t *testing.T) {
	a := &upgrade.Result{DurationMs: 10, Services: []*upgrade.ServiceResult{{Name: "web", Changed: true, DurationMs: 5, Done: []upgrade.StepKind{upgrade.StepCreate}}}}
	b := &upgrade.Result{Changed: true, DurationMs: 7, Services: []*upgrade.ServiceResult{{Name: "web", DurationMs: 2, Done: []upgrade.StepKind{upgrade.StepSetLinks}}, {Name: "lb", Changed: true}}}
	m := mergeResults(a, b)
	if m.DurationMs != 17 || !m.Changed || len(m.Services) != 2 || !m.Services[0].Changed || m.Services[0].DurationMs != 7 || len(m.Services[0].Done) != 2 {
		t.Errorf("merged %+v %+v", m, m.Services[0])
	}
}

func TestRestartBodyOmitsAZeroInterval(t *testing.T) {
	if got := restartBody(1, 0); !reflect.DeepEqual(got, map[string]any{"rollingRestartStrategy": map[string]any{"batchSize": 1}}) {
		t.Errorf("%v", got)
	}
	if got := restartBody(2, 500)["rollingRestartStrategy"].(map[string]any)["intervalMillis"]; got != 500 {
		t.Errorf("interval %v", got)
	}
}

func TestCreateAndStartShapes(t *testing.T) {
	steps := func(kinds ...upgrade.StepKind) []upgrade.Step {
		var out []upgrade.Step
		for _, k := range kinds {
			out = append(out, upgrade.Step{Kind: k})
		}
		return out
	}
	kinds := func(sp *upgrade.ServicePlan) []upgrade.StepKind {
		out := []upgrade.StepKind{}
		for _, s := range sp.Steps {
			out = append(out, s.Kind)
		}
		return out
	}
	active := &upgrade.ServicePlan{State: "active", Steps: steps(upgrade.StepSetLinks, upgrade.StepUpgrade, upgrade.StepActivate)}
	CreateOnly(active)
	if len(active.Steps) != 0 || active.Action != "unchanged" {
		t.Errorf("create relinks or upgrades an active service: %v", kinds(active))
	}
	missing := &upgrade.ServicePlan{State: "missing", Steps: steps(upgrade.StepCreate, upgrade.StepSetLinks, upgrade.StepActivate)}
	CreateOnly(missing)
	if got := kinds(missing); !reflect.DeepEqual(got, []upgrade.StepKind{upgrade.StepCreate, upgrade.StepSetLinks}) {
		t.Errorf("create of a missing service: %v", got)
	}
	inactive := &upgrade.ServicePlan{State: "inactive", Steps: steps(upgrade.StepUpgrade, upgrade.StepSetLinks, upgrade.StepActivate)}
	StartOnly(inactive)
	if got := kinds(inactive); !reflect.DeepEqual(got, []upgrade.StepKind{upgrade.StepSetLinks, upgrade.StepActivate}) {
		t.Errorf("start: %v", got)
	}
	gone := &upgrade.ServicePlan{State: "missing", Steps: steps(upgrade.StepCreate, upgrade.StepActivate)}
	StartOnly(gone)
	if len(gone.Steps) != 0 {
		t.Errorf("start creates: %v", kinds(gone))
	}
}
