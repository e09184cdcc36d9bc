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
