package rancherengine

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

func isConfigError(err error) bool {
	var ce *ConfigError
	return errors.As(err, &ce) && ce.ExitCode() == 2
}

func TestSelectPrimaries(t *testing.T) {
	p := &compose.Project{Services: []*compose.Service{
		{Name: "web", Sidekicks: []string{"log"}}, {Name: "log", SidekickOf: "web"}, {Name: "db"},
	}}
	if got, _ := SelectPrimaries(p, nil); !reflect.DeepEqual(got, []string{"web", "db"}) {
		t.Errorf("all: %v", got)
	}
	if got, _ := SelectPrimaries(p, []string{"log", "web"}); !reflect.DeepEqual(got, []string{"web"}) {
		t.Errorf("a sidekick selects its primary: %v", got)
	}
	_, err := SelectPrimaries(p, []string{"-d"})
	if !isConfigError(err) || !strings.Contains(err.Error(), "No such service: -d") {
		t.Errorf("unknown: %v", err)
	}
}
