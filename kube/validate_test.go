package kube_test

import (
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/kube"
)

const goodDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: rng
  namespace: coins
spec:
  replicas: 2
  selector:
    matchLabels: {app: rng}
  template:
    metadata:
      labels: {app: rng}
    spec:
      containers:
      - name: rng
        image: rng:1
        livenessProbe:
          tcpSocket: {port: 80}
          successThreshold: 1
`

// TestValidatorCatches shows that the checks the corpus test relies on fail on what a cluster rejects.
func TestValidatorCatches(t *testing.T) {
	if err := kube.ValidateDocument([]byte(goodDeployment)); err != nil {
		t.Fatalf("the valid Deployment was rejected: %v", err)
	}
	cases := []struct{ name, from, to, want string }{
		{"unknown field", "livenessProbe:", "livenesProbe:", "unknown field"},
		{"mistyped field", "replicas: 2", "replicas: two", "replicas"},
		{"annotation key with a colon", "  namespace: coins", "  namespace: coins\n  annotations: {\"io.rancher.scheduler.affinity:host_label\": a=b}", "annotations"},
		{"label value", "labels: {app: rng}", "labels: {app: rng, stack: \"coins/rng\"}", "labels"},
		{"upper-case name", "name: rng\n  namespace", "name: RNG_1\n  namespace", "metadata.name"},
		{"liveness successThreshold", "successThreshold: 1", "successThreshold: 3", "successThreshold"},
		{"selector mismatch", "matchLabels: {app: rng}", "matchLabels: {app: other}", "selector does not match"},
		{"port out of range", "port: 80", "port: 70000", "port"},
		{"nameserver not an IP", "      containers:", "      dnsConfig: {nameservers: [dns.local]}\n      containers:", "nameservers"},
		{"host port twice", "        image: rng:1", "        image: rng:1\n        ports: [{containerPort: 80, hostPort: 80}, {containerPort: 81, hostPort: 80}]", "Duplicate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := strings.Replace(goodDeployment, c.from, c.to, 1)
			if doc == goodDeployment {
				t.Fatalf("the case changes nothing")
			}
			err := kube.ValidateDocument([]byte(doc))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestValidateYAMLNamesTheDocument(t *testing.T) {
	stream := "# header\n---\n" + goodDeployment + "---\n" + strings.Replace(goodDeployment, "replicas: 2", "replicas: x", 1)
	err := kube.ValidateYAML([]byte(stream))
	if err == nil || !strings.Contains(err.Error(), "document 2") {
		t.Fatalf("got %v, want an error naming document 2", err)
	}
}

func TestCheckReferencesCatchesDanglingBackends(t *testing.T) {
	res := convertFiles(t, `
version: '2'
services:
  web: {image: nginx}
  lb: {image: rancher/lb-service-haproxy, ports: ["80:80"]}
`, `
version: '2'
services:
  lb: {lb_config: {port_rules: [{source_port: 80, target_port: 8080, service: web, protocol: http}]}}
`)
	for i, o := range res.Objects {
		if o.Kind == "Service" && o.Name == "web" {
			res.Objects = append(res.Objects[:i], res.Objects[i+1:]...)
			break
		}
	}
	if err := res.CheckReferences(); err == nil || !strings.Contains(err.Error(), "backend web is no Service") {
		t.Fatalf("got %v", err)
	}
}
