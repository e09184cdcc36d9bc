package sim

import "testing"

func TestSmokeCreateActivate(t *testing.T) {
	s, c := startSim(t, Options{})
	st := c.createStack("demo")
	svc := c.createService(st["id"].(string), "web", 2, map[string]any{"imageUuid": "docker:nginx"})
	settle(t, s)
	svc = c.reload(svc)
	if svc["state"] != "inactive" {
		t.Fatalf("state %v", svc["state"])
	}
	c.action(svc, "activate", nil, 202)
	settle(t, s)
	svc = c.reload(svc)
	if svc["state"] != "active" || len(s.Containers(svc["id"].(string))) != 2 {
		t.Fatalf("state %v containers %v", svc["state"], s.Containers(svc["id"].(string)))
	}
	t.Logf("%v", s.Containers(svc["id"].(string)))
}
