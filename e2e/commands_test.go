package e2e

// One end-to-end test (or more) per command, beyond the original's suite: stop/down, start, restart, scale,
// logs, up --dry-run, up --apply-scale, up without -d, connection errors.

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

func TestStopDownAndStart(t *testing.T) {
	e := deployed(t, sim.Options{})
	r := e.must(e.demo("stop", "web", "--progress", "plain"), "stop web")
	if !strings.Contains(r.stderr, "Stopped") {
		t.Errorf("stop output:\n%s", r.stderr)
	}
	e.expectService("web", "inactive", "nginx:1.13")
	e.expectService("db", "active", "postgres:9")
	e.must(e.demo("down"), "down")
	e.expectService("db", "inactive", "postgres:9")
	e.requests()
	e.must(e.demo("stop", "-t", "5"), "stop -t 5 of stopped services")
	if m := mutationsOf(e.requests()); len(m) != 0 {
		t.Errorf("stopping stopped services sent %v", m)
	}
	e.must(e.demo("start"), "start")
	e.expectService("web", "active", "nginx:1.13")
	e.expectService("db", "active", "postgres:9")
}

func TestStartSkipsMissingServices(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("demo/docker-compose.yml", webProject("1.13", "9"))
	e.must(e.demo("start"), "start on an empty stack")
	if n := len(e.sim.Services("demo")); n != 0 {
		t.Errorf("start created %d services", n)
	}
}

func TestRestartInBatches(t *testing.T) {
	e := deployed(t, sim.Options{})
	web := e.service("demo", "web").ID
	before := map[string]int64{}
	for _, c := range e.sim.Containers(web) {
		before[c.ID] = c.StartCount
	}
	e.requests()
	e.must(e.demo("restart", "--batch-size", "1", "--interval", "10", "web"), "restart web")
	reqs := strings.Join(e.requests(), "\n")
	if !strings.Contains(reqs, "action=restart") {
		t.Errorf("no restart action sent:\n%s", reqs)
	}
	for _, c := range e.sim.Containers(web) {
		if c.StartCount <= before[c.ID] {
			t.Errorf("container %s not restarted (start count %d)", c.Name, c.StartCount)
		}
	}
	r := e.demo("restart", "nothere")
	if r.code != 2 || !strings.Contains(r.stderr, "No such service: nothere") {
		t.Errorf("restart of an unknown service: exit %d\n%s", r.code, r.stderr)
	}
}

func TestScaleErrorsExitNonZero(t *testing.T) {
	e := deployed(t, sim.Options{})
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"scale", "web"}, 2, "Invalid scale parameter: web"},
		{[]string{"scale", "web=x"}, 2, "Invalid scale parameter"},
		{[]string{"scale", "nothere=2"}, 2, "nothere is not defined in the template"},
	} {
		r := e.demo(c.args...)
		if int(r.code) != c.code || !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%v: exit %d\n%s", c.args, r.code, r.stderr)
		}
	}
	e.must(e.demo("rm", "db"), "rm db")
	r := e.demo("scale", "db=2")
	if r.code != 1 || !strings.Contains(r.stderr, "Failed to find db to scale") {
		t.Errorf("scale of a service missing in Rancher: exit %d (the original exited 0)\n%s", r.code, r.stderr)
	}
	e.must(e.demo("scale", "web=3"), "scale web=3")
	if s := e.service("demo", "web"); s.Scale != 3 {
		t.Errorf("web scale %d", s.Scale)
	}
}

func TestLogsPrefixesTheServiceName(t *testing.T) {
	e := deployed(t, sim.Options{})
	r := e.must(e.demo("logs", "web"), "logs web")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) < 2 {
		t.Fatalf("logs:\n%s", r.stdout)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "web-") || !strings.Contains(l, " | ") {
			t.Errorf("line without the service prefix: %q", l)
		}
	}
	if !strings.Contains(r.stdout, "nginx:1.13") {
		t.Errorf("logs do not come from the web containers:\n%s", r.stdout)
	}
}

func TestUpWithoutDetachFollowsLogsUntilInterrupted(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("demo/docker-compose.yml", webProject("1.13", "9"))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() {
		done <- e.runIn(ctx, e.dir, "", "-f", e.dir+"/demo/docker-compose.yml", "up", "--progress", "plain")
	}()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if ss := e.sim.Services("demo"); len(ss) == 2 && ss[0].State == "active" && ss[1].State == "active" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	select {
	case r := <-done:
		t.Fatalf("up without -d returned before the interrupt: exit %d\n%s", r.code, r.stderr)
	default:
	}
	cancel()
	r := <-done
	if r.code != 130 {
		t.Errorf("exit %d after the interrupt, want 130\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "web-") || !strings.Contains(r.stdout, "db-") {
		t.Errorf("no prefixed log lines on stdout:\n%s", r.stdout)
	}
}

func TestDryRunPlansAndChangesNothing(t *testing.T) {
	e := deployed(t, sim.Options{})
	e.changeImages("1.14", "9")
	before := e.sim.Stats().Mutations
	r := e.must(e.demo("up", "-d", "--upgrade", "--dry-run"), "up --dry-run")
	if !strings.Contains(r.stdout, "web") || !strings.Contains(r.stdout, "upgrade") || !strings.Contains(r.stdout, "nginx:1.14") {
		t.Errorf("plan:\n%s", r.stdout)
	}
	j := e.must(e.demo("up", "-d", "--upgrade", "--dry-run", "--format", "json"), "up --dry-run --format json")
	var plan struct {
		Services []struct {
			Name   string `json:"name"`
			Action string `json:"action"`
		} `json:"services"`
	}
	if err := json.Unmarshal([]byte(j.stdout), &plan); err != nil {
		t.Fatalf("%v\n%s", err, j.stdout)
	}
	actions := map[string]string{}
	for _, s := range plan.Services {
		actions[s.Name] = s.Action
	}
	if actions["web"] != "upgrade" || actions["db"] != "unchanged" {
		t.Errorf("actions %v", actions)
	}
	if after := e.sim.Stats().Mutations; after != before {
		t.Errorf("--dry-run sent %d mutating requests", after-before)
	}
	e.expectService("web", "active", "nginx:1.13")

	fresh := newEnv(t, sim.Options{})
	fresh.writeFile("docker-compose.yml", webProject("1.13", "9"))
	d := fresh.must(fresh.run("-p", "newstack", "up", "-d", "--dry-run"), "--dry-run on a missing stack")
	if !strings.Contains(d.stdout, "create") || len(fresh.sim.Stacks()) != 0 || fresh.sim.Stats().Mutations != 0 {
		t.Errorf("dry run of a new stack: stacks %v, plan:\n%s", fresh.sim.Stacks(), d.stdout)
	}
}

func TestApplyScaleWithTheUpgrade(t *testing.T) {
	e := deployed(t, sim.Options{})
	e.writeFile("demo/rancher-compose.yml", strings.Replace(webRancher, "scale: 2", "scale: 4", 1))
	e.must(e.demo("up", "-d"), "up -d without --apply-scale")
	if s := e.service("demo", "web"); s.Scale != 2 {
		t.Errorf("scale changed without --apply-scale: %d", s.Scale)
	}
	e.changeImages("1.14", "9")
	e.must(e.demo("up", "-d", "--upgrade", "--confirm-upgrade", "--apply-scale", "--wait-healthy"), "up --apply-scale")
	if s := e.service("demo", "web"); s.Scale != 4 || s.State != "active" || s.Image != "docker:nginx:1.14" {
		t.Errorf("after --apply-scale with the upgrade: %+v", s)
	}
}

func TestConnectionErrorsExit5And2(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", webProject("1.13", "9"))
	e.env["RANCHER_SECRET_KEY"] = "wrong"
	if r := e.run("-p", "x", "up", "-d"); r.code != 5 || !strings.Contains(r.stderr, "401") {
		t.Errorf("bad key: exit %d\n%s", r.code, r.stderr)
	}
	e.env["RANCHER_URL"] = "http://127.0.0.1:1"
	if r := e.run("-p", "x", "up", "-d", "--timeout", "20s"); r.code != 5 {
		t.Errorf("unreachable: exit %d\n%s", r.code, r.stderr)
	}
	delete(e.env, "RANCHER_URL")
	if r := e.run("-p", "x", "up", "-d"); r.code != 2 || !strings.Contains(r.stderr, "RANCHER_URL") {
		t.Errorf("no URL: exit %d\n%s", r.code, r.stderr)
	}
	if r := e.run("-p", "x", "up", "-d", "nothere"); r.code != 2 || !strings.Contains(r.stderr, "No such service: nothere") {
		t.Errorf("unknown service: exit %d\n%s", r.code, r.stderr)
	}
	if r := e.run("-p", "x", "up", "-d", "--progress", "fancy"); r.code != 2 {
		t.Errorf("bad --progress: exit %d\n%s", r.code, r.stderr)
	}
}

func TestUpgradeFromToWithCleanup(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", "web:\n  image: nginx:1.13\nweb2:\n  image: nginx:1.14\n")
	e.writeFile("rancher-compose.yml", "web:\n  scale: 2\n")
	e.must(e.run("-p", "ft", "up", "-d", "web"), "up -d web")
	e.must(e.run("-p", "ft", "upgrade", "web", "web2", "--cleanup", "--batch-size", "1", "--interval", "10"), "upgrade web web2 --cleanup")
	ss := e.sim.Services("ft")
	if len(ss) != 1 || ss[0].Name != "web2" || ss[0].Scale != 2 || ss[0].State != "active" {
		t.Errorf("after upgrade --cleanup: %+v", ss)
	}
	if r := e.run("-p", "ft", "upgrade", "web2"); r.code != 2 || !strings.Contains(r.stderr, "[from service] [to service]") {
		t.Errorf("upgrade with one argument: exit %d\n%s", r.code, r.stderr)
	}
}

func TestVolumeTemplatesOfAVersion2Project(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", "version: '2'\nservices:\n  db:\n    image: postgres\n    volumes: [data:/var/lib/postgresql]\nvolumes:\n  data:\n    driver: local\n")
	e.must(e.run("-p", "vols", "up", "-d"), "up -d")
	list, _ := e.get("volumetemplates?name=data")["data"].([]any)
	if len(list) != 1 || str(list[0].(map[string]any)["driver"]) != "local" {
		t.Fatalf("volume templates %v", list)
	}
	e.must(e.run("-p", "vols", "up", "-d"), "second up -d")
	if list, _ := e.get("volumetemplates?name=data")["data"].([]any); len(list) != 1 {
		t.Errorf("%d volume templates after a second up", len(list))
	}
	e.writeFile("docker-compose.yml", "version: '2'\nservices:\n  db:\n    image: postgres\n    volumes: [data:/var/lib/postgresql]\nvolumes:\n  data:\n    driver: other\n")
	if r := e.run("-p", "vols", "up", "-d"); r.code != 1 || !strings.Contains(r.stderr, "needs to be recreated - driver has changed") {
		t.Errorf("driver change: exit %d\n%s", r.code, r.stderr)
	}
	e.writeFile("docker-compose.yml", "version: '2'\nservices:\n  db:\n    image: postgres\nvolumes:\n  shared:\n    external: true\n")
	if r := e.run("-p", "vols2", "up", "-d"); r.code != 1 || !strings.Contains(r.stderr, "declared as external, but could not be found") {
		t.Errorf("missing external volume: exit %d\n%s", r.code, r.stderr)
	}
}

func TestOutOfSyncWarningWithoutUpgrade(t *testing.T) {
	e := deployed(t, sim.Options{})
	e.changeImages("1.14", "9")
	e.requests()
	r := e.must(e.demo("up", "-d", "--progress", "plain"), "up -d with a changed image")
	if !strings.Contains(r.stderr, "Service web is out of sync with local configuration file") {
		t.Errorf("no out-of-sync warning:\n%s", r.stderr)
	}
	if m := mutationsOf(e.requests()); len(m) != 0 {
		t.Errorf("up without --upgrade changed services: %v", m)
	}
	e.expectService("web", "active", "nginx:1.13")
}

func TestUpgradeWithPullAndJSONProgress(t *testing.T) {
	e := deployed(t, sim.Options{})
	e.changeImages("1.14", "9")
	e.requests()
	r := e.must(e.demo("up", "-d", "--upgrade", "--pull", "--confirm-upgrade", "--progress", "json"), "up --upgrade --pull -c")
	reqs := strings.Join(e.requests(), "\n")
	if !strings.Contains(reqs, "POST /v2-beta/pulltasks") {
		t.Errorf("no pull task before the upgrade:\n%s", reqs)
	}
	for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil || ev["resource"] == nil || ev["status"] == nil {
			t.Errorf("--progress json line is not an event: %q", line)
		}
	}
	e.expectService("web", "active", "nginx:1.14")
}

func TestStuckStopTimesOutWithTheStateLeft(t *testing.T) {
	e := deployed(t, sim.Options{})
	e.sim.SetFaults(sim.Faults{StuckStates: []string{"deactivating"}})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r := e.runIn(ctx, e.dir, "", "-f", e.dir+"/demo/docker-compose.yml", "stop", "--progress", "plain")
	if r.code != 4 {
		t.Fatalf("exit %d, want 4\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"web is deactivating", "rancher-compose -p demo stop web"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
}

// TestAccountKeyNeedsEnv deploys with an account (user) key: without --env the key cannot create stacks
// and the error says why; with --env (or RANCHER_ENVIRONMENT) naming the environment, the deploy works.
func TestAccountKeyNeedsEnv(t *testing.T) {
	e := newEnv(t, sim.Options{AccountKeys: []sim.AccountKey{{AccessKey: "ACCOUNTKEY", SecretKey: "account-secret-value", Projects: []string{"1a5"}}}})
	e.env["RANCHER_ACCESS_KEY"], e.env["RANCHER_SECRET_KEY"] = "ACCOUNTKEY", "account-secret-value"
	e.writeFile("docker-compose.yml", webProject("1.13", "9"))
	r := e.run("-p", "acct", "up", "-d")
	if r.code != 2 || !strings.Contains(r.stderr, "--env") {
		t.Errorf("account key without --env: exit %d\n%s", r.code, r.stderr)
	}
	e.must(e.run("--env", "1a5", "-p", "acct", "up", "-d"), "up -d --env 1a5")
	if n := len(e.sim.Services("acct")); n != 2 {
		t.Errorf("%d services deployed with --env", n)
	}
	e.env["RANCHER_ENVIRONMENT"] = "Default"
	if ps := e.must(e.run("-p", "acct", "ps"), "ps with RANCHER_ENVIRONMENT=Default (by name)"); !strings.Contains(ps.stdout, "web") {
		t.Errorf("ps:\n%s", ps.stdout)
	}
}
