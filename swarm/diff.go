package swarm

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	swarmtypes "github.com/moby/moby/api/types/swarm"
)

// diffIgnored are paths the daemon fills in or that we own: not changes the user made.
var diffIgnored = []string{"Labels.io.rancher-compose.", "TaskTemplate.Runtime", "TaskTemplate.ForceUpdate",
	"TaskTemplate.ContainerSpec.Isolation", "TaskTemplate.Placement.Platforms", "UpdateConfig", "RollbackConfig",
	"Mode.Replicated.Replicas", "TaskTemplate.ContainerSpec.Healthcheck.StartInterval"}

// specDiff lists the leaf fields that differ between two specs, as "path: old → new".
func specDiff(from, to swarmtypes.ServiceSpec) []string {
	a, b := flatten(from), flatten(to)
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if a[k] == b[k] || ignoredPath(k) {
			continue
		}
		out = append(out, fmt.Sprintf("%s: %s → %s", k, orNone(a[k]), orNone(b[k])))
	}
	sort.Strings(out)
	return out
}

func ignoredPath(p string) bool {
	if strings.HasPrefix(p, "TaskTemplate.Networks[") && strings.HasSuffix(p, "].Target") {
		return true // the daemon keeps the network's id where we send its name
	}
	for _, ig := range diffIgnored {
		if strings.HasPrefix(p, ig) {
			return true
		}
	}
	return false
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// flatten turns a spec into path → JSON leaf text, dropping empty values.
func flatten(spec swarmtypes.ServiceSpec) map[string]string {
	raw, _ := json.Marshal(spec)
	var v any
	_ = json.Unmarshal(raw, &v)
	out := map[string]string{}
	walk("", v, out)
	return out
}

func walk(prefix string, v any, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			walk(join(prefix, k), c, out)
		}
	case []any:
		for i, c := range t {
			walk(fmt.Sprintf("%s[%d]", prefix, i), c, out)
		}
	case nil:
	default:
		raw, _ := json.Marshal(t)
		if s := string(raw); s != `""` && s != "0" && s != "false" {
			out[prefix] = s
		}
	}
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}
