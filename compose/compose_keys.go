package compose

import (
	"fmt"
	"sort"
	"strings"
	"sync"
)

// rancherKeys are the rancher-compose.yml service keys (§2.4). In a docker-compose file they are
// accepted (the original's fallback reads them from there when rancher-compose.yml is missing or empty).
var rancherKeys = []string{
	"scale", "health_check", "upgrade_strategy", "retain_ip", "metadata", "scale_policy", "external_ips",
	"hostname", "lb_config", "load_balancer_config", "default_cert", "certs", "type", "vcpu", "memory",
	"userdata", "disks", "storage_driver", "network_driver", "start_on_create", "service_schemas",
	"update_strategy",
}

// unhonouredKeys are compose 2.1+/3.x keys the loader accepts but Rancher 1.x cannot apply; each use
// is warned about with its file:line.
var unhonouredKeys = map[string]string{
	"init":                "Rancher 1.x does not run an init process",
	"sysctls":             "Rancher 1.x launch configs have no sysctls",
	"secrets":             "compose secrets are not supported by Rancher 1.x",
	"configs":             "compose configs are not supported by Rancher 1.x",
	"stop_grace_period":   "Rancher 1.x uses its own stop timeout",
	"userns_mode":         "Rancher 1.x launch configs have no userns_mode",
	"pids_limit":          "Rancher 1.x launch configs have no pids_limit",
	"cpus":                "use cpu_quota/cpu_period; Rancher 1.x has no cpus",
	"cpu_count":           "Rancher 1.x launch configs have no cpu_count",
	"cpu_percent":         "Rancher 1.x launch configs have no cpu_percent",
	"credential_spec":     "Windows credential specs are not supported by Rancher 1.x",
	"storage_opt":         "Rancher 1.x launch configs have no storage_opt",
	"runtime":             "Rancher 1.x launch configs have no runtime",
	"platform":            "Rancher 1.x ignores platform",
	"device_cgroup_rules": "Rancher 1.x launch configs have no device_cgroup_rules",
}

// topLevelV2Keys are the keys a version 2+ file may have at the top.
var topLevelV2Keys = []string{"version", "services", "volumes", "networks", "secrets", "configs", "name"}

// isExtensionKey reports compose extension fields (x-*), which are always ignored silently.
func isExtensionKey(k string) bool { return strings.HasPrefix(k, "x-") }

// knownComposeKeys is every key a compose service may have, for did-you-mean hints.
var knownComposeKeys = sync.OnceValue(buildKnownComposeKeys)

func buildKnownComposeKeys() []string {
	set := map[string]bool{}
	for k := range composeHandlers(&ServiceConfig{}, &decoder{}, nil) {
		set[k] = true
	}
	for _, k := range rancherKeys {
		set[k] = true
	}
	for k := range unhonouredKeys {
		set[k] = true
	}
	for _, k := range []string{"extends", "net", "dockerfile", "log_driver", "log_opt", "env_file", "environment", "deploy"} {
		set[k] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func isRancherKey(k string) bool {
	for _, r := range rancherKeys {
		if r == k {
			return true
		}
	}
	return false
}

func unhonouredMessage(k string) string {
	why := unhonouredKeys[k]
	if why == "" {
		return fmt.Sprintf("%q is accepted but Rancher cannot honour it; ignored", k)
	}
	return fmt.Sprintf("%q is accepted but Rancher cannot honour it (%s); ignored", k, why)
}
