package rancherengine

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/sim"
	"github.com/rancher-compose-ng/rancher-compose/upgrade"
)

// lockedLog is a request log safe for the simulator's concurrent handlers.
type lockedLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedLog) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(b)
}

func (l *lockedLog) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(l.buf.String(), "\n")
}

func TestANewStackIsLockedBeforeItsServicesAreBuilt(t *testing.T) {
	log := &lockedLog{}
	_, c := startSim(t, sim.Options{StepSet: true, RequestLog: log})
	ctx := context.Background()
	// the legacy load balancer's build reads a setting (its image): a request the build makes
	yml := "version: '2'\nservices:\n  web:\n    image: nginx:1\n  lb:\n    image: rancher/load-balancer-service\n    ports: ['80:80']\n"
	p, _ := loadProject(t, yml)
	api := upgrade.NewRancherAPI(c)
	sess := &Session{Client: c, API: api, Health: &healthcheck.Waiter{Reader: api, Logs: api}, Now: time.Now,
		LockOwner: "test", LockTTL: time.Minute, BreakCommand: func(context.Context, string) string { return "" },
		CleanupContext: func(ctx context.Context) (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		}}
	if _, err := sess.Deploy(ctx, p, []string{"web", "lb"}, DeployRequest{}); err != nil {
		t.Fatal(err)
	}
	lockWrite, buildRead := -1, -1
	for i, l := range log.lines() {
		if lockWrite < 0 && strings.Contains(l, "PUT /v2-beta/stacks/") {
			lockWrite = i
		}
		if buildRead < 0 && strings.Contains(l, "/settings/") {
			buildRead = i
		}
	}
	if lockWrite < 0 || buildRead < 0 {
		t.Fatalf("no lock write (%d) or no setting read by the build (%d) in:\n%s", lockWrite, buildRead, strings.Join(log.lines(), "\n"))
	}
	if lockWrite > buildRead {
		t.Errorf("the new stack's lock was written (request %d) after the build read its setting (request %d): the build must overlap the lock's settle", lockWrite, buildRead)
	}
}
