package compose

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// decoder turns raw nodes into typed values, reporting each mismatch with its position and path.
type decoder struct {
	diags  *diagnostics
	strict bool // unknown keys are errors (--strict)
}

func (d *decoder) wrongType(n *node, path, want string) {
	d.valueErrorf(n, path, "expected %s, got %s", want, n.kindName())
}

// valueErrorf reports a problem with the value n, unless one was already reported for it.
func (d *decoder) valueErrorf(n *node, path, format string, args ...any) {
	if n.reported {
		return
	}
	n.reported = true
	d.diags.errorf(n.pos, path, format, args...)
}

// scalar returns a scalar's text for a string field; maps and lists are errors. null gives "".
func (d *decoder) str(n *node, path string) string {
	if n == nil || n.null {
		return ""
	}
	if n.kind != scalarNode {
		d.wrongType(n, path, "a string")
		return ""
	}
	return n.text()
}

// v2Text is what a Go string field received from a yaml.v2 round trip of a scalar: the string itself,
// integers in decimal, floats at float32 precision, booleans as true/false, null as "".
func v2Text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return formatFloat32(x)
	}
	return fmt.Sprint(v)
}

// formatFloat32 formats a float as the original's yaml.v2 marshal did.
func formatFloat32(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	case math.IsNaN(f):
		return ".nan"
	}
	return strconv.FormatFloat(f, 'g', -1, 32)
}

// rstr is a string field of the rancher config: it receives the value's yaml.v2 text.
func (d *decoder) rstr(n *node, path string) string {
	if n == nil || n.null {
		return ""
	}
	if n.kind != scalarNode {
		d.wrongType(n, path, "a string")
		return ""
	}
	return v2Text(n.v2Value())
}

// boolean accepts a YAML 1.1 boolean, also as the text of an interpolated string.
func (d *decoder) boolean(n *node, path string) bool {
	if n == nil || n.null {
		return false
	}
	if n.kind == scalarNode {
		if b, ok := resolveV2(n.value).(bool); ok {
			return b
		}
	}
	d.wrongType(n, path, "a boolean (true or false)")
	return false
}

// integer accepts an integer, a float (truncated toward zero, as yaml.v2 did for int64 fields) or a
// string holding a decimal integer (the result of interpolation, e.g. port: ${PORT}).
func (d *decoder) integer(n *node, path string) int64 {
	if n == nil || n.null {
		return 0
	}
	if n.kind == scalarNode {
		if n.blanked && strings.TrimSpace(n.value) == "" {
			return 0
		}
		switch v := resolveV2(strings.TrimSpace(n.value)).(type) {
		case int:
			return int64(v)
		case int64:
			return v
		case float64:
			if !math.IsNaN(v) && !math.IsInf(v, 0) && math.Abs(v) < 9.2e18 {
				if v != math.Trunc(v) {
					d.diags.warnf(n.pos, path, "%s is not a whole number; %d is used (the original truncated it too)", quoteValue(n, strings.TrimSpace(n.value)), int64(v))
				}
				return int64(v)
			}
		}
	}
	d.wrongType(n, path, "an integer")
	return 0
}

// optInteger is integer for an optional field (nil when absent).
func (d *decoder) optInteger(n *node, path string) *int64 {
	if n == nil || n.null || (n.blanked && strings.TrimSpace(n.value) == "") {
		return nil
	}
	v := d.integer(n, path)
	return &v
}

// strList accepts a list of scalars (each element's text) or, when single is true, one string.
func (d *decoder) strList(n *node, path string, single bool) []string {
	if n == nil || n.null {
		return nil
	}
	switch n.kind {
	case scalarNode:
		if single {
			return []string{n.text()}
		}
	case seqNode:
		out := make([]string, 0, len(n.items))
		for i, it := range n.items {
			if it == nil || it.kind != scalarNode {
				d.wrongType(orNode(it, n), indexPath(path, i), "a string")
				continue
			}
			out = append(out, it.text())
		}
		return out
	}
	if single {
		d.wrongType(n, path, "a string or a list of strings")
	} else {
		d.wrongType(n, path, "a list of strings")
	}
	return nil
}

func orNode(n, fallback *node) *node {
	if n == nil {
		return fallback
	}
	return n
}

// kv is one key of a map-or-list value; hasValue is false for a bare KEY (list) or KEY: (map).
type kv struct {
	key      string
	value    string
	hasValue bool
	pos      Pos
}

// mapOrList decodes environment/labels/args style values: a mapping, or a list of "KEY<sep>VALUE".
// Map values that are not strings are stringified as the original's preprocess step did (fmt.Sprint).
func (d *decoder) mapOrList(n *node, path, sep string) []kv {
	if n == nil || n.null {
		return nil
	}
	var out []kv
	switch n.kind {
	case mapNode:
		for _, e := range n.entries {
			v := e.value
			switch {
			case v == nil || v.null:
				out = append(out, kv{key: e.key, pos: e.keyPos})
			case v.kind != scalarNode:
				d.wrongType(v, joinPath(path, e.key), "a string, number or boolean")
			default:
				out = append(out, kv{key: e.key, value: fmt.Sprint(v.v2Value()), hasValue: true, pos: e.keyPos})
			}
		}
	case seqNode:
		for i, it := range n.items {
			if it == nil || it.kind != scalarNode || it.null {
				d.wrongType(orNode(it, n), indexPath(path, i), "a \"KEY"+sep+"VALUE\" string")
				continue
			}
			s := strings.TrimSpace(it.text())
			k, v, ok := strings.Cut(s, sep)
			out = append(out, kv{key: k, value: v, hasValue: ok, pos: it.pos})
		}
	default:
		d.wrongType(n, path, "a mapping or a list of \"KEY"+sep+"VALUE\" strings")
	}
	return out
}

// stringMap decodes a mapping of scalars to strings (the values' text).
func (d *decoder) stringMap(n *node, path string) map[string]string {
	return d.stringMapSep(n, path, "=")
}

// stringMapSep is stringMap for lists whose items use sep ("/dev/sda:1mb" for device rates).
func (d *decoder) stringMapSep(n *node, path, sep string) map[string]string {
	if n == nil || n.null {
		return nil
	}
	out := map[string]string{}
	for _, x := range d.mapOrList(n, path, sep) {
		out[x.key] = x.value
	}
	return out
}

// anyMap decodes a free-form mapping into yaml.v2-typed Go values.
func (d *decoder) anyMap(n *node, path string) map[string]any {
	if n == nil || n.null {
		return nil
	}
	if n.kind != mapNode {
		d.wrongType(n, path, "a mapping")
		return nil
	}
	m, _ := n.toAny().(map[string]any)
	return m
}

// fields walks a mapping and calls the handler of each known key; unknown keys are returned.
func (d *decoder) fields(n *node, path string, handlers map[string]func(*node, string)) []*entry {
	if n == nil || n.null {
		return nil
	}
	if n.kind != mapNode {
		d.wrongType(n, path, "a mapping")
		return nil
	}
	var unknown []*entry
	for _, e := range n.entries {
		h, ok := handlers[e.key]
		if !ok {
			unknown = append(unknown, e)
			continue
		}
		h(e.value, joinPath(path, e.key))
	}
	return unknown
}

// reportUnknown warns (or, under --strict, errors) about unknown keys, with a did-you-mean hint.
func (d *decoder) reportUnknown(unknown []*entry, path string, known []string, strict bool, what string) {
	for _, e := range unknown {
		msg := fmt.Sprintf("unknown %s key %q", what, e.key)
		if s := suggest(e.key, known); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		sev := SeverityWarning
		if strict {
			sev = SeverityError
		} else {
			msg += "; ignored"
		}
		d.diags.add(sev, e.keyPos, joinPath(path, e.key), "%s", msg)
	}
}

func keysOf[T any](m map[string]T) []string { return sortedKeys(m) }

// suggest returns the known key closest to key (edit distance ≤ 2, or a prefix match), or "".
func suggest(key string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		dist := EditDistance(strings.ToLower(key), k)
		if dist < bestDist {
			best, bestDist = k, dist
		}
	}
	return best
}

// EditDistance is the Levenshtein distance between a and b (bytes), for did-you-mean hints.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
