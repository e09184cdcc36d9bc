package sim

import (
	"fmt"
	"sort"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim/scheduler"
)

// freshSchedContainers walks every container, as placement did before the index: the reference the
// index must agree with.
func (s *Server) freshSchedContainers() []scheduler.Container {
	var out []scheduler.Container
	for _, c := range s.st.all("instance") {
		st := c.state()
		if st == "removed" || c.ctr == nil || c.ctr.placeErr != "" {
			continue
		}
		sc := scheduler.Container{ID: c.id(), Name: c.str("name"), DeploymentUnitUUID: c.ctr.unit,
			Stopped: st == "stopped" || st == "error", Removed: st == "removing" || st == "purged" || st == "purging"}
		if c.ctr.host != nil {
			sc.HostID = c.ctr.host.id()
		}
		out = append(out, sc)
	}
	return out
}

// describeSched lists what the scheduler reads of each container it does not ignore, sorted.
func describeSched(cs []scheduler.Container) []string {
	var out []string
	for _, c := range cs {
		if !c.Removed {
			out = append(out, fmt.Sprintf("%s %s host=%s unit=%s stopped=%t", c.ID, c.Name, c.HostID, c.DeploymentUnitUUID, c.Stopped))
		}
	}
	sort.Strings(out)
	return out
}

func TestSchedIndexFollowsContainers(t *testing.T) {
	s, c := startSim(t, Options{Hosts: 4})
	st := c.createStack("app")
	web := c.createService(strOf(st["id"]), "web", 80, map[string]any{"imageUuid": "docker:nginx"})
	db := c.createService(strOf(st["id"]), "db", 2, map[string]any{"imageUuid": "docker:postgres"})
	check := func(when string) {
		t.Helper()
		s.mu.Lock()
		defer s.mu.Unlock()
		got, want := describeSched(s.schedContainers("")), describeSched(s.freshSchedContainers())
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("%s: the index shows %d containers, a fresh walk %d:\n index: %v\n fresh: %v", when, len(got), len(want), got, want)
		}
	}
	settle(t, s)
	c.action(c.reload(web), "activate", nil, 202)
	c.action(c.reload(db), "activate", nil, 202)
	settle(t, s)
	check("after activation")
	c.must(200, "PUT", "/v2-beta/services/"+strOf(web["id"]), map[string]any{"scale": 3})
	settle(t, s)
	check("after scaling down (77 removed, compacted)")
	if s.sched.removed != 0 || len(s.sched.list) > 20 {
		t.Errorf("index not compacted: %d entries, %d removed", len(s.sched.list), s.sched.removed)
	}
	c.action(c.reload(db), "deactivate", nil, 202)
	settle(t, s)
	check("after stopping db")
	c.must(201, "POST", "/v2-beta/containers", map[string]any{"imageUuid": "docker:busybox"})
	c.must(200, "PUT", "/v2-beta/services/"+strOf(web["id"]), map[string]any{"scale": 5})
	settle(t, s)
	check("after a standalone container and scaling up")
}
