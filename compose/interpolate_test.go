package compose

import (
	"context"
	"reflect"
	"strings"
	"testing"
)

func TestInterpolationInComposeAndRancherFiles(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"docker-compose.yml":  "web:\n  image: ${IMG}:${TAG:-latest}\n  labels: {var: $IMG, cost: $$5}\n  ports: [\"${PORT}:80\"]\n",
		"rancher-compose.yml": "web:\n  scale: ${SCALE}\n  health_check: {port: \"${PORT}\"}\n  metadata: {var: $IMG}\n  retain_ip: ${RETAIN}\n",
		"vars.env":            "IMG=nginx\nSCALE=3\n",
	}, Options{EnvFile: "vars.env", Environ: []string{"PORT=8080", "IMG=ignored", "RETAIN=true"}})
	s := svc(t, p, "web")
	if s.Compose.Image != "nginx:latest" || s.Compose.Labels["var"] != "nginx" || s.Compose.Labels["cost"] != "$5" {
		t.Errorf("compose %+v", s.Compose)
	}
	if !reflect.DeepEqual(s.Compose.Ports, []string{"8080:80"}) {
		t.Errorf("ports %q", s.Compose.Ports)
	}
	if *s.Rancher.Scale != 3 || s.Rancher.HealthCheck.Port != 8080 || s.Rancher.Metadata["var"] != "nginx" || !s.Rancher.RetainIP {
		t.Errorf("rancher %+v %+v", s.Rancher, s.Rancher.HealthCheck)
	}
	byName := map[string]Variable{}
	for _, v := range p.Variables {
		byName[v.Name] = v
	}
	if v := byName["IMG"]; v.Source != "env-file" || v.Value != "nginx" || len(v.Uses) != 3 {
		t.Errorf("IMG %+v", v)
	}
	if v := byName["PORT"]; v.Source != "OS" || len(v.Uses) != 2 {
		t.Errorf("PORT %+v", v)
	}
	if v := byName["TAG"]; v.Source != "unset" {
		t.Errorf("TAG %+v", v)
	}
	if _, ok := findDiag(p.Warnings, "TAG"); ok {
		t.Error("${TAG:-latest} has a default: no warning expected")
	}
}

func TestUnsetVariableWarnsWithEveryUseAndFailsUnderStrict(t *testing.T) {
	files := map[string]string{
		"docker-compose.yml":  "web:\n  image: x$B\n  environment: {X: \"a${B}\"}\n",
		"rancher-compose.yml": "web:\n  metadata: {m: $B}\n",
	}
	p := mustLoad(t, files, Options{})
	d := requireDiag(t, p.Warnings, "variable B is not set", "docker-compose.yml:2:11", "docker-compose.yml:3:22", "rancher-compose.yml:2:17")
	if d.Severity != SeverityWarning {
		t.Fatal(d)
	}
	if got := svc(t, p, "web").Compose.Environment["X"]; got != "a" {
		t.Fatalf("X=%q, want a blank substitution", got)
	}
	ce := mustFail(t, files, Options{Strict: true})
	requireDiag(t, ce.Problems, "variable B is not set", "docker-compose.yml:2:11", "rancher-compose.yml:2:17")
}

func TestRancherMacrosStayVerbatimInAffinityLabelsOnly(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `web:
  image: x
  labels:
    io.rancher.scheduler.affinity:container_label_ne: io.rancher.stack_service.name=${stack_name}/${service_name}
    other: ${stack_name}
side:
  image: x
  labels:
    - io.rancher.scheduler.affinity:host_label=${container_name}
`}, Options{})
	l := svc(t, p, "web").Compose.Labels
	if l["io.rancher.scheduler.affinity:container_label_ne"] != "io.rancher.stack_service.name=${stack_name}/${service_name}" {
		t.Errorf("affinity label %q", l["io.rancher.scheduler.affinity:container_label_ne"])
	}
	if l["other"] != "" {
		t.Errorf("other label %q: outside affinity labels the variable is blanked", l["other"])
	}
	if got := svc(t, p, "side").Compose.Labels["io.rancher.scheduler.affinity:host_label"]; got != "${container_name}" {
		t.Errorf("list-form affinity label %q", got)
	}
	d := requireDiag(t, p.Warnings, "${stack_name} is not set; left verbatim")
	if d.Severity != SeverityInfo {
		t.Error(d)
	}
	requireDiag(t, p.Warnings, "variable stack_name is not set", "docker-compose.yml:5:12")
	p = mustLoad(t, map[string]string{"docker-compose.yml": "web:\n  image: x\n  labels: {io.rancher.scheduler.affinity:host_label: \"${stack_name}\"}\n"},
		Options{Environ: []string{"stack_name=mine"}})
	if got := svc(t, p, "web").Compose.Labels["io.rancher.scheduler.affinity:host_label"]; got != "mine" {
		t.Errorf("a set macro variable is substituted, got %q", got)
	}
}

func TestInterpolationSyntaxErrorHasPosition(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "web:\n  image: \"x${\"\n  command: ok $\n"}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:2:", "web.image", "invalid interpolation")
	requireDiag(t, ce.Problems, "docker-compose.yml:3:", "web.command")
	ce = mustFail(t, map[string]string{"docker-compose.yml": "web:\n  image: ${IMG:?set IMG}\n"}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:2:10", "required variable IMG is not set or is empty: set IMG")
}

func TestKeysAndNonStringsAreNotInterpolated(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": "web:\n  image: x\n  labels: {$KEY: v}\n"}, Options{Environ: []string{"KEY=k"}})
	if _, ok := svc(t, p, "web").Compose.Labels["$KEY"]; !ok {
		t.Fatalf("labels %v: keys are not interpolated", svc(t, p, "web").Compose.Labels)
	}
}

func TestCatalogDefaultsFillUnsetVariables(t *testing.T) {
	for _, rc := range []string{
		".catalog:\n  name: app\n  questions:\n    - variable: TAG\n      default: \"1.2\"\n    - variable: PORT\n      default: 80\nweb:\n  scale: 1\n",
		"version: '2'\ncatalog:\n  questions: [{variable: TAG, default: \"1.2\"}, {variable: PORT, default: 80}]\nservices:\n  web: {scale: 1}\n",
		"version: '2'\nservices:\n  .catalog:\n    questions: [{variable: TAG, default: \"1.2\"}, {variable: PORT, default: 80}]\n  web: {scale: 1}\n",
	} {
		p := mustLoad(t, map[string]string{
			"docker-compose.yml":  "web:\n  image: app:${TAG}\n  ports: [\"${PORT}\"]\n",
			"rancher-compose.yml": rc,
			"answers.env":         "PORT=8080\n",
		}, Options{EnvFile: "answers.env"})
		s := svc(t, p, "web")
		if s.Compose.Image != "app:1.2" || s.Compose.Ports[0] != "8080" {
			t.Errorf("%q: %+v", rc, s.Compose)
		}
		if p.Catalog == nil || len(p.Catalog.Questions) != 2 || p.Service(".catalog") != nil || p.Service("catalog") != nil {
			t.Errorf("%q: catalog %+v services %v", rc, p.Catalog, p.ServiceNames())
		}
		if _, ok := findDiag(p.Warnings, "catalog"); ok {
			t.Errorf("%q: catalog must not be reported as a service: %v", rc, p.Warnings)
		}
	}
}

func TestDotEnvBesideFirstFileHasLowestPrecedence(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"app/docker-compose.yml": "web:\n  image: ${IMG}\n  environment: {A: $A}\n",
		"app/.env":               "IMG=from-dotenv\nA=from-dotenv\n",
	}, Options{Files: []string{"app/docker-compose.yml"}, Environ: []string{"A=from-os"}})
	c := svc(t, p, "web").Compose
	if c.Image != "from-dotenv" || c.Environment["A"] != "from-os" {
		t.Fatalf("%+v", c)
	}
}

func TestStdinComposeFile(t *testing.T) {
	dir := writeProject(t, map[string]string{"rancher-compose.yml": "web: {scale: 4}\n"})
	p, err := Load(context.Background(), Options{Files: []string{"-"}, WorkDir: dir, Stdin: strings.NewReader("web: {image: x}\n")})
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "proj" || *svc(t, p, "web").Rancher.Scale != 4 || p.ComposeFiles[0] != "-" {
		t.Fatalf("name %q files %v", p.Name, p.ComposeFiles)
	}
}

func TestProjectNameRules(t *testing.T) {
	cases := map[string]string{
		"something-with-dashes-v0.2.6": "something-with-dashes-v0-2-6",
		"My_App":                       "my-app",
		"_private":                     "x-private",
		".hidden":                      "x-hidden",
		"FooBar23":                     "foobar23",
	}
	for in, want := range cases {
		if got := SanitizeProjectName(in); got != want {
			t.Errorf("SanitizeProjectName(%q) = %q, want %q", in, got, want)
		}
	}
	p := mustLoad(t, map[string]string{"Some.Dir/docker-compose.yml": "web: {image: x}\n"}, Options{Files: []string{"Some.Dir/docker-compose.yml"}})
	if p.Name != "some-dir" {
		t.Errorf("directory name: %q", p.Name)
	}
	p = mustLoad(t, map[string]string{"docker-compose.yml": "web: {image: x}\n"}, Options{ProjectName: "Stack_1"})
	if p.Name != "stack-1" {
		t.Errorf("-p: %q", p.Name)
	}
}

func TestBlankedValuesDowngradeToWarnings(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"docker-compose.yml":  "web:\n  image: x\n  ports: [\"${PUBLIC}:3000\"]\n",
		"rancher-compose.yml": "web:\n  scale: $scale\n  lb_config: {port_rules: [{source_port: \"${SRC}\"}]}\n",
	}, Options{})
	requireDiag(t, p.Warnings, "web.ports[0]", `invalid port ":3000"`, "unset variable")
	if r := svc(t, p, "web").Rancher; r.Scale != nil || r.LBConfig.PortRules[0].SourcePort != 0 {
		t.Fatalf("rancher %+v", r)
	}
	ce := mustFail(t, map[string]string{"docker-compose.yml": "web:\n  image: x\n  ports: [\"${PUBLIC}:3000\"]\n"}, Options{Strict: true})
	requireDiag(t, ce.Problems, "variable PUBLIC is not set")
}

func TestMessagesNeverQuoteSecretValues(t *testing.T) {
	ce := mustFail(t, map[string]string{
		"docker-compose.yml":  "web:\n  image: x\n  mem_limit: ${DB_PASSWORD}\n  ports: [\"${API_TOKEN}\"]\n",
		"rancher-compose.yml": "web:\n  scale: ${DB_PASSWORD}\n",
	}, Options{Environ: []string{"DB_PASSWORD=hunter2", "API_TOKEN=tok3n"}})
	if msg := ce.Error(); strings.Contains(msg, "hunter2") || strings.Contains(msg, "tok3n") {
		t.Fatalf("secret printed:\n%s", msg)
	}
	if len(ce.Problems) != 3 {
		t.Fatalf("want 3 problems, got %v", ce)
	}
}
