package sim

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Tests named TestFault* cover the fault modes of rancher-api.md §7.3 and the per-image behaviours.

func TestFaultLatencyDelaysEveryAnswer(t *testing.T) {
	s, c := startSim(t, Options{Faults: Faults{Latency: Duration(60 * time.Millisecond)}})
	start := time.Now()
	c.get("/v2-beta")
	if took := time.Since(start); took < 60*time.Millisecond {
		t.Errorf("answer came after %s, latency is 60ms", took)
	}
	s.SetFaults(Faults{})
	if f := s.Faults(); f.Latency != 0 {
		t.Errorf("faults not cleared: %+v", f)
	}
}

func TestFault503BeforeAndAfterTheMutation(t *testing.T) {
	s, c := startSim(t, Options{Faults: Faults{ErrorRate: 1}})
	first := c.do("POST", "/v2-beta/stacks", map[string]any{"name": "one"})
	second := c.do("POST", "/v2-beta/stacks", map[string]any{"name": "two"})
	if first.status != 503 || second.status != 503 || first.body["code"] != "Service Unavailable" {
		t.Fatalf("want two 503s, got %d %d %s", first.status, second.status, first.raw)
	}
	if first.header.Get("X-API-Schemas") == "" {
		t.Errorf("503 without X-API-Schemas")
	}
	s.SetFaults(Faults{})
	var names []string
	for _, st := range s.Stacks() {
		names = append(names, st.Name)
	}
	if strings.Join(names, ",") != "two" {
		t.Errorf("the first 503 must come before the change and the second after it; stacks: %v", names)
	}
	if st := s.Stats(); st.InjectedErrors != 2 || st.Mutations != 2 || st.ByStatus["503"] != 2 {
		t.Errorf("stats %+v", st)
	}
	s.SetFaults(Faults{ErrorRate: 1})
	if r := c.do("GET", "/v2-beta/stacks", nil); r.status != 503 {
		t.Errorf("GET under errorRate 1: %d", r.status)
	}
}

func TestFaultErrorRateIsAFraction(t *testing.T) {
	s, c := startSim(t, Options{Seed: 7, Faults: Faults{ErrorRate: 0.3}})
	failed := 0
	for i := 0; i < 200; i++ {
		if c.do("GET", "/v2-beta/hosts", nil).status == 503 {
			failed++
		}
	}
	if failed < 30 || failed > 90 {
		t.Errorf("%d of 200 failed at rate 0.3", failed)
	}
	if s.Stats().InjectedErrors != failed {
		t.Errorf("injected %d, counted %d", s.Stats().InjectedErrors, failed)
	}
}

func TestFaultConflictBurst(t *testing.T) {
	s, c := startSim(t, Options{Faults: Faults{ConflictBurst: 2}})
	c.get("/v2-beta/stacks")
	for i := 0; i < 2; i++ {
		r := c.do("POST", "/v2-beta/stacks", map[string]any{"name": "app"})
		if r.status != 409 || r.body["code"] != "Conflict" || r.body["message"] != "Conflict" {
			t.Fatalf("burst %d: %d %s", i, r.status, r.raw)
		}
	}
	if len(s.Stacks()) != 0 {
		t.Errorf("a 409 must not apply the change")
	}
	c.must(201, "POST", "/v2-beta/stacks", map[string]any{"name": "app"})
	if s.Faults().ConflictBurst != 0 {
		t.Errorf("burst not used up")
	}
}

func TestFaultDroppedConnection(t *testing.T) {
	_, c := startSim(t, Options{Faults: Faults{DropRate: 1}})
	req, _ := http.NewRequest("GET", c.s.URL()+"/v2-beta", nil)
	req.SetBasicAuth(c.user, c.pass)
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("want a dropped connection, got %d", resp.StatusCode)
	}
}

func TestFaultStuckTransitionUntilSuperseded(t *testing.T) {
	s, c, svc := upgradeFixture(t, Options{}, nil)
	s.SetFaults(Faults{StuckStates: []string{"upgrading"}})
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"launchConfig": map[string]any{"imageUuid": "docker:nginx:2"}}}, 202)
	advance(t, s, time.Hour)
	svc = c.reload(svc)
	if svc["state"] != "upgrading" || svc["transitioning"] != "yes" {
		t.Fatalf("stuck: %v %v", svc["state"], svc["transitioning"])
	}
	s.SetFaults(Faults{})
	c.action(svc, "rollback", nil, 202)
	advance(t, s, time.Minute)
	if st := c.reload(svc)["state"]; st != "active" {
		t.Errorf("rollback out of a stuck upgrade: %v", st)
	}
}

func TestFaultImageNeverHealthyHoldsUpgrade(t *testing.T) {
	hc := map[string]any{"port": 80, "interval": 2000, "healthyThreshold": 2}
	s, c, svc := upgradeFixture(t, Options{Images: []ImageBehavior{{Glob: "nginx:bad", NeverHealthy: true}}}, hc)
	c.action(svc, "upgrade", map[string]any{"inServiceStrategy": map[string]any{"batchSize": 1,
		"launchConfig": map[string]any{"imageUuid": "docker:nginx:bad", "healthCheck": hc}}}, 202)
	advance(t, s, time.Hour)
	svc = c.reload(svc)
	if svc["state"] != "upgrading" || svc["transitioning"] != "yes" {
		t.Fatalf("upgrade to a never-healthy image: %v %v", svc["state"], svc["transitioning"])
	}
	stuck := 0
	for _, ci := range s.Containers(svc["id"].(string)) {
		if ci.Image == "docker:nginx:bad" {
			stuck++
			if ci.HealthState != "initializing" {
				t.Errorf("%s healthState %s", ci.Name, ci.HealthState)
			}
		}
	}
	if stuck != 1 || svc["healthState"] != "initializing" {
		t.Errorf("one batch of 1 should wait on its new container: %d new, service health %v", stuck, svc["healthState"])
	}
}

func TestFaultImageUnhealthyAfterIsRecreated(t *testing.T) {
	hc := map[string]any{"port": 80, "interval": 1000, "healthyThreshold": 2, "unhealthyThreshold": 3, "strategy": "recreate"}
	s, c := startSim(t, Options{Images: []ImageBehavior{{Glob: "flaky*", UnhealthyAfter: Duration(20 * time.Second)}}})
	st := c.createStack("app")
	svc := c.createService(st["id"].(string), "web", 1, map[string]any{"imageUuid": "docker:flaky", "healthCheck": hc})
	advance(t, s, 5*time.Second)
	c.action(c.reload(svc), "activate", nil, 202)
	advance(t, s, 10*time.Second)
	first := s.Containers(svc["id"].(string))[0]
	if first.HealthState != "healthy" {
		t.Fatalf("first container %s", first.HealthState)
	}
	advance(t, s, 30*time.Second)
	gone, _ := s.Container(first.ID)
	if gone.State != "removed" && gone.State != "removing" {
		t.Errorf("the unhealthy container should be replaced (strategy recreate), it is %s/%s", gone.State, gone.HealthState)
	}
	var unhealthySeen bool
	for _, h := range gone.History {
		unhealthySeen = unhealthySeen || h.State == "removing"
	}
	if !unhealthySeen {
		t.Errorf("history %v", gone.History)
	}
	if cs := s.Containers(svc["id"].(string)); len(cs) != 1 || cs[0].ID == first.ID {
		t.Errorf("replacement: %+v", cs)
	}
}

func TestFaultImageFailsToStart(t *testing.T) {
	s, c := startSim(t, Options{Images: []ImageBehavior{{Glob: "broken", FailStart: true}}})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:broken"}})
	if svc["state"] != "activating" || svc["transitioning"] != "error" || !strings.HasPrefix(strOf(svc["transitioningMessage"]), "Failed to allocate instance [container:1i") {
		t.Errorf("service: %v %v %v", svc["state"], svc["transitioning"], svc["transitioningMessage"])
	}
	errs := asList(c.get("/v2-beta/containers?state=error")["data"])
	if len(errs) == 0 || asMap(errs[0])["transitioning"] != "error" {
		t.Errorf("error containers %v", errs)
	}
}

func TestFaultImageExitCodeStartOnce(t *testing.T) {
	zero, one := 0, 1
	s, c := startSim(t, Options{Images: []ImageBehavior{{Glob: "migrate:ok", ExitCode: &zero}, {Glob: "migrate:bad", ExitCode: &one}}})
	st := c.createStack("app")
	for _, img := range []string{"ok", "bad"} {
		svc := activeService(t, s, c, map[string]any{"name": "m" + img, "stackId": st["id"], "launchConfig": map[string]any{
			"imageUuid": "docker:migrate:" + img, "labels": map[string]any{"io.rancher.container.start_once": "true"}}})
		cs := s.Containers(svc["id"].(string))
		want := map[string]int{"ok": 0, "bad": 1}[img]
		if svc["state"] != "active" || svc["healthState"] != "started-once" || len(cs) != 1 || cs[0].State != "stopped" ||
			!cs[0].Exited || cs[0].ExitCode != want || cs[0].StartCount != 1 {
			t.Errorf("%s: %v %v %+v", img, svc["state"], svc["healthState"], cs)
		}
	}
}

func TestFaultImageSlowPull(t *testing.T) {
	s, c := startSim(t, Options{Images: []ImageBehavior{{Glob: "huge:*", PullDelay: Duration(time.Minute)}}})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:huge:1"}})
	ci := s.Containers(svc["id"].(string))[0]
	if d := firstTime(ci, "starting").Sub(firstTime(ci, "creating")); d < time.Minute {
		t.Errorf("creating took %s of simulated time, pull delay is 1m", d)
	}
}

func TestControlAPI(t *testing.T) {
	s, c := startSim(t, Options{})
	c.createStack("app")
	c.get("/v2-beta/stacks")
	ctl := &client{t: t, s: s}
	stats := ctl.get("/_sim/stats")
	if toInt(stats["requests"]) != 2 || toInt(stats["mutations"]) != 1 || toInt(asMap(stats["byMethod"])["GET"]) != 1 {
		t.Errorf("stats %v", stats)
	}
	ctl.must(200, "PUT", "/_sim/faults", map[string]any{"latency": "1ms", "conflictBurst": 1, "stuckStates": []any{"upgrading"}})
	if f := s.Faults(); f.ConflictBurst != 1 || f.Latency.D() != time.Millisecond || f.StuckStates[0] != "upgrading" {
		t.Errorf("faults %+v", f)
	}
	if r := ctl.do("PUT", "/_sim/faults", map[string]any{"bogus": 1}); r.status != 400 {
		t.Errorf("unknown fault field: %d", r.status)
	}
	ctl.must(200, "PUT", "/_sim/images", []any{map[string]any{"glob": "x*", "neverHealthy": true}})
	ctl.must(200, "POST", "/_sim/images", map[string]any{"glob": "y*", "exitCode": 3, "pullDelay": 1500})
	imgs := s.ImageBehaviors()
	if len(imgs) != 2 || !imgs[0].NeverHealthy || *imgs[1].ExitCode != 3 || imgs[1].PullDelay.D() != 1500*time.Millisecond {
		t.Errorf("images %+v", imgs)
	}
	host := ctl.must(200, "POST", "/_sim/hosts", map[string]any{"labels": map[string]any{"role": "x"}})
	if host["id"] != "1h4" {
		t.Errorf("new host %v", host)
	}
	ctl.must(200, "POST", "/_sim/advance", map[string]any{"duration": "1m"})
	state := ctl.get("/_sim/state")
	if len(asList(state["Stacks"])) != 1 {
		t.Errorf("state %v", state)
	}
	ctl.must(200, "POST", "/_sim/reset", nil)
	if len(s.Stacks()) != 0 || s.Stats().Requests != 0 {
		t.Errorf("after reset: %v %+v", s.Stacks(), s.Stats())
	}
	if r := ctl.do("GET", "/_sim/nothing", nil); r.status != 404 {
		t.Errorf("unknown control endpoint: %d", r.status)
	}
	if s.Stats().Requests != 0 {
		t.Errorf("control requests must not be counted")
	}
}

func TestFaultContainerCrashAndHostLoss(t *testing.T) {
	s, c := startSim(t, Options{Hosts: 3})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "scale": 3, "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:nginx"}})
	agent := activeService(t, s, c, map[string]any{"name": "agent", "stackId": st["id"], "launchConfig": map[string]any{"imageUuid": "docker:agent",
		"labels": map[string]any{"io.rancher.scheduler.global": "true"}}})
	id := svc["id"].(string)
	victim := s.Containers(id)[0]
	ctl := &client{t: t, s: s}
	ctl.must(200, "POST", "/_sim/crash", map[string]any{"id": victim.ID, "exitCode": 137})
	if err := s.Settle(5 * time.Second); err != nil {
		t.Fatal(err)
	}
	ci, _ := s.Container(victim.ID)
	if h := ci.History; ci.ExitCode != 137 || h[len(h)-2].State != "stopped" || h[len(h)-1].State != "starting" {
		t.Fatalf("crashed container: exit %d history %v", ci.ExitCode, h)
	}
	if st := c.reload(svc)["state"]; st != "updating-active" {
		t.Errorf("service after a crash: %v, want updating-active while it reconciles", st)
	}
	settle(t, s)
	if ci, _ := s.Container(victim.ID); ci.State != "running" || ci.StartCount != 2 {
		t.Errorf("restarted container: %s startCount %d", ci.State, ci.StartCount)
	}
	host := s.Containers(id)[1].HostID
	c.must(200, "DELETE", "/v2-beta/hosts/"+host, nil)
	settle(t, s)
	cs := s.Containers(id)
	if len(cs) != 3 {
		t.Fatalf("after host loss: %d containers", len(cs))
	}
	for _, ci := range cs {
		if ci.HostID == host || ci.State != "running" {
			t.Errorf("%s on %s is %s", ci.Name, ci.HostID, ci.State)
		}
	}
	if n := len(s.Containers(agent["id"].(string))); n != 2 {
		t.Errorf("global service follows the host set: %d containers on 2 hosts", n)
	}
	if err := s.RemoveHost("1h9"); err == nil {
		t.Errorf("removing an unknown host should fail")
	}
}

func TestFaultProxyErrorsAndRevokedKey(t *testing.T) {
	s, c := startSim(t, Options{Faults: Faults{ErrorRate: 1, ErrorStatus: 502, ProxyErrors: true}})
	r := c.do("GET", "/v2-beta", nil)
	if r.status != 502 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !strings.Contains(r.raw, "502 Bad Gateway") {
		t.Errorf("proxy error: %d %q %q", r.status, r.header.Get("Content-Type"), r.raw)
	}
	s.SetFaults(Faults{ErrorRate: 1, ErrorStatus: 500})
	if r := c.do("POST", "/v2-beta/stacks", map[string]any{"name": "a"}); r.status != 500 || r.body["code"] != "Internal Server Error" {
		t.Errorf("500: %d %s", r.status, r.raw)
	}
	if len(s.Stacks()) != 0 {
		t.Errorf("the first injected error comes before the change")
	}
	s.SetFaults(Faults{})
	c.get("/v2-beta")
	ctl := &client{t: t, s: s}
	ctl.must(200, "POST", "/_sim/revoke", map[string]any{"accessKey": s.AccessKey()})
	if r := c.do("GET", "/v2-beta", nil); r.status != 401 {
		t.Errorf("revoked key: %d", r.status)
	}
}

func TestFailedPlacementRetriesDoNotGrowWithoutBound(t *testing.T) {
	s, c := startSim(t, Options{Hosts: 1})
	st := c.createStack("app")
	svc := activeService(t, s, c, map[string]any{"name": "web", "scale": 3, "stackId": st["id"],
		"launchConfig": map[string]any{"imageUuid": "docker:nginx", "ports": []any{"80:80/tcp"}}})
	for i := 0; i < 24; i++ {
		advance(t, s, time.Hour)
	}
	if got := c.reload(svc); got["transitioning"] != "error" {
		t.Errorf("still retrying: %v %v", got["state"], got["transitioning"])
	}
	s.mu.Lock()
	n := len(s.st.all("instance"))
	s.mu.Unlock()
	if n > 600 {
		t.Errorf("%d containers kept after a day of retries", n)
	}
}
