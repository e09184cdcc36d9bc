package rancherengine

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// heldTransform holds back the transform of one service until some service has been created, then answers
// it from the simulator or, with fail, with a 422; it logs every request ("POST transform slow", "POST
// services", "POST activate") in the order the client sent them.
type heldTransform struct {
	next    http.RoundTripper
	service string
	fail    bool

	once    sync.Once
	created chan struct{}
	mu      sync.Mutex
	log     []string
}

func (h *heldTransform) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	held := strings.HasSuffix(req.URL.Path, "/scripts/transform") && bytes.Contains(body, []byte(`"Name":"/`+h.service+`"`))
	if held {
		select {
		case <-h.created:
		case <-time.After(10 * time.Second): // a build that waits for every transform before any create
		}
		h.record("answered transform " + h.service)
		if h.fail {
			return &http.Response{StatusCode: http.StatusUnprocessableEntity, Header: http.Header{"Content-Type": {"application/json"}},
				Body:    io.NopCloser(strings.NewReader(`{"type":"error","status":422,"code":"InvalidOption","message":"no such option"}`)),
				Request: req}, nil
		}
	}
	resp, err := h.next.RoundTrip(req)
	if err == nil && req.Method == http.MethodPost && strings.HasSuffix(req.URL.Path, "/services") {
		h.record("created")
		h.once.Do(func() { close(h.created) })
	}
	if err == nil && req.URL.Query().Get("action") == "activate" {
		h.record("activated")
	}
	return resp, err
}

func (h *heldTransform) record(what string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.log = append(h.log, what)
}

// deployHeld deploys a new stack of db, web (linked to db) and slow through h.
func deployHeld(t *testing.T, h *heldTransform) error {
	t.Helper()
	yml := "version: '2'\nservices:\n  web:\n    image: nginx:1\n    links: [db]\n  db:\n    image: postgres:9\n  slow:\n    image: busybox:1\n"
	return deployNewStack(t, h, "newborn-test", yml, []string{"db", "slow", "web"})
}

// The services of a stack this run creates are created as they are built: the first create goes out while
// another service's transform is still unanswered, but no service is activated before every build returned.
func TestANewStacksServicesAreCreatedWhileOthersAreStillBuilt(t *testing.T) {
	h := &heldTransform{next: http.DefaultTransport, service: "slow", created: make(chan struct{})}
	if err := deployHeld(t, h); err != nil {
		t.Fatal(err)
	}
	firstCreate, answered, firstActivate := slices.Index(h.log, "created"), slices.Index(h.log, "answered transform slow"), slices.Index(h.log, "activated")
	if firstCreate < 0 || answered < 0 || firstActivate < 0 {
		t.Fatalf("log %v: want creates, slow's transform and activations", h.log)
	}
	if firstCreate > answered {
		t.Errorf("log %v: the first create waited for slow's transform (every build)", h.log)
	}
	if firstActivate < answered {
		t.Errorf("log %v: a service was activated before slow's build returned", h.log)
	}
}

// When a build fails after some services of a new stack were created, the deploy fails with the build's
// error and starts nothing: the created services stay inactive.
func TestANewStackWhoseBuildFailsStartsNothing(t *testing.T) {
	h := &heldTransform{next: http.DefaultTransport, service: "slow", fail: true, created: make(chan struct{})}
	err := deployHeld(t, h)
	var apiErr *rancher.APIError
	if err == nil || !strings.Contains(err.Error(), "slow") || !errors.As(err, &apiErr) || apiErr.Status != http.StatusUnprocessableEntity {
		t.Fatalf("err = %v, want the 422 of slow's build", err)
	}
	if slices.Index(h.log, "created") < 0 {
		t.Fatalf("log %v: no service was created before slow's build failed", h.log)
	}
	if i := slices.Index(h.log, "activated"); i >= 0 {
		t.Errorf("log %v: a service was activated although a build failed", h.log)
	}
}

// A new stack's plan made from the compose files alone (upgrade.ShapeOf) is the plan of the built services,
// bodies aside, for every kind of service deployNewborn takes: sidekicks, links with aliases, external
// links, health gates, scale, upgrade strategies, DNS and external services.
func TestANewStacksPlanFromShapesIsThePlanOfTheBuiltServices(t *testing.T) {
	_, c := startSim(t, sim.Options{StepSet: true})
	p, _ := loadProject(t, `version: '2.1'
services:
  db:
    image: postgres:9
    healthcheck: {test: ["CMD", "true"], interval: 2s}
  cache:
    image: redis:3
    labels: {io.rancher.sidekicks: cache-exporter}
  cache-exporter:
    image: busybox:1
  web:
    image: nginx:1
    links: ["db:database", cache]
    external_links: [monitoring/statsd]
    depends_on: {db: {condition: service_healthy}}
  dns:
    image: rancher/dns-service
    links: [web]
`)
	names := []string{"cache", "db", "dns", "web"}
	if !plannable(p, names) {
		t.Fatal("the project is not plannable from its shapes")
	}
	sess := &Session{Client: c, API: upgrade.NewRancherAPI(c), Now: time.Now}
	built, err := buildServices(context.Background(), sess, p, "1st1", newResolver(sess, p, nil), newTransformCache(c, nil), names, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, opts := range []upgrade.Options{{}, {CreateOnly: true}, {WaitHealthy: true, Pull: true}} {
		obs := &upgrade.Observed{Stack: "demo", StackID: "1st1", External: map[string]string{"monitoring/statsd": "1s9"}}
		fromShapes, err := upgrade.Reconcile(shapesOf(p, names), obs, opts).JSON()
		if err != nil {
			t.Fatal(err)
		}
		fromBuilds, err := upgrade.Reconcile(built.desired, obs, opts).JSON()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(fromShapes, fromBuilds) {
			t.Errorf("options %+v: the plan from shapes\n%s\nis not the plan of the built services\n%s", opts, fromShapes, fromBuilds)
		}
	}
}
