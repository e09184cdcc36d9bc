package e2e

// Rows of original-behavior.md §4.1 (the original's test_compose.py) about links, circles, deletes and
// project names, replayed through the CLI against the simulator. The row number is in each test's name.

import (
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

func TestRow05Delete(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := "web:\n  image: nginx\n"
	e.mustStdin("del", c, "create")
	if s := e.service("del", "web"); s.State != "inactive" {
		t.Errorf("after create: %s", s.State)
	}
	e.mustStdin("del", c, "up", "-d")
	if s := e.service("del", "web"); s.State != "active" {
		t.Errorf("after up -d: %s", s.State)
	}
	e.mustStdin("del", c, "rm", "--force")
	if n := len(e.sim.Services("del")); n != 0 {
		t.Errorf("%d services after rm --force", n)
	}
}

func TestRow07DeleteWhileStopped(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := "web:\n  image: nginx\n"
	e.mustStdin("del", c, "create")
	e.mustStdin("del", c, "rm", "web")
	if n := len(e.sim.Services("del")); n != 0 {
		t.Errorf("%d services after rm web", n)
	}
}

func TestRow31Links(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("links", `
web:
  image: nginx
  links: [db, cache]
db:
  image: mysql
  links: [cache]
cache:
  image: redis
`, "create")
	jsonEq(t, "web links", e.links("links", "web"), []string{"cache", "db"})
	jsonEq(t, "db links", e.links("links", "db"), []string{"cache"})
	jsonEq(t, "cache links", e.links("links", "cache"), []string(nil))
}

func TestRow46UpRelink(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("relink", `
lb:
  image: nginx
  labels: {a: b, c: d}
  links: [web]
web:
  image: nginx
web2:
  image: nginx
`, "up", "-d")
	jsonEq(t, "links", e.links("relink", "lb"), []string{"web"})
	e.mustStdin("relink", `
lb:
  image: nginx
  labels: {a: b, c: d}
  links: [web2]
web:
  image: nginx
web2:
  image: nginx
`, "up", "-d")
	jsonEq(t, "links after relink", e.links("relink", "lb"), []string{"web2"})
	labels := lc(e.svc("relink", "lb"))["labels"].(map[string]any)
	delete(labels, "io.rancher.service.hash")
	jsonEq(t, "labels", labels, map[string]string{"a": "b", "c": "d"})
}

func TestRow50ServiceMapSyntax(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("maps", "foo:\n  image: nginx\n  links: ['web:alias']\nweb:\n  image: nginx\n", "up", "-d")
	jsonEq(t, "links", e.links("maps", "foo"), []string{"web:alias"})
}

func TestRow51CrossStackLink(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("target", "dest:\n  image: nginx\n", "up", "-d")
	e.mustStdin("source", "web:\n  image: nginx\n  external_links: [target/dest]\n", "up", "-d")
	jsonEq(t, "links", e.links("source", "web"), []string{"dest"})
}

func TestRow52UpDeletesLinks(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("dl", "web:\n  image: nginx\n  links: [db]\ndb:\n  image: nginx\n", "up", "-d")
	jsonEq(t, "links", e.links("dl", "web"), []string{"db"})
	e.mustStdin("dl", "web:\n  image: nginx\ndb:\n  image: nginx\n", "up", "-d")
	jsonEq(t, "links after removing them", e.links("dl", "web"), []string(nil))
}

func TestRow55ServiceLinkWithSpace(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("space", "foo:\n  image: nginx\n  links: ['web: alias']\nweb:\n  image: nginx\n", "up", "-d")
	jsonEq(t, "links", e.links("space", "foo"), []string{"web:alias"})
}

func TestRow56CircleSimple(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("circle", "foo:\n  image: nginx\n  links: [web]\nweb:\n  image: nginx\n  links: [foo]\n", "create")
	jsonEq(t, "foo", e.links("circle", "foo"), []string{"web"})
	jsonEq(t, "web", e.links("circle", "web"), []string{"foo"})
}

func TestRow57OneCircle(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("self", "foo:\n  image: nginx\n  links: [foo]\n", "create")
	jsonEq(t, "foo", e.links("self", "foo"), []string{"foo"})
}

const circleMadness = `
foo:
  image: nginx
  links: [foo, web, db]
web:
  image: nginx
  links: [foo, web, db]
db:
  image: nginx
  links: [foo, web, db]
`

func TestRow58CircleMadness(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("madness", circleMadness, "up", "-d")
	for _, n := range []string{"foo", "web", "db"} {
		jsonEq(t, n, e.links("madness", n), []string{"db", "foo", "web"})
		if s := e.service("madness", n); s.State != "active" {
			t.Errorf("%s: %s", n, s.State)
		}
	}
}

func TestRow69CreateThenUpOnCircle(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := `
etcd-lb:
  image: rancher/load-balancer-service
  links: ['etcd0:etcd0', 'etcd1:etcd1', 'etcd2:etcd2']
etcd0:
  image: busybox
  links: ['etcd1:etcd1', 'etcd2:etcd2']
etcd1:
  image: busybox
  links: ['etcd0:etcd0', 'etcd2:etcd2']
etcd2:
  image: busybox
  links: ['etcd0:etcd0', 'etcd1:etcd1']
`
	e.mustStdin("etcd", c, "create")
	e.mustStdin("etcd", c, "up", "-d")
	want := map[string]int{"etcd-lb": 3, "etcd0": 2, "etcd1": 2, "etcd2": 2}
	for n, count := range want {
		if got := e.links("etcd", n); len(got) != count {
			t.Errorf("%s: links %v, want %d", n, got, count)
		}
	}
}

func TestRow71CreateNoUpdateLinks(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("nolinks", "foo:\n  image: nginx\n  links: [foo2]\nfoo2:\n  image: nginx\n", "up", "-d")
	jsonEq(t, "links", e.links("nolinks", "foo"), []string{"foo2"})
	e.mustStdin("nolinks", "foo:\n  image: nginx\n  links: [foo3]\nfoo2:\n  image: nginx\nfoo3:\n  image: nginx\n", "create")
	jsonEq(t, "links of the active service after create", e.links("nolinks", "foo"), []string{"foo2"})
}

func TestRow79CyclicLinkDependency(t *testing.T) {
	dir := corpusDir(t, "cyclic-link-dependency/docker-compose")
	e := newEnv(t, sim.Options{})
	e.must(e.run("-f", dir+"/docker-compose.yml", "-p", "cyclic", "up", "-d"), "up -d")
	for _, s := range e.sim.Services("cyclic") {
		if s.State != "active" {
			t.Errorf("%s: %s", s.Name, s.State)
		}
	}
	if len(e.sim.Services("cyclic")) == 0 {
		t.Error("nothing deployed")
	}
}

func TestRow63StackCase(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.mustStdin("teststackcase", "web:\n  image: nginx\n", "create")
	e.mustStdin("TESTSTACKCASE", "web:\n  image: nginx\n", "up", "-d")
	if n := len(e.sim.Stacks()); n != 1 {
		t.Errorf("%d stacks, want the lowercase one reused", n)
	}
}

func TestRow66And67ProjectNameReusesMixedCaseStack(t *testing.T) {
	e := newEnv(t, sim.Options{})
	createStackNamed(t, e, "FooBar23-mixed")
	e.mustStdin("FooBar23-mixed", "web:\n  image: nginx\n", "create")
	e.mustStdin("fOoBaR23-MIXED", "web2:\n  image: nginx\n", "create")
	stacks := e.sim.Stacks()
	if len(stacks) != 1 || stacks[0].Name != "FooBar23-mixed" {
		t.Fatalf("stacks %+v", stacks)
	}
	if n := len(e.sim.Services("FooBar23-mixed")); n != 2 {
		t.Errorf("%d services in the pre-created stack, want 2", n)
	}
}

func TestRow68ProjectNameWithDots(t *testing.T) {
	dir := corpusDir(t, "something-with-dashes-v0.2.6/docker-compose")
	e := newEnv(t, sim.Options{})
	// The original ran in the project directory named something-with-dashes-v0.2.6.
	work := t.TempDir() + "/something-with-dashes-v0.2.6"
	copyFile(t, dir+"/docker-compose.yml", work+"/docker-compose.yml")
	e.must(e.runIn(t.Context(), work, "", "create"), "create")
	stacks := e.sim.Stacks()
	if len(stacks) != 1 || stacks[0].Name != "something-with-dashes-v0-2-6" {
		t.Errorf("stacks %+v", stacks)
	}
}

func TestRow62RestartNo(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := "web:\n  image: nginx\n  restart: \"no\"\n"
	e.mustStdin("restartno", c, "create")
	e.mustStdin("restartno", c, "up", "-d")
	if s := e.service("restartno", "web"); s.State != "active" {
		t.Errorf("web: %s", s.State)
	}
}

func TestRow74NoUpdateSelectorLink(t *testing.T) {
	e := newEnv(t, sim.Options{})
	c := `
parent:
  labels:
    io.rancher.service.selector.link: foo=bar
  image: busybox
child:
  labels:
    foo: bar
  image: busybox
`
	e.mustStdin("selector", c, "up", "-d")
	before := e.links("selector", "parent")
	parent := e.service("selector", "parent").ID
	e.requests()
	e.mustStdin("selector", c, "up", "-d", "parent")
	for _, l := range e.requests() {
		if strings.Contains(l, "services/"+parent+"/?action=setservicelinks") || strings.Contains(l, "services/"+parent+"?action=setservicelinks") {
			t.Errorf("links of a selector-linked service were posted: %s", l)
		}
	}
	jsonEq(t, "server-managed links after up -d parent", e.links("selector", "parent"), before)
}
