package compose

import (
	"reflect"
	"strings"
	"testing"
)

func TestMalformedYAMLIsReportedWithFileAndLine(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "web:\n  image: [nginx\n"}, Options{})
	d := requireDiag(t, ce.Problems, "docker-compose.yml:", "invalid YAML")
	if d.Pos.Line == 0 {
		t.Fatalf("no line in %v", d)
	}
}

func TestTabIndentIsNamed(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "web:\n  image: nginx\n\tports: []\n"}, Options{})
	d := requireDiag(t, ce.Problems, "tab character")
	if d.Pos.Line != 3 || d.Pos.Col != 1 {
		t.Fatalf("position %v, want line 3 col 1", d.Pos)
	}
}

func TestWrongTypeScaleHasPositionAndPath(t *testing.T) {
	ce := mustFail(t, map[string]string{
		"docker-compose.yml":  "web:\n  image: nginx\n",
		"rancher-compose.yml": "version: '2'\nservices:\n  web:\n    scale: many\n",
	}, Options{})
	d := requireDiag(t, ce.Problems, "rancher-compose.yml:4:12", "services.web.scale", "expected an integer", `"many"`)
	if d.Severity != SeverityError {
		t.Fatal(d)
	}
}

func TestInvalidPortsAreErrors(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": `web:
  image: nginx
  ports:
    - "80:80"
    - "80:http"
    - "70000:80"
    - "8000-8001:80-82"
`}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:5:7", "web.ports[1]", `invalid port "80:http"`)
	requireDiag(t, ce.Problems, "web.ports[2]", "outside 0-65535")
	requireDiag(t, ce.Problems, "web.ports[3]", "ranges differ")
	if _, bad := findDiag(ce.Problems, "web.ports[0]"); bad {
		t.Fatal("80:80 reported")
	}
}

func TestValidPortForms(t *testing.T) {
	for _, spec := range []string{"80", "8080:80", "127.0.0.1:8080:80", "53/udp", "8000-8002:9000-9002", "[::1]:80:80", "9000-9002"} {
		if err := validatePort(spec); err != nil {
			t.Errorf("%s: %v", spec, err)
		}
	}
}

func TestUnparsableMemory(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "web:\n  image: nginx\n  mem_limit: 12xb\n"}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:3:14", "web.mem_limit", `invalid size "12xb"`)
}

func TestMemorySizes(t *testing.T) {
	for in, want := range map[string]int64{"100": 100, "1k": 1024, "512m": 512 << 20, "1.5g": 3 << 29, "2GB": 2 << 30, "64 MiB": 64 << 20} {
		got, err := RAMInBytes(in)
		if err != nil || got != want {
			t.Errorf("RAMInBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

func TestNegativeScale(t *testing.T) {
	ce := mustFail(t, map[string]string{
		"docker-compose.yml":  "web:\n  image: nginx\n",
		"rancher-compose.yml": "web:\n  scale: -2\n",
	}, Options{})
	requireDiag(t, ce.Problems, "rancher-compose.yml:2:10", "web.scale", "must not be negative")
}

func TestUnknownKeyWarnsWithHintAndFailsUnderStrict(t *testing.T) {
	files := map[string]string{"docker-compose.yml": "web:\n  image: nginx\n  privilegd: true\n"}
	p := mustLoad(t, files, Options{})
	d := requireDiag(t, p.Warnings, "docker-compose.yml:3:3", "web.privilegd", `unknown service key "privilegd"`, `did you mean "privileged"?`)
	if d.Severity != SeverityWarning {
		t.Fatal(d)
	}
	ce := mustFail(t, files, Options{Strict: true})
	requireDiag(t, ce.Problems, `unknown service key "privilegd"`)
}

func TestUnknownRancherKeyWarns(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"docker-compose.yml":  "web:\n  image: nginx\n",
		"rancher-compose.yml": "web:\n  scael: 2\n  health_check:\n    prot: 80\n",
	}, Options{})
	requireDiag(t, p.Warnings, `"scael"`, `did you mean "scale"?`)
	requireDiag(t, p.Warnings, "web.health_check.prot", `did you mean "port"?`)
}

func TestUndefinedReferenceTargets(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": `version: '2'
services:
  web:
    image: nginx
    links: [db, "cache: c"]
    depends_on: [queue]
    volumes_from: [data, "container:outside"]
    labels:
      io.rancher.sidekicks: helper
  cache:
    image: redis
`}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:5:13", "services.web.links[0]", `link to service "db" which is undefined`)
	requireDiag(t, ce.Problems, "docker-compose.yml:6:18", "services.web.depends_on[0]", `depends on service "queue"`)
	requireDiag(t, ce.Problems, "docker-compose.yml:7:20", "services.web.volumes_from[0]", `volumes from service "data"`)
	requireDiag(t, ce.Problems, "docker-compose.yml:9:29", `sidekick "helper" is not a service`)
	if _, ok := findDiag(ce.Problems, `"cache"`); ok {
		t.Fatal("the trimmed link 'cache: c' was reported")
	}
	if _, ok := findDiag(ce.Problems, "outside"); ok {
		t.Fatal("container: volumes_from reported")
	}
	if len(ce.Problems) != 4 {
		t.Fatalf("want all 4 problems at once, got %v", ce.Problems)
	}
}

func TestDependsOnCycleIsFatalLinkCycleIsNot(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": `version: '2.1'
services:
  a: {image: x, depends_on: [b]}
  b: {image: x, depends_on: {c: {condition: service_healthy}}}
  c: {image: x, depends_on: [a]}
`}, Options{})
	requireDiag(t, ce.Problems, "dependency cycle: a -> b -> c -> a")
	mustLoad(t, map[string]string{"docker-compose.yml": "a: {image: x, links: [b, a]}\nb: {image: x, links: [a]}\n"}, Options{})
}

func TestServiceNamesTheAPIWouldReject(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": `version: '2'
services:
  my_app: {image: x}
  web.1: {image: x}
  -lead: {image: x}
  a--b: {image: x}
  Web: {image: x}
  web: {image: x}
`}, Options{})
	requireDiag(t, ce.Problems, `service name "my_app"`, "'_'")
	requireDiag(t, ce.Problems, `service name "web.1"`)
	requireDiag(t, ce.Problems, `service name "-lead"`, "start with a letter")
	requireDiag(t, ce.Problems, `service name "a--b"`)
	requireDiag(t, ce.Problems, "differ only in case")
}

func TestStackNameTheAPIWouldReject(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "web: {image: x}\n"}, Options{ProjectName: "app_"})
	requireDiag(t, ce.Problems, `stack name "app-"`, "must not end with '-'")
}

func TestDuplicateKeysLastWinsWithWarningNamingBothLines(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": "web:\n  image: one\n  ports: ['1:1']\n  image: two\n"}, Options{})
	if got := svc(t, p, "web").Compose.Image; got != "two" {
		t.Fatalf("image %q, want the later value", got)
	}
	requireDiag(t, p.Warnings, "docker-compose.yml:4:3", `duplicate key "image" (first at line 2)`)
}

func TestMissingAndEmptyFiles(t *testing.T) {
	ce := mustFail(t, map[string]string{"other.yml": "web: {image: x}\n"}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml: file not found")
	ce = mustFail(t, map[string]string{"docker-compose.yml": "# nothing yet\n"}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml", "the file is empty")
	ce = mustFail(t, map[string]string{"docker-compose.yml": "web: {image: x}\n"}, Options{RancherFile: "nope.yml"})
	requireDiag(t, ce.Problems, "nope.yml: file not found")
	ce = mustFail(t, map[string]string{"docker-compose.yml": "web: {image: x}\n"}, Options{EnvFile: "nope.env"})
	requireDiag(t, ce.Problems, "env-file")
}

func TestAllProblemsAtOnceSortedByPosition(t *testing.T) {
	ce := mustFail(t, map[string]string{
		"docker-compose.yml":  "web:\n  image: nginx\n  mem_limit: lots\n  ports: ['x']\n  links: [nope]\n",
		"rancher-compose.yml": "web:\n  scale: many\n  retain_ip: maybe\n",
	}, Options{})
	if len(ce.Problems) != 5 {
		t.Fatalf("want 5 problems, got %d:\n%v", len(ce.Problems), ce)
	}
	msg := ce.Error()
	for _, part := range []string{"5 problems", "mem_limit", "ports[0]", "links", "scale", "retain_ip"} {
		if !strings.Contains(msg, part) {
			t.Errorf("error text lacks %q:\n%s", part, msg)
		}
	}
	files := []string{}
	for _, d := range ce.Problems {
		files = append(files, d.Pos.File)
	}
	if !reflect.DeepEqual(files[len(files)-2:], []string{"rancher-compose.yml", "rancher-compose.yml"}) {
		t.Fatalf("not sorted by file: %v", files)
	}
}

func TestV1NeedsExactlyOneOfImageAndBuild(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "a: {command: x}\nb: {image: x, build: .}\n"}, Options{})
	requireDiag(t, ce.Problems, "a: service has neither an image nor a build")
	requireDiag(t, ce.Problems, "b: service has both an image and a build")
}

func TestUnsupportedVersion(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "version: '4'\nservices: {web: {image: x}}\n"}, Options{})
	requireDiag(t, ce.Problems, `unsupported compose file version "4"`)
}

func TestSidekickCannotHaveSidekicksOrTwoPrimaries(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": `a: {image: x, labels: {io.rancher.sidekicks: b}}
b: {image: x, labels: {io.rancher.sidekicks: c}}
c: {image: x}
d: {image: x, labels: {io.rancher.sidekicks: "d"}}
`}, Options{})
	requireDiag(t, ce.Problems, `"b" is a sidekick of "a" and cannot have sidekicks`)
	requireDiag(t, ce.Problems, `"d" names itself`)
}

func TestAliasBombIsRejected(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
		"g: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	ce := mustFail(t, map[string]string{"docker-compose.yml": bomb}, Options{})
	requireDiag(t, ce.Problems, "expands to more than")
}
