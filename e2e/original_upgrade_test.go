package e2e

// Rows of original-behavior.md §4.1 about upgrades (in place, service to service), pull, and the errors the
// original returned, replayed through the CLI.

import (
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

func labelHash(svc map[string]any) any {
	labels, _ := lc(svc)["labels"].(map[string]any)
	return labels["io.rancher.service.hash"]
}

func TestRow38ServiceInplaceRollback(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("rb", "web:\n  image: nginx\n", "up", "-d")
	before := e.svc("rb", "web")
	e.mustStdin("rb", "web:\n  image: nginx:1.11\n", "up", "-u", "-d")
	after := e.svc("rb", "web")
	if labelHash(after) == labelHash(before) || after["state"] != "upgraded" || lc(after)["imageUuid"] != "docker:nginx:1.11" {
		t.Errorf("after up -u -d: state %v image %v", after["state"], lc(after)["imageUuid"])
	}
	e.mustStdin("rb", "web:\n  image: nginx:1.11\n", "up", "-r", "-d")
	back := e.svc("rb", "web")
	if back["state"] != "active" || lc(back)["imageUuid"] != "docker:nginx" {
		t.Errorf("after up -r -d: state %v image %v", back["state"], lc(back)["imageUuid"])
	}
}

func TestRow39ServiceInplaceUpgradeInactive(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("upi", "web:\n  image: nginx\n", "create")
	e.mustStdin("upi", "web:\n  image: nginx:1.11\n", "up", "-u", "-d")
	if s := e.service("upi", "web"); s.State != "upgraded" {
		t.Errorf("after up -u -d: %s", s.State)
	}
	e.mustStdin("upi", "web:\n  image: nginx:1.11\n", "up", "-c", "-d")
	if s := e.service("upi", "web"); s.State != "active" {
		t.Errorf("after up -c -d: %s", s.State)
	}
}

func TestRow40ServiceInplaceUpgrade(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("up", "web:\n  image: nginx\n", "up", "-d")
	e.mustStdin("up", "web:\n  image: nginx:1.11\n", "up", "-u", "-d")
	if s := e.service("up", "web"); s.State != "upgraded" {
		t.Errorf("after up -u -d: %s", s.State)
	}
	e.mustStdin("up", "web:\n  image: nginx:1.11\n", "up", "-c", "-d")
	if s := e.service("up", "web"); s.State != "active" || s.Image != "docker:nginx:1.11" {
		t.Errorf("after up -c -d: %+v", s)
	}
}

func childInstances(e *env, stack, primary, child string) int {
	n := 0
	for _, c := range e.sim.Containers(e.service(stack, primary).ID) {
		if c.LaunchConfig == child && c.State == "running" {
			n++
		}
	}
	return n
}

const sidekickOne = `
parent:
  image: nginx
  labels:
    io.rancher.sidekicks: child1
child1:
  image: nginx
`

const sidekickTwo = `
parent:
  image: nginx
  labels:
    io.rancher.sidekicks: child1, child2
child1:
  image: nginx
child2:
  image: nginx
`

func TestRow41UpgradeAddSidekick(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("addsk", sidekickOne, "up", "-d")
	e.mustStdin("addsk", sidekickTwo, "up", "--upgrade", "-c", "-d")
	if n := childInstances(e, "addsk", "parent", "child2"); n != 1 {
		t.Errorf("%d child2 instances running, want 1: %s", n, describe(e.sim.Containers(e.service("addsk", "parent").ID)))
	}
	if n := len(secondaries(e.svc("addsk", "parent"))); n != 2 {
		t.Errorf("%d sidekicks", n)
	}
}

func TestRow42UpgradeRemoveSidekick(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("rmsk", sidekickTwo, "up", "-d")
	e.mustStdin("rmsk", sidekickOne, "up", "--upgrade", "-c", "-d")
	if n := childInstances(e, "rmsk", "parent", "child2"); n != 0 {
		t.Errorf("%d child2 instances still running", n)
	}
	if n := childInstances(e, "rmsk", "parent", "child1"); n != 1 {
		t.Errorf("%d child1 instances running, want 1", n)
	}
}

func TestRow77ForceUpgradePrimary(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := `
parent:
  image: nginx
  labels:
    io.rancher.sidekicks: child
child:
  image: nginx
`
	e.mustStdin("force", c, "up", "-d")
	id := e.service("force", "parent").ID
	orig := map[string]string{}
	for _, ct := range e.sim.Containers(id) {
		orig[ct.LaunchConfig] = ct.ID
	}
	e.mustStdin("force", c, "up", "--force-upgrade", "-d", "parent")
	if s := e.service("force", "parent"); s.State != "upgraded" {
		t.Errorf("after --force-upgrade parent: %s", s.State)
	}
	e.mustStdin("force", c, "up", "-c", "-d")
	now := map[string]string{}
	for _, ct := range e.sim.Containers(id) {
		now[ct.LaunchConfig] = ct.ID
	}
	if now["child"] != orig["child"] {
		t.Errorf("forcing the primary replaced the child: %v -> %v", orig, now)
	}
	if now[""] == orig[""] {
		t.Errorf("the primary was not replaced: %v -> %v", orig, now)
	}
	e.mustStdin("force", c, "up", "--force-upgrade", "-c", "-d")
	again := map[string]string{}
	for _, ct := range e.sim.Containers(id) {
		again[ct.LaunchConfig] = ct.ID
	}
	if again["child"] == now["child"] {
		t.Errorf("forcing every service did not replace the child: %v -> %v", now, again)
	}
}

func TestRow47ServiceUpgradeFromNil(t *testing.T) {
	e := newEnv(t, sim.Options{})
	r := e.stdinRun("fromnil", "foo:\n  image: nginx\nweb2:\n  image: nginx\n", "upgrade", "web", "web2")
	if r.code == 0 {
		t.Fatalf("upgrade of a service not in the files succeeded")
	}
}

func TestRow48ServiceUpgradeNoGlobalOnSource(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := "web:\n  image: nginx\n  labels:\n    io.rancher.scheduler.global: 'true'\nweb2:\n  image: nginx\n"
	e.mustStdin("gsrc", c, "up", "-d", "web")
	r := e.stdinRun("gsrc", c, "upgrade", "web", "web2")
	if r.code != 1 || !strings.Contains(r.stderr, "global") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, s := range e.sim.Services("gsrc") {
		if s.Name == "web2" {
			t.Errorf("web2 was created")
		}
	}
}

func TestRow49ServiceUpgradeNoGlobalOnDest(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := "web:\n  image: nginx\nweb2:\n  image: nginx\n  labels:\n    io.rancher.scheduler.global: 'true'\n"
	e.mustStdin("gdst", c, "up", "-d", "web")
	r := e.stdinRun("gdst", c, "upgrade", "web", "web2")
	if r.code == 0 || !strings.Contains(r.stderr, "global") {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
}

func TestRow53UpgradeNoSource(t *testing.T) {
	dir := corpusDir(t, "upgrade-ignore-scale/docker-compose")
	e := newEnv(t, sim.Options{})
	r := e.run("-f", dir+"/docker-compose.yml", "-p", "nosource", "upgrade", "--interval", "1000", "--scale=2", "from", "to")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, r.stderr)
	}
	if n := len(e.sim.Services("nosource")); n != 0 {
		t.Errorf("%d services created", n)
	}
}

func TestRow54UpgradeIgnoreScale(t *testing.T) {
	src := corpusDir(t, "upgrade-ignore-scale/docker-compose-source")
	dir := corpusDir(t, "upgrade-ignore-scale/docker-compose")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", src+"/docker-compose.yml", "-p", "ignorescale", "up", "-d"), "up -d from")
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "ignorescale", "upgrade", "--pull", "--interval", "1000", "--scale=2", "--wait", "from", "to"), "upgrade from to")
	from, to := e.service("ignorescale", "from"), e.service("ignorescale", "to")
	if to.Scale != 2 || from.Scale != 0 || to.State != "active" {
		t.Errorf("from %+v\nto %+v", from, to)
	}
}

func TestRow72PullSidekick(t *testing.T) {
	e := newEnv(t, sim.Options{})
	r := e.mustStdin("pullsk", "web:\n  image: nginx\n  labels:\n    io.rancher.sidekicks: log\nlog:\n  image: tianon/true\n", "pull", "--progress", "plain")
	if len(e.sim.Stacks()) != 1 || len(e.sim.Services("pullsk")) != 0 {
		t.Errorf("pull should leave an empty stack: stacks %+v", e.sim.Stacks())
	}
	for _, img := range []string{"nginx", "tianon/true"} {
		if !strings.Contains(r.stderr, "Finished pulling "+img) {
			t.Errorf("pull output does not mention %s:\n%s", img, r.stderr)
		}
	}
}

func describe(cs []sim.ContainerInfo) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString("\n  " + c.Name + " " + c.LaunchConfig + " " + c.Image + " " + c.State)
	}
	return b.String()
}

func TestPullCachedAsksOnlyHostsThatHaveTheImage(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("cached", "web:\n  image: nginx:1.13\n  labels:\n    io.rancher.scheduler.affinity:host_label: role=web\n", "pull", "--cached")
	tasks, _ := e.get("pulltasks")["data"].([]any)
	if len(tasks) != 1 {
		t.Fatalf("pull tasks %v", tasks)
	}
	task := tasks[0].(map[string]any)
	labels, _ := task["labels"].(map[string]any)
	if task["mode"] != "cached" || task["image"] != "nginx:1.13" || labels["io.rancher.scheduler.affinity:host_label"] != "role=web" {
		t.Errorf("pull task %v", task)
	}
}
