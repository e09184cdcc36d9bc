package rancherengine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// engineOn is an Engine whose Open gives a session of client c and counts its calls.
func engineOn(c *rancher.Client, opened *int) *Engine {
	return &Engine{Open: func(context.Context, string) (*Session, error) {
		*opened++
		if c == nil {
			return nil, errors.New("no API in this test")
		}
		api := upgrade.NewRancherAPI(c)
		return &Session{Client: c, API: api, Health: &healthcheck.Waiter{Reader: api, Logs: api}, Now: time.Now,
			LockOwner: "test", LockTTL: time.Minute, BreakCommand: func(context.Context, string) string { return "" },
			CleanupContext: func(ctx context.Context) (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			}}, nil
	}}
}

const engineYML = "version: '2'\nservices:\n  web:\n    image: nginx:1\n    links: [db]\n  db:\n    image: redis:1\n"

// Names the files lack are refused before the engine connects: bad input never reaches the API.
func TestEngineRefusesUnknownServicesBeforeConnecting(t *testing.T) {
	p, _ := loadProject(t, engineYML)
	opened := 0
	e := engineOn(nil, &opened)
	ctx := context.Background()
	target := engine.Target{Stack: "demo", Project: p, Services: []string{"nope"}}
	calls := map[string]func() error{
		"up": func() error { _, err := e.Up(ctx, p, engine.UpOptions{Services: []string{"nope"}}); return err },
		"scale": func() error {
			_, err := e.Scale(ctx, target, []engine.ScaleTarget{{Service: "nope", Replicas: 2}})
			return err
		},
		"stop":    func() error { _, err := e.Stop(ctx, target); return err },
		"rm":      func() error { _, err := e.Remove(ctx, target); return err },
		"restart": func() error { _, err := e.Restart(ctx, target); return err },
	}
	for name, call := range calls {
		if err := call(); err == nil {
			t.Errorf("%s of an unknown service: no error", name)
		}
	}
	if opened != 0 {
		t.Fatalf("the engine connected %d times for commands refused offline", opened)
	}
}

// Through the engine boundary alone, a stack is brought up, scaled, upgraded, confirmed, stopped and its
// services removed, with one connection for the whole run.
func TestEngineLifecycleThroughTheBoundary(t *testing.T) {
	s, c := startSim(t, sim.Options{StepSet: true})
	p, _ := loadProject(t, engineYML)
	opened := 0
	var e engine.Engine = engineOn(c, &opened)
	ctx := context.Background()
	target := engine.Target{Stack: "demo", Project: p}
	want := func(step string, check func(map[string]sim.ServiceInfo) bool) {
		t.Helper()
		byName := map[string]sim.ServiceInfo{}
		for _, svc := range s.Services("demo") {
			byName[svc.Name] = svc
		}
		if !check(byName) {
			t.Fatalf("after %s: services %+v", step, byName)
		}
	}
	if _, err := e.Up(ctx, p, engine.UpOptions{}); err != nil {
		t.Fatal("up:", err)
	}
	want("up", func(m map[string]sim.ServiceInfo) bool {
		return m["web"].State == "active" && m["db"].State == "active"
	})
	if _, err := e.Scale(ctx, target, []engine.ScaleTarget{{Service: "web", Replicas: 3}}); err != nil {
		t.Fatal("scale:", err)
	}
	want("scale", func(m map[string]sim.ServiceInfo) bool { return m["web"].Scale == 3 && m["web"].CurrentScale == 3 })

	p2, _ := loadProject(t, strings.Replace(engineYML, "nginx:1", "nginx:2", 1))
	if _, err := e.Up(ctx, p2, engine.UpOptions{Upgrade: true, Services: []string{"web"}}); err != nil {
		t.Fatal("up --upgrade:", err)
	}
	want("up --upgrade", func(m map[string]sim.ServiceInfo) bool {
		return m["web"].State == "upgraded" && m["web"].Image == "docker:nginx:2"
	})
	if _, err := e.Confirm(ctx, "demo", engine.StackOptions{}); err != nil {
		t.Fatal("confirm:", err)
	}
	want("confirm", func(m map[string]sim.ServiceInfo) bool {
		return m["web"].State == "active" && m["db"].State == "active"
	})

	if _, err := e.Stop(ctx, target); err != nil {
		t.Fatal("stop:", err)
	}
	want("stop", func(m map[string]sim.ServiceInfo) bool {
		return m["web"].State == "inactive" && m["db"].State == "inactive"
	})
	if _, err := e.Remove(ctx, engine.Target{Stack: "demo", Project: p, Services: []string{"web"}}); err != nil {
		t.Fatal("rm web:", err)
	}
	want("rm web", func(m map[string]sim.ServiceInfo) bool {
		_, web := m["web"]
		return !web && m["db"].State == "inactive"
	})
	if opened != 1 {
		t.Errorf("the engine connected %d times in one run, want once", opened)
	}
}
