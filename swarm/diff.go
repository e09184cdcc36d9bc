package swarm

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	swarmtypes "github.com/moby/moby/api/types/swarm"

	"github.com/rancher-compose-ng/rancher-compose/compose/vars"
)

// diffIgnored are paths the daemon fills in or that we own: not changes the user made.
var diffIgnored = []string{"Labels.io.rancher-compose.", "TaskTemplate.Runtime", "TaskTemplate.ForceUpdate",
	"TaskTemplate.ContainerSpec.Isolation", "TaskTemplate.Placement.Platforms", "UpdateConfig", "RollbackConfig",
	"Mode.Replicated.Replicas", "TaskTemplate.ContainerSpec.Healthcheck.StartInterval"}

// hiddenValue replaces a value that may be a credential in a diff.
const hiddenValue = "(value hidden)"

// envPrefix is where the container environment flattens to, one path per variable.
const envPrefix = "TaskTemplate.ContainerSpec.Env."

// diffSecrets say what a diff must not print: every environment value and every value holding one of
// Values (the values of the variables whose names look secret), unless Show (--show-secrets).
type diffSecrets struct {
	Values []string
	Show   bool
}

// specDiff lists the leaf fields that differ between two specs, as "path: old → new", values that may be
// credentials hidden.
func specDiff(from, to swarmtypes.ServiceSpec, sec diffSecrets) []string {
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
		if !sec.Show && sec.hides(k, a[k], b[k]) {
			out = append(out, fmt.Sprintf("%s: %s", k, hiddenChange(a[k], b[k])))
			continue
		}
		out = append(out, fmt.Sprintf("%s: %s → %s", k, orNone(a[k]), orNone(b[k])))
	}
	sort.Strings(out)
	return out
}

// hides tells whether a changed leaf must be shown without its values.
func (s diffSecrets) hides(path, old, new string) bool {
	if strings.HasPrefix(path, envPrefix) {
		return true
	}
	if i := strings.LastIndex(path, "Labels."); i >= 0 && vars.LooksSecret(path[i+len("Labels."):]) {
		return true
	}
	return vars.ContainsAny(old, s.Values) || vars.ContainsAny(new, s.Values)
}

func hiddenChange(old, new string) string {
	switch {
	case old == "":
		return "added " + hiddenValue
	case new == "":
		return "removed " + hiddenValue
	}
	return "changed " + hiddenValue
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
	env := []string(nil)
	if cs := spec.TaskTemplate.ContainerSpec; cs != nil {
		env = cs.Env
		copied := *cs
		copied.Env = nil
		spec.TaskTemplate.ContainerSpec = &copied
	}
	raw, _ := json.Marshal(spec)
	var v any
	_ = json.Unmarshal(raw, &v)
	out := map[string]string{}
	walk("", v, out)
	for _, kv := range env {
		k, val, _ := strings.Cut(kv, "=")
		out[envPrefix+k] = strconv.Quote(val)
	}
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
