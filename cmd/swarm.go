package cmd

import (
	"context"
	"io"
	"os"

	"github.com/rancher-compose-ng/rancher-compose/compose"
	"github.com/rancher-compose-ng/rancher-compose/engine"
	"github.com/rancher-compose-ng/rancher-compose/progress"
	"github.com/rancher-compose-ng/rancher-compose/swarm"
	"github.com/rancher-compose-ng/rancher-compose/swarm/probe"
)

// EnvSwarmProbe names the static probe binary the swarm engine bind-mounts into containers whose
// rancher-compose health_check it turns into a container health check (default: this binary, when static).
const EnvSwarmProbe = "RANCHER_COMPOSE_SWARM_PROBE"

func init() { engineConstructors["swarm"] = newSwarmEngine }

// newSwarmEngine is the swarm engine: the daemon at DOCKER_HOST (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH), the
// probe, the deploy lock's owner and lease. It connects on first use.
func newSwarmEngine(f *Factory, g *GlobalOptions, _ *runOptions, em progress.Emitter, _ io.Writer) engine.Engine {
	getenv := func(k string) string { v, _ := f.LookupEnv(k); return v }
	m := swarm.MapOptions{ProbeArgs: []string{"healthprobe"}}
	m.ProbePath, m.ProbeProblem = probePath(f)
	ep := swarm.EndpointFromEnv(getenv)
	if debug, _ := f.LookupEnv(EnvClientDebug); g.Verbose || debug == "true" {
		ep.Verbose = &lockedWriter{w: f.IO.ErrOut}
	}
	load := func(ctx context.Context, named []string) (*compose.Project, error) {
		return loadProjectFor(ctx, f, g, named)
	}
	return &swarm.Engine{Endpoint: ep, Progress: em, Map: m, Poll: pollMin(f),
		LockOwner: lockOwner(f), LockTTL: g.lockTTL, Now: f.Now, LoadProject: load}
}

// probePath is $RANCHER_COMPOSE_SWARM_PROBE, else this binary; it must be static to run in any image.
func probePath(f *Factory) (string, string) {
	path, _ := f.LookupEnv(EnvSwarmProbe)
	if path == "" {
		exe, err := os.Executable()
		if err != nil {
			return "", err.Error()
		}
		path = exe
	}
	if err := probe.CheckStatic(path); err != nil {
		return "", err.Error() + "; or set " + EnvSwarmProbe + " to a static binary that answers `healthprobe http|tcp ...`"
	}
	return path, ""
}
