package kube_test

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"

	"github.com/rancher-compose-ng/rancher-compose/kube"
)

func TestAffinityLabels(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  web:
    image: nginx
    labels:
      io.rancher.scheduler.affinity:host_label: role=front,zone=a
      io.rancher.scheduler.affinity:host_label_soft_ne: disk=slow
      io.rancher.scheduler.affinity:container_label_ne: io.rancher.stack_service.name=$${stack_name}/$${service_name}
      io.rancher.scheduler.affinity:container_label_soft: io.rancher.stack_service.name=$${stack_name}/cache
  cache: {image: redis}
`, "")
	out, _ := res.YAML()
	if strings.Contains(string(out), "io.rancher.scheduler") {
		t.Errorf("scheduler labels must not be copied (':' is invalid in a key):\n%s", out)
	}
	a := object[*appsv1.Deployment](t, res, "Deployment", "web").Spec.Template.Spec.Affinity
	req := a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
	if len(req) != 1 || len(req[0].MatchExpressions) != 2 || req[0].MatchExpressions[0].Key != "role" ||
		req[0].MatchExpressions[0].Operator != corev1.NodeSelectorOpIn || req[0].MatchExpressions[1].Values[0] != "a" {
		t.Errorf("required node affinity %+v", req)
	}
	pref := a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution
	if len(pref) != 1 || pref[0].Preference.MatchExpressions[0].Operator != corev1.NodeSelectorOpNotIn {
		t.Errorf("preferred node anti-affinity %+v", pref)
	}
	anti := a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution
	if len(anti) != 1 || anti[0].LabelSelector.MatchLabels["app.kubernetes.io/name"] != "web" || anti[0].TopologyKey != "kubernetes.io/hostname" {
		t.Errorf("anti-affinity with itself %+v", anti)
	}
	with := a.PodAffinity.PreferredDuringSchedulingIgnoredDuringExecution
	if len(with) != 1 || with[0].PodAffinityTerm.LabelSelector.MatchLabels["app.kubernetes.io/name"] != "cache" {
		t.Errorf("soft affinity to cache %+v", with)
	}
}

func TestSidekicksShareThePod(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  app:
    image: app
    volumes_from: [data]
    labels: {io.rancher.sidekicks: 'log,data'}
  log:
    image: busybox
    network_mode: container:app
    volumes_from: [data:ro]
  data:
    image: busybox
    volumes: [/srv/data]
    labels: {io.rancher.container.start_once: 'true'}
`, "")
	if hasObject(res, "Deployment", "log") || hasObject(res, "Deployment", "data") {
		t.Fatalf("sidekicks must not get their own workload")
	}
	spec := object[*appsv1.Deployment](t, res, "Deployment", "app").Spec.Template.Spec
	if len(spec.Containers) != 2 || spec.Containers[0].Name != "app" || spec.Containers[1].Name != "log" {
		t.Fatalf("containers %v", spec.Containers)
	}
	if len(spec.InitContainers) != 1 || spec.InitContainers[0].Name != "data" {
		t.Fatalf("the start-once data sidekick should be an init container: %v", spec.InitContainers)
	}
	vol := spec.InitContainers[0].VolumeMounts[0].Name
	for _, c := range spec.Containers {
		if len(c.VolumeMounts) != 1 || c.VolumeMounts[0].Name != vol || c.VolumeMounts[0].MountPath != "/srv/data" {
			t.Errorf("%s mounts %v, want %s at /srv/data (volumes_from data)", c.Name, c.VolumeMounts, vol)
		}
	}
	if svc := object[*corev1.Service](t, res, "Service", "log"); svc.Spec.Selector["app.kubernetes.io/name"] != "app" {
		t.Errorf("a sidekick's Service selects its pod: %+v", svc.Spec.Selector)
	}
	if hasObject(res, "Service", "data") {
		t.Errorf("an init container serves nothing: no Service")
	}
	if !spec.Containers[1].VolumeMounts[0].ReadOnly {
		t.Errorf("volumes_from data:ro must mount read-only")
	}
	for _, n := range res.Notes {
		if n.Level == kube.Dropped {
			t.Errorf("nothing should be dropped: %s", n)
		}
	}
}

func TestServicesAliasesAndExternalLinks(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  web:
    image: nginx
    ports: ["8080:80"]
    links: ["db:database", "cache"]
    external_links: ["billing/api:billing"]
  db: {image: postgres}
  cache: {image: redis, expose: ["6379"]}
  ext: {image: rancher/external-service}
  named: {image: rancher/external-service}
`, `
version: '2'
services:
  ext: {external_ips: [10.0.0.1, 10.0.0.2]}
  named: {hostname: db.example.com}
`)
	if svc := object[*corev1.Service](t, res, "Service", "db"); svc.Spec.ClusterIP != corev1.ClusterIPNone {
		t.Errorf("db exposes no port: a headless Service, got %+v", svc.Spec)
	}
	web := object[*corev1.Service](t, res, "Service", "web")
	if len(web.Spec.Ports) != 1 || web.Spec.Ports[0].Port != 80 || web.Spec.Ports[0].TargetPort.IntVal != 80 {
		t.Errorf("web ports %+v: the container port, which links reach", web.Spec.Ports)
	}
	if c := object[*appsv1.Deployment](t, res, "Deployment", "web").Spec.Template.Spec.Containers[0]; c.Ports[0].HostPort != 8080 {
		t.Errorf("published port 8080 should stay a hostPort: %+v", c.Ports)
	}
	alias := object[*corev1.Service](t, res, "Service", "database")
	if alias.Spec.Selector["app.kubernetes.io/name"] != "db" || alias.Spec.ClusterIP != corev1.ClusterIPNone {
		t.Errorf("alias database should select db's pods: %+v", alias.Spec)
	}
	if b := object[*corev1.Service](t, res, "Service", "billing"); b.Spec.Type != corev1.ServiceTypeExternalName || b.Spec.ExternalName != "api.billing.svc.cluster.local" {
		t.Errorf("external link: %+v", b.Spec)
	}
	if e := object[*corev1.Service](t, res, "Service", "named"); e.Spec.ExternalName != "db.example.com" {
		t.Errorf("external hostname: %+v", e.Spec)
	}
	if !hasObject(res, "EndpointSlice", "ext") || hasObject(res, "Deployment", "ext") {
		t.Errorf("external_ips: a Service with an EndpointSlice and no workload")
	}
}

func TestLoadBalancers(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  web: {image: nginx}
  mq: {image: rabbitmq}
  lb:
    image: rancher/lb-service-haproxy
    ports: ["80:80", "443:443", "5672:5672"]
  old:
    image: rancher/load-balancer-service
    ports: ["8080:8080"]
    links: [web]
    labels:
      io.rancher.loadbalancer.target.web: shop.example.com:8080/cart=3000
`, `
version: '2'
services:
  lb:
    lb_config:
      default_cert: shop-cert
      port_rules:
      - {source_port: 80, target_port: 8000, service: web, hostname: shop.example.com, path: /, protocol: http}
      - {source_port: 443, target_port: 8000, service: web, hostname: shop.example.com, path: /api, protocol: https}
      - {source_port: 5672, target_port: 5672, service: mq, protocol: tcp}
`)
	ing := object[*networkingv1.Ingress](t, res, "Ingress", "lb")
	paths := ing.Spec.Rules[0].HTTP.Paths
	if ing.Spec.Rules[0].Host != "shop.example.com" || len(paths) != 2 || paths[1].Path != "/api" ||
		paths[0].Backend.Service.Name != "web" || paths[0].Backend.Service.Port.Number != 8000 {
		t.Errorf("ingress rules %+v", ing.Spec.Rules)
	}
	if len(ing.Spec.TLS) != 1 || ing.Spec.TLS[0].SecretName != "shop-cert" {
		t.Errorf("tls %+v", ing.Spec.TLS)
	}
	web := object[*corev1.Service](t, res, "Service", "web")
	if len(web.Spec.Ports) != 2 || web.Spec.Ports[0].Port != 8000 || web.Spec.Ports[1].Port != 3000 {
		t.Errorf("web's Service must expose the ports the rules send to: %+v", web.Spec.Ports)
	}
	tcp := object[*corev1.Service](t, res, "Service", "lb")
	if tcp.Spec.Type != corev1.ServiceTypeLoadBalancer || tcp.Spec.Ports[0].Port != 5672 {
		t.Errorf("tcp rule: %+v", tcp.Spec)
	}
	noteAbout(t, res, kube.Info, "tcp rule 5672", "LoadBalancer Service lb")
	old := object[*networkingv1.Ingress](t, res, "Ingress", "old")
	if r := old.Spec.Rules[0]; r.Host != "shop.example.com" || r.HTTP.Paths[0].Path != "/cart" || r.HTTP.Paths[0].Backend.Service.Port.Number != 3000 {
		t.Errorf("legacy target label: %+v", r)
	}
	if hasObject(res, "Deployment", "lb") || hasObject(res, "Deployment", "old") {
		t.Errorf("a load balancer is the ingress controller's job, not a Deployment")
	}
}

func TestVolumes(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  db:
    image: postgres
    volumes: ["pgdata:/var/lib/postgresql/data", "/etc/ssl:/etc/ssl:ro", "./conf:/conf", "/scratch"]
volumes:
  pgdata: {}
`, "")
	pvc := object[*corev1.PersistentVolumeClaim](t, res, "PersistentVolumeClaim", "pgdata")
	if q := pvc.Spec.Resources.Requests.Storage(); q.String() != "1Gi" {
		t.Errorf("claim size %s", q)
	}
	spec := object[*appsv1.Deployment](t, res, "Deployment", "db").Spec.Template.Spec
	kinds := map[string]string{}
	for _, v := range spec.Volumes {
		switch {
		case v.PersistentVolumeClaim != nil:
			kinds[v.Name] = "pvc:" + v.PersistentVolumeClaim.ClaimName
		case v.HostPath != nil:
			kinds[v.Name] = "host:" + v.HostPath.Path
		case v.EmptyDir != nil:
			kinds[v.Name] = "empty"
		}
	}
	got := map[string]string{}
	for _, m := range spec.Containers[0].VolumeMounts {
		got[m.MountPath] = kinds[m.Name]
	}
	want := map[string]string{"/var/lib/postgresql/data": "pvc:pgdata", "/etc/ssl": "host:/etc/ssl", "/conf": "empty", "/scratch": "empty"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s mounted from %q, want %q", k, got[k], v)
		}
	}
	noteAbout(t, res, kube.Warning, "docker-compose.yml:5:50", "hostPath")
	noteAbout(t, res, kube.Dropped, "docker-compose.yml:5:74", "relative host path ./conf")
}

func TestSecretsAreNotPrintedUnlessAsked(t *testing.T) {
	dir := "../fixtures/kube/src/shop"
	p, err := load(dir, "", "shop")
	if err != nil {
		t.Fatal(err)
	}
	res, _ := kube.Convert(p, kube.Options{})
	out, _ := res.YAML()
	if strings.Contains(string(out), "s3cret-value") || hasObject(res, "Secret", "web-secrets") {
		t.Fatalf("a secret value was printed without --include-secrets")
	}
	noteAbout(t, res, kube.Info, "DB_PASSWORD", "Secret shop/web-secrets")
	res, _ = kube.Convert(p, kube.Options{IncludeSecrets: true})
	sec := object[*corev1.Secret](t, res, "Secret", "web-secrets")
	if sec.StringData["DB_PASSWORD"] != "s3cret-value" {
		t.Errorf("--include-secrets: %v", sec.StringData)
	}
}

func TestEveryDroppedKeyNamesFileAndLine(t *testing.T) {
	for _, dir := range []string{"../fixtures/kube/src/shop", "../fixtures/dockercoins"} {
		p, err := load(dir, "", "x")
		if err != nil {
			t.Fatal(err)
		}
		res, _ := kube.Convert(p, kube.Options{})
		seen := map[string]bool{}
		for _, n := range res.Notes {
			if n.At.Pos.File == "" || n.At.Pos.Line == 0 || n.At.Path == "" {
				t.Errorf("%s: note without file:line or path: %s", dir, n)
			}
			if seen[n.String()] {
				t.Errorf("%s: note listed twice: %s", dir, n)
			}
			seen[n.String()] = true
		}
	}
}

func TestNamedVolumesAtScaleGetAClaimPerPod(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  es: {image: elasticsearch, volumes: ["esdata:/data"]}
  one: {image: postgres, volumes: ["pg:/data"]}
  ext: {image: app, volumes: ["shared:/data"]}
volumes:
  esdata: {}
  pg: {}
  shared: {external: true}
`, `
version: '2'
services:
  es: {scale: 3}
  ext: {scale: 2}
`)
	sts := object[*appsv1.StatefulSet](t, res, "StatefulSet", "es")
	if len(sts.Spec.VolumeClaimTemplates) != 1 || sts.Spec.VolumeClaimTemplates[0].Name != sts.Spec.Template.Spec.Containers[0].VolumeMounts[0].Name ||
		len(sts.Spec.Template.Spec.Volumes) != 0 || sts.Spec.ServiceName != "es" || *sts.Spec.Replicas != 3 {
		t.Errorf("statefulset %+v", sts.Spec)
	}
	if hasObject(res, "PersistentVolumeClaim", "esdata") || hasObject(res, "Deployment", "es") {
		t.Errorf("the claim template replaces the shared claim and the Deployment")
	}
	object[*appsv1.Deployment](t, res, "Deployment", "one")
	object[*corev1.PersistentVolumeClaim](t, res, "PersistentVolumeClaim", "pg")
	object[*appsv1.Deployment](t, res, "Deployment", "ext")
	if hasObject(res, "PersistentVolumeClaim", "shared") {
		t.Errorf("an external volume's claim must exist already: not emitted")
	}
	noteAbout(t, res, kube.Info, "external volume shared")
}

func TestHostNetworkAndOddInputStayValid(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  exporter:
    image: exporter
    network_mode: host
    ports: ["9200:9100"]
    dns: [1.1.1.1, 8.8.8.8, 9.9.9.9, 8.8.4.4]
    environment:
      "1BAD=NAME": x
      GOOD: y
  ext: {image: rancher/external-service}
`, `
version: '2'
services:
  ext: {external_ips: [10.1.1.1, "fe80::1"]}
`)
	spec := object[*appsv1.Deployment](t, res, "Deployment", "exporter").Spec.Template.Spec
	if !spec.HostNetwork || spec.Containers[0].Ports[0].HostPort != 0 || len(spec.DNSConfig.Nameservers) != 3 {
		t.Errorf("hostNetwork %v ports %+v nameservers %v", spec.HostNetwork, spec.Containers[0].Ports, spec.DNSConfig.Nameservers)
	}
	if env := spec.Containers[0].Env; len(env) != 1 || env[0].Name != "GOOD" {
		t.Errorf("env %+v", env)
	}
	noteAbout(t, res, kube.Dropped, "1BAD=NAME")
	noteAbout(t, res, kube.Dropped, "fe80::1", "IPv4")
}

func TestLoadBalancerRulesThatIngressCannotSplit(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  a: {image: a}
  b: {image: b}
  c: {image: c}
  lb: {image: rancher/lb-service-haproxy, ports: ["80:80", "8080:8080"]}
`, `
version: '2'
services:
  lb:
    lb_config:
      port_rules:
      - {source_port: 80, target_port: 80, service: a, protocol: http}
      - {source_port: 80, target_port: 80, service: b, protocol: http}
      - {source_port: 8080, target_port: 80, service: c, protocol: http}
`)
	ing := object[*networkingv1.Ingress](t, res, "Ingress", "lb")
	if p := ing.Spec.Rules[0].HTTP.Paths; len(p) != 1 || p[0].Backend.Service.Name != "a" {
		t.Errorf("the first rule holds the path: %+v", p)
	}
	noteAbout(t, res, kube.Dropped, "port_rules[1]", "port 80 / goes to several services", "(a here)")
	if svc := object[*corev1.Service](t, res, "Service", "lb"); svc.Spec.Selector["app.kubernetes.io/name"] != "c" || svc.Spec.Ports[0].Port != 8080 {
		t.Errorf("a whole-port rule that clashes keeps its port on a LoadBalancer Service: %+v", svc.Spec)
	}
}
