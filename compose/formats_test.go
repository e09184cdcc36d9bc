package compose

import (
	"reflect"
	"testing"
)

func TestV1LayoutConvertsNetBuildAndLogging(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `web:
  build: ./app
  dockerfile: Dockerfile.prod
  net: container:side
  log_driver: syslog
  log_opt: {tag: web}
  ports:
    - 8080
    - 0755
  expose: [1000]
`}, Options{})
	c := svc(t, p, "web").Compose
	if c.NetworkMode != "container:side" {
		t.Errorf("network_mode %q", c.NetworkMode)
	}
	if c.Build == nil || c.Build.Context != "./app" || c.Build.Dockerfile != "Dockerfile.prod" {
		t.Errorf("build %+v", c.Build)
	}
	if c.Logging == nil || c.Logging.Driver != "syslog" || c.Logging.Options["tag"] != "web" {
		t.Errorf("logging %+v", c.Logging)
	}
	if !reflect.DeepEqual(c.Ports, []string{"8080", "0755"}) || !reflect.DeepEqual(c.Expose, []string{"1000"}) {
		t.Errorf("ports %q expose %q: want each element's YAML text", c.Ports, c.Expose)
	}
	requireDiag(t, p.Warnings, "network_mode container:side")
}

func TestVersion2AndNoVersionWithServices(t *testing.T) {
	for _, header := range []string{"version: '2'\n", "version: \"2.0\"\n", "version: 2\n", ""} {
		p := mustLoad(t, map[string]string{"docker-compose.yml": header + `services:
  web:
    build: {context: ., dockerfile: Dockerfile, args: [A=1]}
    network_mode: host
volumes:
  data: {driver: local, external: {name: shared}}
`}, Options{})
		c := svc(t, p, "web").Compose
		if c.NetworkMode != "host" || c.Build.Context != "." || c.Build.Args["A"] != "1" {
			t.Errorf("%q: %+v %+v", header, c, c.Build)
		}
		if v := p.Volumes["data"]; v == nil || !v.External || v.ExternalName != "shared" || v.Driver != "local" {
			t.Errorf("%q: volumes %+v", header, p.Volumes)
		}
	}
}

func TestVersion21HealthcheckIsKeptWithWarning(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `version: '2.4'
services:
  web:
    image: nginx
    healthcheck:
      test: curl -f http://localhost/
      interval: 30s
      retries: "3"
    init: true
`}, Options{})
	h := svc(t, p, "web").Compose.Healthcheck
	want := &Healthcheck{Test: []string{"CMD-SHELL", "curl -f http://localhost/"}, Interval: "30s", Retries: 3}
	if !reflect.DeepEqual(h, want) {
		t.Fatalf("healthcheck %+v", h)
	}
	requireDiag(t, p.Warnings, "docker-compose.yml:6:7", "services.web.healthcheck", "health_check")
	requireDiag(t, p.Warnings, "docker-compose.yml:9:5", `"init"`, "cannot honour")
}

func TestVersion3DeployMapsReplicasAndMemory(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `version: '3.8'
services:
  web:
    image: nginx
    ports:
      - target: 80
        published: 8080
        protocol: tcp
    volumes:
      - type: bind
        source: /data
        target: /srv
        read_only: true
    deploy:
      replicas: 4
      resources:
        limits: {memory: 256M, cpus: '0.5'}
      placement: {constraints: [node.role == worker]}
    secrets: [token]
secrets:
  token: {file: ./t}
`}, Options{})
	s := svc(t, p, "web")
	if s.Scale() != 4 {
		t.Errorf("scale %d, want deploy.replicas 4", s.Scale())
	}
	if s.Compose.MemLimit != 256<<20 {
		t.Errorf("mem_limit %d", s.Compose.MemLimit)
	}
	if !reflect.DeepEqual(s.Compose.Ports, []string{"8080:80/tcp"}) || !reflect.DeepEqual(s.Compose.Volumes, []string{"/data:/srv:ro"}) {
		t.Errorf("ports %q volumes %q", s.Compose.Ports, s.Compose.Volumes)
	}
	requireDiag(t, p.Warnings, "web.deploy.resources.limits.cpus", "cannot honour")
	requireDiag(t, p.Warnings, "web.deploy.placement", "cannot honour")
	requireDiag(t, p.Warnings, "web.secrets", "cannot honour")
	requireDiag(t, p.Warnings, `top-level "secrets"`)
}

func TestRancherScaleWinsOverDeployReplicas(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"docker-compose.yml":  "version: '3'\nservices:\n  web:\n    image: x\n    deploy: {replicas: 4}\n  db:\n    image: x\n",
		"rancher-compose.yml": "version: '2'\nservices:\n  web:\n    scale: 2\n",
	}, Options{})
	if got := svc(t, p, "web").Scale(); got != 2 {
		t.Fatalf("scale %d", got)
	}
	if got := svc(t, p, "db").Scale(); got != 1 {
		t.Fatalf("default scale %d", got)
	}
}

func TestCommandIsShellSplit(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `web:
  image: x
  command: /bin/foo "a b" 'c d' e\ f
  entrypoint: [sh, -c]
`}, Options{})
	c := svc(t, p, "web").Compose
	if !reflect.DeepEqual(c.Command, []string{"/bin/foo", "a b", "c d", "e f"}) || !reflect.DeepEqual(c.Entrypoint, []string{"sh", "-c"}) {
		t.Fatalf("command %q entrypoint %q", c.Command, c.Entrypoint)
	}
}

func TestEnvironmentAndLabelsListOrMap(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `a:
  image: x
  environment: [A=1, "B=x=y", BUILD_NUMBER, UNSET_ONE, "SPACE=a "]
  labels: [l1=v, l2, " l3=v "]
b:
  image: x
  environment: {A: 1, B: true, C: 1.10, BUILD_NUMBER: , UNSET_ONE: }
  labels: {l1: yes, l2: 0x1F, l3: "0x1F"}
`}, Options{Environ: []string{"BUILD_NUMBER=42"}})
	a, b := svc(t, p, "a").Compose, svc(t, p, "b").Compose
	if !reflect.DeepEqual(a.Environment, map[string]string{"A": "1", "B": "x=y", "BUILD_NUMBER": "42", "SPACE": "a "}) {
		t.Errorf("list env %v", a.Environment)
	}
	if !reflect.DeepEqual(b.Environment, map[string]string{"A": "1", "B": "true", "C": "1.1", "BUILD_NUMBER": "42"}) {
		t.Errorf("map env %v", b.Environment)
	}
	if !reflect.DeepEqual(a.Labels, map[string]string{"l1": "v", "l2": "", "l3": "v"}) {
		t.Errorf("list labels %v", a.Labels)
	}
	if !reflect.DeepEqual(b.Labels, map[string]string{"l1": "true", "l2": "31", "l3": "0x1F"}) {
		t.Errorf("map labels %v (want the original's fmt.Sprint of yaml.v2 values)", b.Labels)
	}
}

func TestEnvFileAndEnvironmentPrecedence(t *testing.T) {
	p := mustLoad(t, map[string]string{
		"sub/docker-compose.yml": "web:\n  image: x\n  env_file: [one.env, two.env]\n  environment: {a: b}\n",
		"sub/one.env":            "# comment\n\nenv=1\nfoo=bar\na=from-file\nq=\"kept\"\n",
		"sub/two.env":            "env=2\nd=e\n",
	}, Options{Files: []string{"sub/docker-compose.yml"}})
	want := map[string]string{"env": "2", "foo": "bar", "a": "b", "d": "e", "q": `"kept"`}
	if got := svc(t, p, "web").Compose.Environment; !reflect.DeepEqual(got, want) {
		t.Fatalf("environment %v, want %v", got, want)
	}
	ce := mustFail(t, map[string]string{"docker-compose.yml": "web:\n  image: x\n  env_file: missing.env\n"}, Options{})
	requireDiag(t, ce.Problems, "docker-compose.yml:3:13", "file not found: missing.env")
}

func TestLinksAndExtraHostsAsMap(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": "web:\n  image: x\n  links: {db: database}\n  extra_hosts: {h: 1.2.3.4}\ndb: {image: x}\n"}, Options{})
	c := svc(t, p, "web").Compose
	if !reflect.DeepEqual(c.Links, []string{"db:database"}) || !reflect.DeepEqual(c.ExtraHosts, []string{"h:1.2.3.4"}) {
		t.Fatalf("links %q extra_hosts %q", c.Links, c.ExtraHosts)
	}
}

func TestAnchorsAndMergeKeys(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `x-base: &base
  image: x
  environment: {A: "1"}
version: '2'
services:
  web:
    <<: *base
    environment: {B: "2"}
`}, Options{})
	c := svc(t, p, "web").Compose
	if c.Image != "x" || !reflect.DeepEqual(c.Environment, map[string]string{"B": "2"}) {
		t.Fatalf("%+v", c)
	}
}

func TestDeviceRatesAndUlimits(t *testing.T) {
	p := mustLoad(t, map[string]string{"docker-compose.yml": `web:
  image: x
  device_read_bps: ["/dev/sda:1mb"]
  device_write_iops: {/dev/sdb: 100}
  ulimits: {nproc: 65535, nofile: {soft: 20000, hard: "40000"}}
  dockerfile: Dockerfile
`}, Options{})
	c := svc(t, p, "web").Compose
	if !reflect.DeepEqual(c.DeviceReadBps, map[string]string{"/dev/sda": "1mb"}) || !reflect.DeepEqual(c.DeviceWriteIOps, map[string]string{"/dev/sdb": "100"}) {
		t.Errorf("device rates %v %v", c.DeviceReadBps, c.DeviceWriteIOps)
	}
	if *c.Ulimits["nproc"] != (Ulimit{Soft: 65535, Hard: 65535, Single: true}) || *c.Ulimits["nofile"] != (Ulimit{Soft: 20000, Hard: 40000}) {
		t.Errorf("ulimits %+v %+v", c.Ulimits["nproc"], c.Ulimits["nofile"])
	}
	requireDiag(t, p.Warnings, "web.dockerfile", "dockerfile without build")
}
