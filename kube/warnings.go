package kube

import (
	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// keyReasons say why a key has no Kubernetes counterpart, where there is more to say than that.
var keyReasons = map[string]string{
	"depends_on":           "Kubernetes has no start order: containers must retry until what they need answers (or add an init container that waits)",
	"container_name":       "pods are named by their controller",
	"logging":              "container logs go to the node's runtime; ship them with a cluster logging agent",
	"log_driver":           "container logs go to the node's runtime; ship them with a cluster logging agent",
	"log_opt":              "container logs go to the node's runtime; ship them with a cluster logging agent",
	"networks":             "a namespace is one flat network; Services give the names",
	"restart":              "a Deployment always restarts its containers",
	"devices":              "host devices need a device plugin",
	"ulimits":              "Kubernetes sets no per-container ulimits",
	"stop_signal":          "the image's STOPSIGNAL applies",
	"security_opt":         "use the securityContext's seccompProfile or appArmorProfile",
	"labels":               "this service becomes no pod to carry them",
	"build":                "Kubernetes does not build images: build and push the image",
	"lb_config":            "no rule has a source port: Rancher did not make it a load balancer either",
	"retain_ip":            "pods get a new IP each time; clients use the Service name",
	"metadata":             "Rancher's metadata service has no counterpart; a ConfigMap can hold it",
	"scale_policy":         "use a HorizontalPodAutoscaler",
	"load_balancer_config": "custom HAProxy configuration: set your ingress controller's options instead",
	"cpuset":               "CPU pinning is the kubelet's CPU manager policy",
	"memswap_limit":        "Kubernetes manages swap per node",
	"mem_swappiness":       "Kubernetes manages swap per node",
	"domainname":           "the cluster domain applies",
	"mac_address":          "pods get their addresses from the network plugin",
}

// rancherKeys are the keys of a rancher-compose.yml service entry. Without a rancher-compose.yml they are
// read from the compose file, whose other keys then show up among the rancher keys too.
var rancherKeys = map[string]bool{
	"scale": true, "health_check": true, "upgrade_strategy": true, "retain_ip": true, "metadata": true,
	"scale_policy": true, "external_ips": true, "hostname": true, "lb_config": true, "load_balancer_config": true,
	"default_cert": true, "certs": true, "type": true, "vcpu": true, "memory": true, "userdata": true, "disks": true,
	"storage_driver": true, "network_driver": true, "service_schemas": true, "start_on_create": true,
}

// ignoredKeys were resolved while loading and need nothing further.
var ignoredKeys = map[string]bool{"extends": true, "dockerfile": true}

// unusedKeys lists, once each, every key a service sets that no step carried over.
func (c *converter) unusedKeys() {
	for _, s := range c.p.Services {
		// A rancher key in a compose file is judged as a rancher key (the compose file is the rancher
		// source), or was already reported by the loader as ignored.
		for _, k := range s.TopKeys(false) {
			if c.used[s][k] || ignoredKeys[k] || rancherKeys[k] {
				continue
			}
			c.notes.add(Dropped, s.Key(k), "%s", reason(k))
		}
		for _, k := range s.TopKeys(true) {
			if rancherKeys[k] && !c.used[s]["rancher."+k] {
				c.notes.add(Dropped, s.Key("rancher", k), "%s", reason(k))
			}
		}
	}
}

func reason(k string) string {
	if r, ok := keyReasons[k]; ok {
		return r
	}
	return "no Kubernetes counterpart"
}

// projectKeys reports the project-level keys that are not carried over.
func (c *converter) projectKeys() {
	if len(c.p.Networks) > 0 && len(c.p.ComposeFiles) > 0 {
		c.notes.add(Dropped, compose.KeyRef{Pos: compose.Pos{File: c.p.ComposeFiles[0]}, Path: "networks"}, "%s", keyReasons["networks"])
	}
}
