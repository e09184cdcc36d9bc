package e2e

import (
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/cmd"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// TestWaitsOutsideTheDeployEngineAreNeverSilent: rm, stop, scale and restart on a service stuck in their
// transition keep a live line naming the service, what it does and its state until the deadline (the
// heartbeat ticks every second; the stuck wait lasts the whole 4 s).
func TestWaitsOutsideTheDeployEngineAreNeverSilent(t *testing.T) {
	cases := []struct {
		args  []string
		stuck string
		want  string
	}{
		{[]string{"scale", "web=3"}, "updating-active", "while scaling: state updating-active: In Progress, 1/3 containers"},
		{[]string{"stop"}, "deactivating", "while deactivating: state deactivating"},
		{[]string{"rm", "-f"}, "removing", "while deleting: state removing"},
		{[]string{"restart"}, "restarting", "while restarting: state restarting"},
	}
	for _, c := range cases {
		t.Run(c.args[0], func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{})
			e.writeFile("docker-compose.yml", "services:\n  web:\n    image: nginx\n")
			e.must(e.run("-p", "beat", "up", "-d"), "first up")
			e.sim.SetFaults(sim.Faults{StuckStates: []string{c.stuck}})
			r := e.run(append([]string{"-p", "beat"}, append(c.args, "--timeout", "4s", "--progress", "tty")...)...)
			if r.code != cmd.ExitTimeout {
				t.Fatalf("exit %d, want %d\nstderr:\n%s", r.code, cmd.ExitTimeout, r.stderr)
			}
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("no heartbeat %q while the service was stuck:\n%s", c.want, r.stderr)
			}
		})
	}
}
