package compose

import "testing"

// checkCase is one invalid value: the files, and the position, path and message its error must carry.
type checkCase struct {
	name  string
	files map[string]string
	want  []string
}

func dc(body string) map[string]string { return map[string]string{"docker-compose.yml": body} }

func withRancher(body, rancher string) map[string]string {
	return map[string]string{"docker-compose.yml": body, "rancher-compose.yml": rancher}
}

func TestInvalidValuesTheAPIWouldReject(t *testing.T) {
	lb := "lb:\n  image: rancher/lb-service-haproxy\nweb:\n  image: nginx\n"
	for _, c := range []checkCase{
		{"memswap without mem_limit", dc("web:\n  image: nginx\n  memswap_limit: 1g\n"), []string{"docker-compose.yml:3:18", "web.memswap_limit", "mem_limit"}},
		{"health_check strategy", withRancher("web:\n  image: nginx\n", "web:\n  health_check:\n    port: 80\n    strategy: explode\n"),
			[]string{"rancher-compose.yml:4:15", "web.health_check.strategy", `"explode"`, "recreateOnQuorum"}},
		{"port rule protocol", withRancher(lb, "lb:\n  lb_config:\n    port_rules:\n    - source_port: 80\n      target_port: 80\n      service: web\n      protocol: gopher\n"),
			[]string{"rancher-compose.yml:7:17", "lb.lb_config.port_rules[0].protocol", `"gopher"`, "sni"}},
		{"port rule service", withRancher(lb, "lb:\n  lb_config:\n    port_rules:\n    - source_port: 80\n      target_port: 80\n      service: ghost\n"),
			[]string{"rancher-compose.yml:6:16", "lb.lb_config.port_rules[0].service", `"ghost"`}},
		{"healthcheck interval", dc("version: '2.1'\nservices:\n  web:\n    image: nginx\n    healthcheck:\n      test: [CMD, true]\n      interval: soon\n"),
			[]string{"docker-compose.yml:7:17", "services.web.healthcheck.interval", `"soon"`}},
		{"expose", dc("web:\n  image: nginx\n  expose: [http]\n"), []string{"docker-compose.yml:3:12", "web.expose[0]", `"http"`}},
		{"extra_hosts", dc("web:\n  image: nginx\n  extra_hosts: [hostonly]\n"), []string{"docker-compose.yml:3:17", "web.extra_hosts[0]", `"hostonly"`, "HOST:IP"}},
		{"extra_hosts ip", dc("web:\n  image: nginx\n  extra_hosts: ['db:nowhere']\n"), []string{"docker-compose.yml:3:17", "web.extra_hosts[0]", "not an IP address"}},
		{"restart", dc("web:\n  image: nginx\n  restart: sometimes\n"), []string{"docker-compose.yml:3:12", "web.restart", `"sometimes"`, "unless-stopped"}},
		{"restart on-failure count", dc("web:\n  image: nginx\n  restart: on-failure:x\n"), []string{"docker-compose.yml:3:12", "web.restart"}},
		{"container port 0", dc("web:\n  image: nginx\n  ports: ['8080:0']\n"), []string{"docker-compose.yml:3:11", "web.ports[0]", `"8080:0"`, "container port 0"}},
		{"empty sidekick name", dc("web:\n  image: nginx\n  labels:\n    io.rancher.sidekicks: 'helper,,'\nhelper:\n  image: x\n"),
			[]string{"docker-compose.yml:4:27", "web.labels.io.rancher.sidekicks", "empty"}},
		{"version list", dc("version: [2]\nservices:\n  web:\n    image: nginx\n"), []string{"docker-compose.yml:1:10", "version", "expected a string"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ce := mustFail(t, c.files, Options{})
			d := requireDiag(t, ce.Problems, c.want...)
			if d.Severity != SeverityError {
				t.Fatal(d)
			}
		})
	}
}

func TestValidValuesAreNotRefused(t *testing.T) {
	p := mustLoad(t, withRancher(`lb:
  image: rancher/lb-service-haproxy
web:
  image: nginx
  restart: on-failure:3
  expose: ["9010:9010", 1000, 53/udp]
  extra_hosts: ["db:10.0.0.5", "v6:::1"]
  mem_limit: 1g
  memswap_limit: 2g
  volumes: [":/data"]
  ports: ["0:80"]
  labels:
    io.rancher.sidekicks: "side1, side2"
side1:
  image: x
side2:
  image: y
`, `lb:
  lb_config:
    port_rules:
    - {source_port: 80, target_port: 80, service: web, protocol: https}
    - {source_port: 81, target_port: 80, service: other/web, protocol: sni}
    - {source_port: 82, target_port: 80, selector: a=b}
web:
  health_check:
    port: 80
    strategy: recreateOnQuorum
`), Options{})
	if got := svc(t, p, "web").Compose.Volumes; len(got) != 1 || got[0] != ":/data" {
		t.Fatalf("volumes %v", got)
	}
	for _, r := range []string{"no", "always", "unless-stopped", "on-failure", ""} {
		mustLoad(t, dc("web:\n  image: nginx\n  restart: '"+r+"'\n"), Options{})
	}
}

func TestFractionalScaleWarnsAndIsTruncatedAsTheOriginalDid(t *testing.T) {
	p := mustLoad(t, withRancher("web:\n  image: nginx\n", "web:\n  scale: 1.5\n"), Options{})
	d := requireDiag(t, p.Warnings, "rancher-compose.yml:2:10", "web.scale", "1.5", "whole number")
	if d.Severity != SeverityWarning || *svc(t, p, "web").Rancher.Scale != 1 {
		t.Fatal(d, *svc(t, p, "web").Rancher.Scale)
	}
}

func TestBlankedVariableDowngradesNewChecksToWarnings(t *testing.T) {
	p := mustLoad(t, withRancher("lb:\n  image: x\nweb:\n  image: nginx\n  restart: ${R}x\n  extra_hosts: ['db:${IP}']\n  expose: ['${E}']\n",
		"lb:\n  lb_config:\n    port_rules:\n    - {source_port: 80, service: '${S}web2', protocol: '${P}'}\n"), Options{})
	requireDiag(t, p.Warnings, "web.restart", "blank")
	requireDiag(t, p.Warnings, "web.extra_hosts[0]", "blank")
	requireDiag(t, p.Warnings, "lb.lb_config.port_rules[0].service", "blank")
}
