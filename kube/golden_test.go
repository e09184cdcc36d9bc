package kube_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/kube"
)

var update = flag.Bool("update", false, "rewrite the golden manifests under fixtures/kube/")

// goldenCase is one project whose manifests and notes are kept under fixtures/kube/NAME.yaml and NAME.notes.
type goldenCase struct {
	name   string
	dir    string // relative to the repository root, or to the corpus when corpus is set
	corpus bool
	// covers says what the case is there for.
	covers string
}

var goldenCases = []goldenCase{
	{name: "dockercoins", dir: "fixtures/dockercoins", covers: "scale, http/tcp health checks, start_first, host_label, container_label_soft_ne self"},
	{name: "shop", dir: "fixtures/kube/src/shop", covers: "sidekicks (volumes_from, network_mode container:, start_once init), aliases, external_links, secrets, global, Job, compose healthcheck"},
	{name: "nsq", dir: "community-catalog/nsq/0", corpus: true, covers: "lb_config tcp+http, global LB, sidekick data container, soft anti-affinity to other services"},
	{name: "lb-v2", dir: "rancher-compose-assets/lb/docker-compose", corpus: true, covers: "lb_config https rule with hostname and path, custom haproxy config"},
	{name: "lb-legacy", dir: "rancher-compose-assets/lb-legacy/docker-compose", corpus: true, covers: "legacy rancher/load-balancer-service from ports and links"},
	{name: "registry", dir: "community-catalog/registry/3", corpus: true, covers: "legacy io.rancher.loadbalancer.target.* labels (TCP), global, not_host_label, container_label_soft"},
	{name: "puppet", dir: "community-catalog/puppet-standalone/0", corpus: true, covers: "legacy LB target label"},
	{name: "sidekick-health", dir: "rancher-compose-assets/sidekick-health/docker-compose", corpus: true, covers: "health checks on a primary and its sidekick"},
	{name: "haproxycert", dir: "validation-tests/v2_validation__sslcerts/haproxycert", corpus: true, covers: "https rules with certificates"},
	{name: "zinst", dir: "community-catalog/zinst/0", corpus: true, covers: "named volume → PVC, lb_config http, tcp health check"},
	{name: "sysdig", dir: "community-catalog/sysdig/0", corpus: true, covers: "global privileged DaemonSet with host paths"},
	{name: "extservice", dir: "validation-tests/v2_validation__metadatadc/metadata_extservice_ip", corpus: true, covers: "external service with external_ips"},
	{name: "metadata-lb", dir: "validation-tests/v2_validation__metadatadc/metadata_lb", corpus: true, covers: "link aliases, legacy LB"},
	{name: "k8s-11", dir: "rancher-catalog/k8s/11", corpus: true, covers: "recreateOnQuorum and none strategies, host_label affinities, many sidekicks"},
}

// TestGoldens converts each project and compares the manifests and the notes with fixtures/kube/
// (go test ./kube -run TestGoldens -update rewrites them). The manifests must also validate.
func TestGoldens(t *testing.T) {
	root, haveCorpus := corpusDir(t)
	for _, gc := range goldenCases {
		t.Run(gc.name, func(t *testing.T) {
			dir := filepath.Join("..", gc.dir)
			if gc.corpus {
				if !haveCorpus {
					t.Skipf("corpus not found: %s", root)
				}
				dir = filepath.Join(root, gc.dir)
			}
			envFile := ""
			if _, err := os.Stat(filepath.Join(dir, "answers.env")); err == nil {
				envFile = "answers.env"
			}
			p, err := load(dir, envFile, gc.name)
			if err != nil {
				t.Fatal(err)
			}
			res, err := kube.Convert(p, kube.Options{})
			if err != nil {
				t.Fatal(err)
			}
			out, err := res.YAML()
			if err != nil {
				t.Fatal(err)
			}
			if err := kube.ValidateYAML(out); err != nil {
				t.Errorf("the manifests do not validate: %v", err)
			}
			if err := res.CheckReferences(); err != nil {
				t.Errorf("the manifests refer to what is not there: %v", err)
			}
			var notes strings.Builder
			for _, n := range res.Notes {
				fmt.Fprintf(&notes, "%s: %s\n", n.Level, n)
			}
			compareGolden(t, gc.name+".yaml", out)
			compareGolden(t, gc.name+".notes", []byte(notes.String()))
		})
	}
}

func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "fixtures", "kube", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./kube -run TestGoldens -update creates it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the golden file (-update rewrites it):\n--- want\n%s\n--- got\n%s", name, want, got)
	}
}
