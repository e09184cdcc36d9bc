package e2e

// Rows of original-behavior.md §4.1 about load balancers (lb_config and the legacy
// rancher/load-balancer-service), replayed through the CLI. Their port rules name target services by id, so
// they also exercise building a service only once the services it targets exist.

import (
	"regexp"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// portRules returns an LB's lbConfig.portRules.
func portRules(svc map[string]any) []map[string]any {
	lb, _ := svc["lbConfig"].(map[string]any)
	list, _ := lb["portRules"].([]any)
	var out []map[string]any
	for _, r := range list {
		out = append(out, r.(map[string]any))
	}
	return out
}

func TestRow17LBBasic(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("lbbasic", `version: '2'
services:
  lb:
    image: rancher/lb-service-haproxy
    ports: [80, "81"]
    lb_config:
      port_rules:
      - source_port: 80
        target_port: 80
        service: web
      - source_port: 81
        target_port: 8080
        service: web2
  web:
    image: nginx
  web2:
    image: nginx
`, "up", "-d")
	lb := e.svc("lbbasic", "lb")
	rules := portRules(lb)
	if lb["type"] != "loadBalancerService" || len(rules) != 2 {
		t.Fatalf("type %v rules %v", lb["type"], rules)
	}
	if rules[0]["serviceId"] != e.service("lbbasic", "web").ID || rules[1]["serviceId"] != e.service("lbbasic", "web2").ID {
		t.Errorf("rules %v", rules)
	}
	if str(rules[1]["targetPort"]) != "8080" || str(rules[1]["sourcePort"]) != "81" {
		t.Errorf("rule 2 %v", rules[1])
	}
	for _, n := range []string{"lb", "web", "web2"} {
		if s := e.service("lbbasic", n); s.State != "active" {
			t.Errorf("%s: %s", n, s.State)
		}
	}
	e.requests()
	e.mustStdin("lbbasic", `version: '2'
services:
  lb:
    image: rancher/lb-service-haproxy
    ports: [80, "81"]
    lb_config:
      port_rules:
      - source_port: 80
        target_port: 80
        service: web
      - source_port: 81
        target_port: 8080
        service: web2
  web:
    image: nginx
  web2:
    image: nginx
`, "up", "-d")
	if m := mutationsOf(e.requests()); len(m) != 0 {
		t.Errorf("second up of a load balancer is not a no-op: %v", m)
	}
}

func TestRow18LBPrivate(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("lbprivate", `version: '2'
services:
  lb:
    image: rancher/lb-service-haproxy
    lb_config:
      port_rules:
      - source_port: 111
        target_port: 222
        service: web
        protocol: tcp
  web:
    image: nginx
`, "up", "-d")
	lb := e.svc("lbprivate", "lb")
	l := lc(lb)
	if p, _ := l["ports"].([]any); len(p) != 0 {
		t.Errorf("ports %v", l["ports"])
	}
	if p, _ := l["expose"].([]any); len(p) != 0 {
		t.Errorf("expose %v", l["expose"])
	}
	if rules := portRules(lb); len(rules) != 1 || rules[0]["protocol"] != "tcp" {
		t.Errorf("rules %v", rules)
	}
}

func TestRow19LBHostnameAndPath(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("lbhp", `version: '2'
services:
  lb:
    image: rancher/lb-service-haproxy
    ports: [80]
    lb_config:
      port_rules:
      - source_port: 80
        target_port: 2222
        service: web
        hostname: hostname
        path: /path1
      - source_port: 80
        target_port: 3333
        service: web
        hostname: hostname2
        path: /path2
  web:
    image: nginx
`, "up", "-d")
	rules := portRules(e.svc("lbhp", "lb"))
	if len(rules) != 2 || rules[0]["hostname"] != "hostname" || rules[0]["path"] != "/path1" ||
		rules[1]["hostname"] != "hostname2" || rules[1]["path"] != "/path2" {
		t.Errorf("rules %v", rules)
	}
}

func TestRow20LBFullConfig(t *testing.T) {
	dir := corpusDir(t, "lb/docker-compose")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "lbfull", "up", "-d"), "up -d")
	lb := e.svc("lbfull", "lb")
	rules := portRules(lb)
	if len(rules) != 1 || rules[0]["protocol"] != "https" || rules[0]["hostname"] != "hostname" || rules[0]["path"] != "/path" ||
		rules[0]["serviceId"] != e.service("lbfull", "web").ID {
		t.Errorf("rules %v", rules)
	}
	cfg, _ := lb["lbConfig"].(map[string]any)
	if cfg["config"] != "global\n    foo bar\n" {
		t.Errorf("config %q", cfg["config"])
	}
}

func TestRow21LegacyLBPrivate(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("legpriv", `
lb:
  image: rancher/load-balancer-service
  expose:
  - 111:222
  - 222:333/tcp
  ports:
  - 80
  links:
  - web
web:
  image: nginx
`, "up", "-d")
	lb := e.svc("legpriv", "lb")
	if rules := portRules(lb); len(rules) != 3 {
		t.Errorf("rules %v", rules)
	}
	if x, _ := lc(lb)["expose"].([]any); len(x) != 0 {
		t.Errorf("expose %v", x)
	}
}

func TestRow22LegacyLBBasic(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("legbasic", `
lb:
  image: rancher/load-balancer-service
  ports:
  - 80:80
  links:
  - web
  - web2
web:
  image: nginx
web2:
  image: nginx
`, "up", "-d")
	rules := portRules(e.svc("legbasic", "lb"))
	if len(rules) != 2 {
		t.Fatalf("rules %v", rules)
	}
	ids := map[any]bool{rules[0]["serviceId"]: true, rules[1]["serviceId"]: true}
	if !ids[e.service("legbasic", "web").ID] || !ids[e.service("legbasic", "web2").ID] {
		t.Errorf("rules %v", rules)
	}
	for _, r := range rules {
		if str(r["sourcePort"]) != "80" || str(r["targetPort"]) != "80" {
			t.Errorf("rule %v", r)
		}
	}
}

func TestRow23LegacyLBSSL(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("legssl", `
lb:
  image: rancher/load-balancer-service
  ports:
  - 80:80
  labels:
    io.rancher.loadbalancer.ssl.ports: '80'
  links:
  - web
web:
  image: nginx
`, "up", "-d")
	lb := e.svc("legssl", "lb")
	rules := portRules(lb)
	if len(rules) != 1 || rules[0]["protocol"] != "https" {
		t.Errorf("rules %v", rules)
	}
	if labels, _ := lc(lb)["labels"].(map[string]any); labels["io.rancher.loadbalancer.ssl.ports"] != nil {
		t.Errorf("ssl label kept: %v", labels)
	}
}

func TestRow24To26LegacyLBDefaultPorts(t *testing.T) {
	cases := []struct{ port, wantLaunch, wantSource, wantTarget string }{
		{"80", "80:80/tcp", "80", "80"},
		{"80:8080", "80:80/tcp", "80", "8080"},
		{"80:8080/tcp", "80:80/tcp", "80", "8080"},
	}
	for _, c := range cases {
		e := newEnv(t, sim.Options{})
		e.mustStdin("legports", "lb:\n  image: rancher/load-balancer-service\n  ports:\n  - "+c.port+"\n  links:\n  - web\nweb:\n  image: nginx\n", "up", "-d")
		lb := e.svc("legports", "lb")
		rules := portRules(lb)
		jsonEq(t, c.port+": launch ports", normalizedPorts(lc(lb)), []string{c.wantLaunch})
		if len(rules) != 1 || str(rules[0]["sourcePort"]) != c.wantSource || str(rules[0]["targetPort"]) != c.wantTarget {
			t.Errorf("%s: rules %v", c.port, rules)
		}
	}
}

func TestRow27LegacyLBLabelBasic(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("leglabel", `
lb:
  image: rancher/load-balancer-service
  ports:
  - 80
  links:
  - web
  labels:
    io.rancher.loadbalancer.target.web: hostname:80/path=9090
web:
  image: nginx
`, "up", "-d")
	rules := portRules(e.svc("leglabel", "lb"))
	if len(rules) != 1 || rules[0]["hostname"] != "hostname" || rules[0]["path"] != "/path" || str(rules[0]["targetPort"]) != "9090" {
		t.Errorf("rules %v", rules)
	}
}

func TestRow28LegacyLBPathName(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("legpath", `
lb:
  image: rancher/load-balancer-service
  ports:
  - 80:80
  links:
  - web
  - web2
  labels:
    io.rancher.loadbalancer.target.web: hostname:80/path=9090
web:
  image: nginx
web2:
  image: nginx
`, "up", "-d")
	web := e.service("legpath", "web").ID
	for _, r := range portRules(e.svc("legpath", "lb")) {
		if r["serviceId"] == web && (r["hostname"] != "hostname" || str(r["targetPort"]) != "9090") {
			t.Errorf("web rule %v", r)
		}
		if r["serviceId"] != web && (r["hostname"] != nil && r["hostname"] != "") {
			t.Errorf("the label applied to web2: %v", r)
		}
	}
}

func TestRow29LegacyLBLabelOverride(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("legover", `
lb:
  image: rancher/load-balancer-service
  ports:
  - 80:80
  - 90:90
  links:
  - web
  - web2
  labels:
    io.rancher.loadbalancer.target.web: 80=81,90=91
    io.rancher.loadbalancer.target.web2: 80=82,90=92
web:
  image: nginx
web2:
  image: nginx
`, "up", "-d")
	rules := portRules(e.svc("legover", "lb"))
	web, web2 := e.service("legover", "web").ID, e.service("legover", "web2").ID
	want := []struct {
		id     string
		target string
	}{{web, "81"}, {web2, "82"}, {web, "91"}, {web2, "92"}}
	if len(rules) != 4 {
		t.Fatalf("rules %v", rules)
	}
	for i, w := range want {
		if rules[i]["serviceId"] != w.id || str(rules[i]["targetPort"]) != w.target {
			t.Errorf("rule %d = %v, want service %s target %s", i, rules[i], w.id, w.target)
		}
	}
}

func TestRow30LegacyLBFullConfig(t *testing.T) {
	dir := corpusDir(t, "lb-legacy/docker-compose")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "legfull", "up", "-d"), "up -d")
	cfg, _ := e.svc("legfull", "lb")["lbConfig"].(map[string]any)
	want := "global\n    foo bar\n    \ndefaults\n    def 1\n    \nfrontend 80\n    accept-proxy"
	if cfg["config"] != want {
		t.Errorf("haproxy config %q, want %q", cfg["config"], want)
	}
}

func TestRow65CertNotFound(t *testing.T) {
	dir := corpusDir(t, "ssl/docker-compose")
	e := newEnv(t, sim.Options{})
	r := e.run("-f", dir+"/docker-compose.yml", "-p", "certs", "create")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (certificate cert1 missing)\n%s", r.code, r.stderr)
	}
	if e.sim.Services("certs") == nil {
		return
	}
	for _, s := range e.sim.Services("certs") {
		if s.Name == "lb" {
			t.Errorf("lb created without its certificates")
		}
	}
}

// normalizedPorts lists a load balancer's launch ports as Cattle's setPorts stores them: "80" and
// "80/tcp" are "80:80/tcp".
func normalizedPorts(l map[string]any) []string { return stringsOf(l["ports"]) }

// TestDryRunOfALoadBalancerOnANewStack plans a load balancer whose targets do not exist yet: the plan shows
// every create, and nothing is sent.
func TestDryRunOfALoadBalancerOnANewStack(t *testing.T) {
	e := newEnv(t, sim.Options{})
	r := e.mustStdin("lbdry", `version: '2'
services:
  lb:
    image: rancher/lb-service-haproxy
    ports: [80]
    lb_config:
      port_rules:
      - source_port: 80
        target_port: 80
        service: web
  web:
    image: nginx
`, "up", "-d", "--dry-run", "--format", "json")
	for _, want := range []string{`"name": "lb"`, `"name": "web"`, `"action": "create"`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("plan lacks %s:\n%s", want, r.stdout)
		}
	}
	if st := e.sim.Stats(); st.Mutations != 0 || len(e.sim.Stacks()) != 0 {
		t.Errorf("dry run mutated: %+v", st)
	}
}

// TestForceUpgradeWithALoadBalancerTargetUpgradesEachServiceOnce: web (deployed alone first) links to a new
// LB whose target db is new too, so the LB is built in a second stage; there web only gets its links set,
// it is not force-upgraded a second time.
func TestForceUpgradeWithALoadBalancerTargetUpgradesEachServiceOnce(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := `version: '2'
services:
  lb:
    image: rancher/lb-service-haproxy
    ports: [80]
    lb_config:
      port_rules:
      - source_port: 80
        target_port: 80
        service: db
  web:
    image: nginx
    links: [lb]
  db:
    image: nginx
`
	e.mustStdin("lbforce", c, "up", "-d", "web")
	e.requests()
	e.mustStdin("lbforce", c, "up", "-d", "--force-upgrade")
	jsonEq(t, "web links", e.links("lbforce", "web"), []string{"lb"})
	upgrades := map[string]int{}
	for _, l := range e.requests() {
		if m := upgradeAction.FindStringSubmatch(l); m != nil {
			upgrades[m[1]]++
		}
	}
	if len(upgrades) == 0 {
		t.Fatal("--force-upgrade upgraded nothing")
	}
	for svc, n := range upgrades {
		if n != 1 {
			t.Errorf("%s: %d upgrade/finishupgrade actions, want one upgrade", svc, n)
		}
	}
	if s := e.service("lbforce", "web"); s.State != "upgraded" {
		t.Errorf("web %s after --force-upgrade without -c", s.State)
	}
}

var upgradeAction = regexp.MustCompile(`services/(\w+)/?\?action=(?:upgrade|finishupgrade)`)
