package compose

import (
	"strings"
	"testing"
)

func TestGateCycleThroughALinkRefused(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": `version: "2.1"
services:
  web:
    image: web
    depends_on:
      api: {condition: service_healthy}
  api:
    image: api
    links: [worker]
  worker:
    image: worker
    links: [web]
`}, Options{})
	d := requireDiag(t, ce.Problems, "docker-compose.yml:6:7", "services.web.depends_on[0]", "dependency cycle: web -> api -> worker -> web")
	if len(ce.Problems) != 1 {
		t.Errorf("the cycle is reported once, got %d problems: %v (%v)", len(ce.Problems), ce.Problems, d)
	}
}

func TestLinkCyclesStayAllowed(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `version: "2"
services:
  a: {image: a, links: [b]}
  b: {image: b, links: [a], depends_on: [c]}
  c: {image: c}
`}, Options{})
	for _, w := range p.Warnings {
		if strings.Contains(w.Message, "cycle") {
			t.Errorf("unexpected %v", w)
		}
	}
}
