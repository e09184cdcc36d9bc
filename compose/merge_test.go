package compose

import (
	"context"
	"reflect"
	"testing"
)

func TestMultipleFilesMergeListsMapsScalarsAndImageBuild(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"a.yml": `version: '2'
services:
  web:
    image: nginx
    ports: ["80:80"]
    environment: [A=1, B=1]
    labels: {l1: a, l2: a}
    command: one
  api:
    build: ./api
  only-a: {image: x}
`,
		"b.yml": `web:
  ports: ["443:443"]
  environment: {B: 2, C: 3}
  labels: [l2=b]
  command: two
api:
  image: api:latest
`,
	}, Options{Files: []string{"a.yml", "b.yml"}})
	web := svc(t, p, "web").Compose
	if !reflect.DeepEqual(web.Ports, []string{"80:80", "443:443"}) {
		t.Errorf("ports %q: lists concatenate", web.Ports)
	}
	if !reflect.DeepEqual(web.Environment, map[string]string{"A": "1", "B": "2", "C": "3"}) {
		t.Errorf("environment %v", web.Environment)
	}
	if !reflect.DeepEqual(web.Labels, map[string]string{"l1": "a", "l2": "b"}) {
		t.Errorf("labels %v: maps merge, right wins", web.Labels)
	}
	if !reflect.DeepEqual(web.Command, []string{"two"}) {
		t.Errorf("command %q: scalars replace", web.Command)
	}
	api := svc(t, p, "api").Compose
	if api.Image != "api:latest" || api.Build != nil {
		t.Errorf("api %+v: image deletes build", api)
	}
	if !reflect.DeepEqual(p.ComposeFiles, []string{"a.yml", "b.yml"}) || p.Service("only-a") == nil {
		t.Errorf("files %v services %v", p.ComposeFiles, p.ServiceNames())
	}
}

func TestDefaultFilesIncludeOverride(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"docker-compose.yml":          "web: {image: x, ports: ['80']}\n",
		"docker-compose.override.yml": "web: {ports: ['81']}\n",
	}, Options{})
	if got := svc(t, p, "web").Compose.Ports; !reflect.DeepEqual(got, []string{"80", "81"}) {
		t.Fatalf("ports %q", got)
	}
	if !reflect.DeepEqual(p.ComposeFiles, []string{DefaultComposeFile, DefaultOverrideFile}) {
		t.Fatalf("files %v", p.ComposeFiles)
	}
}

func TestExtendsWithFileAndInFile(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"base.yml": `base:
  image: base
  ports: ["1000"]
  environment: {bar: baz, d: e}
`,
		"sub/docker-compose.yml": `web:
  extends: {file: ../base.yml, service: base}
  ports: ["2000"]
  environment: {foo: bar}
child:
  extends: {service: web}
  image: child
`,
	}, Options{Files: []string{"sub/docker-compose.yml"}})
	web := svc(t, p, "web").Compose
	if web.Image != "base" || !reflect.DeepEqual(web.Ports, []string{"1000", "2000"}) ||
		!reflect.DeepEqual(web.Environment, map[string]string{"bar": "baz", "d": "e", "foo": "bar"}) {
		t.Errorf("web %+v", web)
	}
	child := svc(t, p, "child").Compose
	if child.Image != "child" || !reflect.DeepEqual(child.Ports, []string{"1000", "2000"}) {
		t.Errorf("child %+v", child)
	}
	if p.Service("base") != nil {
		t.Error("the extended file's services must not join the project")
	}
}

func TestExtendingAServiceWithLinksFails(t *testing.T) {
	ce := mustFail(t, map[string]string{
		"common.yml":         "db:\n  image: x\n  links: [other]\nother: {image: x}\n",
		"docker-compose.yml": "db:\n  extends: {file: common.yml, service: db}\n",
	}, Options{})
	requireDiag(t, ce.Problems, `Cannot extend service "db" in common.yml: services with "links" cannot be extended`)
}

func TestExtendsErrors(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": `a: {extends: {service: b}, image: x}
b: {extends: {service: a}, image: x}
c: {extends: {service: nope}, image: x}
d: {extends: {file: gone.yml, service: x}, image: x}
`}, Options{})
	requireDiag(t, ce.Problems, "extends cycle")
	requireDiag(t, ce.Problems, `cannot extend service "nope"`)
	requireDiag(t, ce.Problems, "file not found")
}

func TestRelativeWorkDirResolvesExtendsFiles(t *testing.T) {
	dir := writeProject(t, map[string]string{
		"app/common.yml":         "web:\n  image: nginx\n",
		"app/docker-compose.yml": "web:\n  extends:\n    file: common.yml\n    service: web\n",
	})
	t.Chdir(dir)
	p, err := Load(context.Background(), Options{WorkDir: "app"})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Service("web").Compose.Image; got != "nginx" {
		t.Fatalf("image = %q, want nginx", got)
	}
}
