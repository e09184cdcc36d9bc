package transform

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// reader reads typed values out of a decoded JSON document and keeps the first type error, so the
// transformation reads straight through and checks once at the end.
type reader struct {
	err *Error
}

func (r *reader) fail(path, want string, got any) {
	if r.err == nil {
		r.err = invalidBody(fmt.Sprintf("%s: expected %s, got %s", path, want, kindOf(got)))
	}
}

// object returns v as a JSON object; nil when v is null or absent.
func (r *reader) object(v any, path string) map[string]any {
	switch t := v.(type) {
	case nil:
		return nil
	case map[string]any:
		return t
	default:
		r.fail(path, "an object", v)
		return nil
	}
}

// list returns v as a JSON array; nil when v is null or absent.
func (r *reader) list(v any, path string) []any {
	switch t := v.(type) {
	case nil:
		return nil
	case []any:
		return t
	default:
		r.fail(path, "an array", v)
		return nil
	}
}

// str returns v as a string; "" when v is null or absent.
func (r *reader) str(v any, path string) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	default:
		r.fail(path, "a string", v)
		return ""
	}
}

// boolean returns v as a bool; false when v is null or absent (docker-java's primitive booleans).
func (r *reader) boolean(v any, path string) bool {
	switch t := v.(type) {
	case nil:
		return false
	case bool:
		return t
	default:
		r.fail(path, "a boolean", v)
		return false
	}
}

// strings returns v as a list of strings; nil when v is null or absent.
func (r *reader) strings(v any, path string) []string {
	items := r.list(v, path)
	if items == nil {
		return nil
	}
	out := make([]string, 0, len(items))
	for i, item := range items {
		s, ok := item.(string)
		if !ok {
			r.fail(fmt.Sprintf("%s[%d]", path, i), "a string", item)
			return nil
		}
		out = append(out, s)
	}
	return out
}

// sortedKeys returns the keys of m in sorted order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// toInt64 converts a JSON number (float64, json.Number or a Go integer) to an int64 when it is integral.
func toInt64(v any) (int64, bool) {
	switch t := v.(type) {
	case int:
		return int64(t), true
	case int32:
		return int64(t), true
	case int64:
		return t, true
	case float64:
		if t == math.Trunc(t) && math.Abs(t) < 1<<63 {
			return int64(t), true
		}
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i, true
		}
	}
	return 0, false
}

// isNumber reports whether v is a JSON number.
func isNumber(v any) bool {
	switch v.(type) {
	case int, int32, int64, float64, json.Number:
		return true
	}
	return false
}

// cleanJSON deep-copies a decoded JSON value, turning every number into int64 (when integral) or
// float64, so that answers never alias the request and never carry json.Number.
func cleanJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, item := range t {
			out[k] = cleanJSON(item)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, item := range t {
			out[i] = cleanJSON(item)
		}
		return out
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case int:
		return int64(t)
	case int32:
		return int64(t)
	case float64:
		if i, ok := toInt64(t); ok {
			return i
		}
		return t
	default:
		return v
	}
}

// javaString renders a JSON value the way Java's toString would for the types Jackson produces
// (used for label values, which Cattle stringifies with value.toString()).
func javaString(v any) string {
	switch t := cleanJSON(v).(type) {
	case nil:
		return ""
	case string:
		return t
	case bool:
		return strconv.FormatBool(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case float64:
		s := strconv.FormatFloat(t, 'f', -1, 64)
		if !containsDot(s) {
			s += ".0"
		}
		return s
	case []any:
		s := "["
		for i, item := range t {
			if i > 0 {
				s += ", "
			}
			s += javaString(item)
		}
		return s + "]"
	case map[string]any:
		s := "{"
		for i, k := range sortedKeys(t) {
			if i > 0 {
				s += ", "
			}
			s += k + "=" + javaString(t[k])
		}
		return s + "}"
	default:
		return fmt.Sprint(t)
	}
}

func containsDot(s string) bool {
	for _, c := range s {
		if c == '.' {
			return true
		}
	}
	return false
}

// kindOf names the JSON kind of v for error messages.
func kindOf(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("string %q", t)
	case bool:
		return "boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	default:
		if isNumber(v) {
			return "number " + fmt.Sprint(v)
		}
		return fmt.Sprintf("%T", v)
	}
}
