package sim

import (
	"strings"
	"testing"
	"time"
)

// statesSeen advances a manual clock in half-second steps for d and lists the distinct successive
// values of a field of r.
func statesSeen(t *testing.T, s *Server, c *client, r map[string]any, field string, d time.Duration) []string {
	t.Helper()
	var seen []string
	note := func() {
		v := strOf(c.reload(r)[field])
		if len(seen) == 0 || seen[len(seen)-1] != v {
			seen = append(seen, v)
		}
	}
	note()
	for elapsed := time.Duration(0); elapsed < d; elapsed += 500 * time.Millisecond {
		advance(t, s, 500*time.Millisecond)
		note()
	}
	return seen
}

func wantSeen(t *testing.T, what string, seen []string, want ...string) {
	t.Helper()
	if strings.Join(seen, " → ") != strings.Join(want, " → ") {
		t.Errorf("%s: %s, want %s", what, strings.Join(seen, " → "), strings.Join(want, " → "))
	}
}

func TestTransitionFinishUpgradePassesFinishingUpgrade(t *testing.T) {
	s, c, svc := upgradeFixture(t, Options{}, nil)
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"batchSize": 4,
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}}, 202)
	advance(t, s, time.Minute)
	if got := c.reload(svc)["state"]; got != "upgraded" {
		t.Fatalf("after upgrade: %v", got)
	}
	answer := c.action(c.reload(svc), "finishupgrade", nil, 202)
	if answer["state"] != "finishing-upgrade" || answer["transitioning"] != "yes" {
		t.Errorf("finishupgrade answer: %v transitioning %v", answer["state"], answer["transitioning"])
	}
	wantSeen(t, "finishupgrade", statesSeen(t, s, c, svc, "state", time.Minute), "finishing-upgrade", "active")
	for _, ci := range s.Containers(svc["id"].(string)) {
		if ci.Image != "docker:nginx:2" {
			t.Errorf("old container %s (%s) left after finishupgrade", ci.Name, ci.Image)
		}
	}
}

func TestTransitionCancelUpgradePassesCancelingToCanceledUpgrade(t *testing.T) {
	s, c, svc := upgradeFixture(t, Options{}, nil)
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"batchSize": 1, "intervalMillis": 60000,
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}}, 202)
	advance(t, s, 10*time.Second)
	answer := c.action(c.reload(svc), "cancelupgrade", nil, 202)
	if answer["state"] != "canceling-upgrade" {
		t.Errorf("cancelupgrade answer: %v", answer["state"])
	}
	wantSeen(t, "cancelupgrade", statesSeen(t, s, c, svc, "state", 10*time.Second), "canceling-upgrade", "canceled-upgrade")
	c.action(c.reload(svc), "rollback", nil, 202)
	wantSeen(t, "rollback from canceled-upgrade", statesSeen(t, s, c, svc, "state", time.Minute), "rolling-back", "active")
}

func TestTransitionPutScaleOnActivePassesUpdatingActive(t *testing.T) {
	s, c, svc := upgradeFixture(t, Options{}, nil)
	put := c.must(200, "PUT", strOf(asMap(svc["links"])["self"]), map[string]any{"scale": 6})
	if put["state"] != "updating-active" {
		t.Errorf("PUT answer state %v", put["state"])
	}
	wantSeen(t, "scale up", statesSeen(t, s, c, svc, "state", time.Minute), "updating-active", "active")
	if n := len(s.Containers(svc["id"].(string))); n != 6 {
		t.Errorf("%d containers after scaling to 6", n)
	}
}

func TestTransitionRestartPassesRestarting(t *testing.T) {
	s, c, svc := upgradeFixture(t, Options{}, nil)
	c.action(svc, "restart", map[string]any{"rollingRestartStrategy": map[string]any{"batchSize": 2, "intervalMillis": 1000}}, 202)
	wantSeen(t, "restart", statesSeen(t, s, c, svc, "state", time.Minute), "restarting", "active")
}

func TestTransitionOneUnhealthyContainerMakesTheServiceDegraded(t *testing.T) {
	hc := map[string]any{"port": 80, "interval": 2000, "healthyThreshold": 2, "unhealthyThreshold": 3, "strategy": "none"}
	s, c, svc := upgradeFixture(t, Options{}, hc)
	if got := c.reload(svc)["healthState"]; got != "healthy" {
		t.Fatalf("fixture health %v", got)
	}
	s.AddImageBehavior(ImageBehavior{Glob: "nginx:1", UnhealthyAfter: Duration(10 * time.Second)})
	c.must(200, "PUT", strOf(asMap(svc["links"])["self"]), map[string]any{"scale": 5})
	seen := statesSeen(t, s, c, svc, "healthState", 2*time.Minute)
	if seen[len(seen)-1] != "degraded" {
		t.Errorf("healthState went %s, want it to end degraded (4 healthy, 1 unhealthy)", strings.Join(seen, " → "))
	}
}

// Cattle saves the fields of a PUT before it schedules service.update (AbstractObjectResourceManager
// .updateInternal): in a state update cannot start from, the answer is 409 and the value stays.
func TestPutScaleInUpgradedAnswers409AndKeepsTheValueLikeCattle(t *testing.T) {
	s, c, svc := upgradeFixture(t, Options{}, nil)
	self := strOf(asMap(svc["links"])["self"])
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"batchSize": 4,
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}}, 202)
	advance(t, s, time.Minute)
	if r := c.do("PUT", self, map[string]any{"scale": 2}); r.status != 409 {
		t.Fatalf("PUT scale in upgraded: %d", r.status)
	}
	if got := toInt(c.get(self)["scale"]); got != 2 {
		t.Errorf("scale after the 409: %d, want 2 (saved before the process was refused)", got)
	}
	c.action(c.reload(svc), "rollback", nil, 202)
	advance(t, s, time.Minute)
	if got, n := c.get(self)["state"], len(s.Containers(svc["id"].(string))); got != "active" || n != 2 {
		t.Errorf("after rollback: %v with %d containers, want active with the saved scale 2", got, n)
	}
}

func TestPutScaleWhileActivatingRidesOnTheActivation(t *testing.T) {
	s, c := startSim(t, Options{Hosts: 4})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:nginx"})
	advance(t, s, 2*time.Second)
	c.action(c.reload(svc), "activate", nil, 202)
	self := strOf(asMap(svc["links"])["self"])
	put := c.must(200, "PUT", self, map[string]any{"scale": 3})
	if put["state"] != "activating" {
		t.Errorf("PUT while activating answered in state %v", put["state"])
	}
	advance(t, s, time.Minute)
	if got, n := c.get(self)["state"], len(s.Containers(svc["id"].(string))); got != "active" || n != 3 {
		t.Errorf("after activation: %v with %d containers, want active with 3", got, n)
	}
}

func TestPutScaleWhileRegisteringAnswers409AndKeepsTheValue(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:nginx"})
	self := strOf(asMap(svc["links"])["self"])
	if r := c.do("PUT", self, map[string]any{"scale": 4}); r.status != 409 {
		t.Errorf("PUT scale while registering: %d, want 409", r.status)
	}
	if got := toInt(c.get(self)["scale"]); got != 4 {
		t.Errorf("scale %d, want 4", got)
	}
}
