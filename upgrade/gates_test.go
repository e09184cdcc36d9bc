package upgrade

import (
	"reflect"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

func TestGatesOf(t *testing.T) {
	web := &compose.Service{Name: "web", Compose: compose.ServiceConfig{DependsOn: []string{"db", "side", "app", "web"},
		DependsOnConditions: map[string]string{"db": compose.ConditionHealthy, "side": compose.ConditionStarted, "app": compose.ConditionCompleted}}}
	p := &compose.Project{Services: []*compose.Service{web, {Name: "db"}, {Name: "app"}, {Name: "side", SidekickOf: "app"}}}
	want := []Gate{{Service: "app", Condition: compose.ConditionCompleted}, {Service: "db", Condition: compose.ConditionHealthy}}
	if got := p.Gates(web); !reflect.DeepEqual(got, want) {
		t.Errorf("gates %+v, want %+v (a sidekick stands for its primary, the stricter condition wins, no self gate)", got, want)
	}
	if got := dependencies(p, web); !reflect.DeepEqual(got, []string{"app", "db"}) {
		t.Errorf("dependencies %v: gates are part of the one DAG", got)
	}
}

func TestWaves(t *testing.T) {
	plan := &Plan{Services: []*ServicePlan{
		{Name: "db"}, {Name: "cache"}, {Name: "migrate", DependsOn: []string{"db"}},
		{Name: "web", DependsOn: []string{"migrate", "cache"}}, {Name: "lb", DependsOn: []string{"web"}}, {Name: "side", DependsOn: []string{"db"}},
	}}
	want := [][]string{{"cache", "db"}, {"migrate", "side"}, {"web"}, {"lb"}}
	if got := Waves(plan); !reflect.DeepEqual(got, want) {
		t.Errorf("waves %v, want %v", got, want)
	}
}

func TestWavesOfBreaksCyclesAndIgnoresUnknownNames(t *testing.T) {
	got := compose.Waves([]string{"a", "b", "c", "d"}, map[string][]string{"a": {"b"}, "b": {"a"}, "c": {"a", "zzz"}, "d": {"d"}})
	if len(got) == 0 || len(got) > 3 {
		t.Fatalf("waves %v", got)
	}
	total := 0
	for _, w := range got {
		total += len(w)
	}
	if total != 4 {
		t.Errorf("every service in exactly one wave: %v", got)
	}
	if !reflect.DeepEqual(compose.Waves([]string{"x", "y"}, map[string][]string{"y": {"x"}}), [][]string{{"x"}, {"y"}}) {
		t.Errorf("simple chain")
	}
}
