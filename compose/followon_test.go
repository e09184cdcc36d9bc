package compose

import (
	"strings"
	"testing"
)

// requireOnly checks that the problems contain want and nothing matching any of the follow-on texts.
func requireNoFollowOn(t *testing.T, ce *ConfigError, want []string, followOn ...string) {
	t.Helper()
	requireDiag(t, ce.Problems, want...)
	for _, f := range followOn {
		if d, ok := findDiag(ce.Problems, f); ok {
			t.Errorf("follow-on error reported: %v\nall: %v", d, ce)
		}
	}
}

func TestBrokenExtendsDoesNotAlsoReportNoImage(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"web:\n  extends:\n    service: missing\n", "cannot extend service"},
		{"web:\n  extends:\n    file: nothere.yml\n    service: base\n", "nothere.yml"},
		{"web:\n  extends:\n    service: web\n", "extends cycle"},
		{"web:\n  extends: {file: x.yml}\n", "extends needs a service name"},
		{"base:\n  image: x\n  links: [db]\ndb:\n  image: y\nweb:\n  extends:\n    service: base\n", "cannot be extended"},
	} {
		ce := mustFail(t, map[string]string{"docker-compose.yml": c.yaml}, Options{})
		requireNoFollowOn(t, ce, []string{"web.extends", c.want}, "neither an image nor a build")
	}
}

func TestWrongTypeImageDoesNotAlsoReportNoImage(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "web:\n  image: [nginx]\n"}, Options{})
	requireNoFollowOn(t, ce, []string{"docker-compose.yml:2:10", "web.image", "expected a string, got a list"}, "neither an image nor a build")
	ce = mustFail(t, map[string]string{"docker-compose.yml": "web:\n  build: [x]\n"}, Options{})
	requireNoFollowOn(t, ce, []string{"web.build", "expected"}, "neither an image nor a build")
}

func TestInterpolationErrorIsNotFollowedByATypeError(t *testing.T) {
	ce := mustFail(t, map[string]string{
		"docker-compose.yml":  "web:\n  image: nginx\n  mem_limit: ${MEM\n  ports: [\"${P\"]\n  cpu_shares: ${C\n",
		"rancher-compose.yml": "web:\n  scale: ${SCALE\n  health_check:\n    port: ${PORT\n",
	}, Options{})
	requireNoFollowOn(t, ce, []string{"rancher-compose.yml:2:", "web.scale", "invalid interpolation"}, "expected an integer", "invalid size", "invalid port")
	for _, path := range []string{"web.mem_limit", "web.ports[0]", "web.cpu_shares", "web.health_check.port"} {
		requireDiag(t, ce.Problems, path, "invalid interpolation")
	}
	if len(ce.Problems) != 5 {
		t.Errorf("%d problems, want 5:\n%v", len(ce.Problems), ce)
	}
}

func TestAliasBombCapDoesNotReportLaterServices(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
		"g:\n  image: x\n  labels: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\nh:\n  image: y\n"
	ce := mustFail(t, map[string]string{"docker-compose.yml": bomb}, Options{})
	requireDiag(t, ce.Problems, "expands to more than")
	if len(ce.Problems) != 1 {
		t.Errorf("want only the cap error, got:\n%s", strings.Join(strings.Split(ce.Error(), "\n"), "\n"))
	}
}
