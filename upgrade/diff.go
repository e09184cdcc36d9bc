package upgrade

import (
	"encoding/json"
	"reflect"
	"sort"
)

// diffIgnored are fields that only restate the digest, so they never show in a diff.
var diffIgnored = map[string]bool{"labels." + HashKey: true, "metadata." + HashKey: true, "version": true}

// resourceFields are the API bookkeeping fields of any nested object.
var resourceFields = map[string]bool{"type": true, "links": true, "actions": true, "id": true}

// serverDefaults are the values the launchConfig validator fills in (rancher-api.md §4.2): a field only the
// live side has, holding its default, is not a change.
var serverDefaults = map[string]any{
	"kind": "container", "networkMode": "managed", "startOnCreate": true, "vcpu": 1.0,
	"instanceTriggeredStop": "stop", "drainTimeoutMs": 0.0,
}

// diffLaunchConfig compares a desired launch config with the live one. Maps are walked key by key; lists and
// scalars are compared whole. A field only the live side has is shown as removed unless it is empty (the
// server fills defaults such as privileged:false that the client never sends).
func diffLaunchConfig(prefix string, live, want map[string]any) []Change {
	var out []Change
	diffMaps(prefix, "", live, want, &out)
	return out
}

// diffFields compares only the keys the desired object sets (a service-level PUT leaves the others alone).
func diffFields(prefix string, live, want map[string]any, skip map[string]bool) []Change {
	var out []Change
	for _, k := range sortedKeys(want) {
		if !skip[k] {
			diffValue(prefix, k, live[k], want[k], &out)
		}
	}
	return out
}

func diffMaps(prefix, rel string, live, want map[string]any, out *[]Change) {
	keys := map[string]bool{}
	for k := range live {
		keys[k] = true
	}
	for k := range want {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		diffValue(prefix, join(rel, k), live[k], want[k], out)
	}
}

func diffValue(prefix, rel string, live, want any, out *[]Change) {
	if diffIgnored[rel] || resourceFields[lastSegment(rel)] {
		return
	}
	if def, ok := serverDefaults[rel]; ok && want == nil && equalJSON(live, def) {
		return
	}
	path := join(prefix, rel)
	lm, lok := live.(map[string]any)
	wm, wok := want.(map[string]any)
	switch {
	case lok && wok:
		diffMaps(prefix, rel, lm, wm, out)
	case isEmpty(want) && isEmpty(live):
	case isEmpty(want):
		*out = append(*out, Change{Path: path, Op: "-", Old: live})
	case isEmpty(live):
		*out = append(*out, Change{Path: path, Op: "+", New: want})
	case !equalJSON(live, want):
		*out = append(*out, Change{Path: path, Op: "~", Old: live, New: want})
	}
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case string:
		return x == ""
	case float64:
		return x == 0
	case int, int64:
		return reflect.ValueOf(x).Int() == 0
	case map[string]any:
		return len(x) == 0
	case []any:
		return len(x) == 0
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map {
		return rv.Len() == 0
	}
	return false
}

// equalJSON compares two values as their JSON forms, so 2 (int) equals 2.0 (float64 from decoding).
func equalJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	if errA != nil || errB != nil {
		return reflect.DeepEqual(a, b)
	}
	var na, nb any
	_ = json.Unmarshal(ja, &na)
	_ = json.Unmarshal(jb, &nb)
	return reflect.DeepEqual(na, nb)
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func lastSegment(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '.' {
			return path[i+1:]
		}
	}
	return path
}
