package swarm

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// A stack gated by depends_on: seed is a job (restart: "no") that requests store for a second and exits 0;
// web waits for store healthy and seed completed.
const realGatesCompose = `version: '3.8'
services:
  store:
    image: ${IMAGE}:${TAG}
  seed:
    image: ${IMAGE}:${TAG}
    command: ["loop", "http://db:8080/", "1"]
    restart: "no"
    links: ["store:db"]
    depends_on:
      store: {condition: service_healthy}
  web:
    image: ${IMAGE}:${TAG}
    depends_on:
      seed: {condition: service_completed_successfully}
      store: {condition: service_healthy}
`

const realGatesRancher = `version: '2'
services:
  store:
    health_check: {port: 8080, interval: 1000, response_timeout: 1000, unhealthy_threshold: 2}
`

// TestRealSwarmGates: on a real daemon the waves run in order: seed is created once store is healthy,
// web once seed's task exited 0 (Swarm marks a finished job's task complete, desired shutdown).
func TestRealSwarmGates(t *testing.T) {
	d := needDocker(t)
	d.buildApp()
	dir := t.TempDir()
	for name, text := range map[string]string{"docker-compose.yml": realGatesCompose, "rancher-compose.yml": realGatesRancher} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	rec := &progress.Recorder{}
	s := &realStack{d: d, name: d.prefix + "gates", dir: dir, x: &Executor{Client: d.c, Progress: progress.Emitter{Sink: rec}, Poll: 300 * time.Millisecond}}
	d.cleanupStack(s.name)
	began := time.Now()
	if _, err := s.up(t, "v1", UpOptions{WaitHealthy: true}); err != nil {
		t.Fatalf("up: %v", err)
	}
	t.Logf("gated up (3 waves): %.1fs", time.Since(began).Seconds())
	created, creating, waited := map[string]int{}, map[string]int{}, map[string]bool{}
	for i, e := range rec.Events() {
		switch {
		case e.Status == progress.Done && e.Text == "Created":
			created[e.Resource] = i
		case e.Status == progress.Working && strings.HasPrefix(e.Text, "Creating "):
			creating[e.Resource] = i
		case strings.HasPrefix(e.Text, "waiting for "):
			waited[e.Resource+" "+e.Text] = true
		}
	}
	for _, edge := range [][2]string{{"seed", "store"}, {"web", "seed"}, {"web", "store"}} {
		if creating[edge[0]] < created[edge[1]] {
			t.Errorf("%s was created before %s was", edge[0], edge[1])
		}
	}
	if !waited["web waiting for seed (service_completed_successfully)"] {
		t.Errorf("web did not wait for seed's completion: %v", waited)
	}
	tasks, err := d.c.Tasks(t.Context(), s.service(t, "seed").ID)
	if err != nil {
		t.Fatal(err)
	}
	completed := false
	for _, task := range tasks {
		completed = completed || task.Status.State == swarmtypes.TaskStateComplete
	}
	if !completed {
		t.Errorf("seed's job did not complete: %+v", taskSummary(tasks))
	}
}
