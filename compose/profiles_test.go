package compose

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

const profilesFile = `version: "3.8"
services:
  web:
    image: nginx
    depends_on:
      db:
        condition: service_healthy
      cache:
        condition: service_started
  db: {image: postgres}
  cache: {image: redis}
  debug:
    image: busybox
    profiles: [debug]
    links: [db]
  migrate:
    image: migrate
    profiles: [tools, ops]
    depends_on: [seed]
  seed:
    image: seed
    profiles: [seeding]
`

func TestApplyProfiles(t *testing.T) {
	cases := []struct {
		name          string
		active, named []string
		want          []string
	}{
		{"no profile: services without profiles only", nil, nil, []string{"cache", "db", "web"}},
		{"one profile", []string{"debug"}, nil, []string{"cache", "db", "debug", "web"}},
		{"star enables all", []string{"*"}, nil, []string{"cache", "db", "debug", "migrate", "seed", "web"}},
		{"named service enabled with its dependencies", nil, []string{"migrate"}, []string{"cache", "db", "migrate", "seed", "web"}},
		{"unknown profile enables nothing more", []string{"nope"}, nil, []string{"cache", "db", "web"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := mustLoad(t, map[string]string{"docker-compose.yml": profilesFile}, Options{})
			if err := p.ApplyProfiles(c.active, c.named); err != nil {
				t.Fatal(err)
			}
			if got := p.ServiceNames(); !reflect.DeepEqual(got, c.want) {
				t.Errorf("services %v, want %v", got, c.want)
			}
			if len(p.Disabled)+len(p.Services) != 6 {
				t.Errorf("disabled %v do not complete %v", p.Disabled, p.ServiceNames())
			}
		})
	}
}

func TestApplyProfilesRefusesAnEnabledServiceNeedingADisabledOne(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": profilesFile}, Options{})
	err := p.ApplyProfiles([]string{"ops"}, nil)
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.ExitCode() != 2 {
		t.Fatalf("want a ConfigError (exit 2), got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"docker-compose.yml:16", `service "migrate" needs service "seed"`, "seeding"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not contain %q", msg, want)
		}
	}
}

func TestSidekicksFollowTheirPrimaryProfile(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `version: "2"
services:
  app:
    image: app
    profiles: [extra]
    labels: {io.rancher.sidekicks: side}
  side: {image: side}
  base: {image: base}
`}, Options{})
	if err := p.ApplyProfiles(nil, nil); err != nil {
		t.Fatal(err)
	}
	if got := p.ServiceNames(); !reflect.DeepEqual(got, []string{"base"}) {
		t.Errorf("without the profile: %v, want [base]", got)
	}
	p = mustLoad(t, map[string]string{"docker-compose.yml": `version: "2"
services:
  app:
    image: app
    profiles: [extra]
    labels: {io.rancher.sidekicks: side}
  side: {image: side}
`}, Options{})
	if err := p.ApplyProfiles(nil, []string{"side"}); err != nil {
		t.Fatal(err)
	}
	if got := p.ServiceNames(); !reflect.DeepEqual(got, []string{"app", "side"}) {
		t.Errorf("naming the sidekick: %v, want [app side]", got)
	}
}

func TestDependsOnConditionsDecoded(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": profilesFile}, Options{})
	web := p.Service("web")
	if web.Condition("db") != ConditionHealthy || web.Condition("cache") != ConditionStarted {
		t.Errorf("conditions %v", web.Compose.DependsOnConditions)
	}
	if p.Service("migrate").Condition("seed") != ConditionStarted {
		t.Errorf("the list form is service_started")
	}
	ce := mustFail(t, map[string]string{"docker-compose.yml": `version: "2.1"
services:
  a:
    image: a
    depends_on:
      b: {condition: service_ready}
  b: {image: b}
`}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:6", "services.a.depends_on.b.condition", `unknown depends_on condition "service_ready"`)
}

func TestProfilesFrom(t *testing.T) {
	got := ProfilesFrom([]string{"a,b", " c ", ""})
	if !reflect.DeepEqual(got, []string{"a", "b", "c"}) {
		t.Errorf("got %v", got)
	}
}

func TestOptionalDependencyOfADisabledProfileIsSkipped(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `version: "3.8"
services:
  web:
    image: web
    depends_on:
      tracing: {condition: service_started, required: false}
  tracing:
    image: jaeger
    profiles: [observability]
`}, Options{})
	if err := p.ApplyProfiles(nil, nil); err != nil {
		t.Fatalf("an optional dependency on a disabled service must be skipped: %v", err)
	}
	if got := p.ServiceNames(); !reflect.DeepEqual(got, []string{"web"}) {
		t.Errorf("services %v", got)
	}
	if gates := p.Gates(p.Service("web")); len(gates) != 0 {
		t.Errorf("no gate on a disabled service: %v", gates)
	}
}
