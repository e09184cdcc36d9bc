package sim

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// appendJSON appends v encoded exactly as json.Marshal encodes it (map keys sorted, HTML characters
// escaped), without reflection for the map[string]any trees render builds: encoding a 500-service list
// with json.Marshal cost the simulator most of its time. Other types go through json.Marshal.
func appendJSON(b []byte, v any) ([]byte, error) { return appendJSONHoles(b, v, nil) }

// holes are the places in an encoded answer left for renderings encoded later (pendingRender), in order.
type holes struct {
	at      []int
	pending []*pendingRender
}

// appendJSONHoles is appendJSON leaving a hole in b for each pendingRender when h is not nil.
func appendJSONHoles(b []byte, v any, h *holes) ([]byte, error) {
	switch x := v.(type) {
	case *pendingRender:
		if h == nil {
			return x.appendTo(b), nil
		}
		h.at = append(h.at, len(b))
		h.pending = append(h.pending, x)
		return b, nil
	case nil:
		return append(b, "null"...), nil
	case string:
		return appendJSONString(b, x), nil
	case bool:
		return strconv.AppendBool(b, x), nil
	case int:
		return strconv.AppendInt(b, int64(x), 10), nil
	case int64:
		return strconv.AppendInt(b, x, 10), nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			break
		}
		return appendJSONFloat(b, x), nil
	case json.RawMessage:
		return append(b, x...), nil // only the render cache's own output, already canonical
	case map[string]any:
		if x == nil {
			return append(b, "null"...), nil
		}
		return appendJSONObjectHoles(b, x, h)
	case []any:
		if x == nil {
			return append(b, "null"...), nil
		}
		b = append(b, '[')
		for i, e := range x {
			if i > 0 {
				b = append(b, ',')
			}
			var err error
			if b, err = appendJSONHoles(b, e, h); err != nil {
				return b, err
			}
		}
		return append(b, ']'), nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	return append(b, raw...), nil
}

func appendJSONObject(b []byte, m map[string]any) ([]byte, error) {
	return appendJSONObjectHoles(b, m, nil)
}

func appendJSONObjectHoles(b []byte, m map[string]any, h *holes) ([]byte, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		var err error
		if b, err = appendJSONHoles(b, m[k], h); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendJSONObjectIn is appendJSONObject for a map whose keys are all among order (sorted), so that they
// need no sorting; a map with another key is encoded by appendJSONObject.
func appendJSONObjectIn(b []byte, m map[string]any, order []string) ([]byte, error) {
	start, n := len(b), 0
	b = append(b, '{')
	for _, k := range order {
		v, ok := m[k]
		if !ok {
			continue
		}
		if n > 0 {
			b = append(b, ',')
		}
		n++
		b = appendJSONString(b, k)
		b = append(b, ':')
		var err error
		if b, err = appendJSON(b, v); err != nil {
			return b, err
		}
	}
	if n != len(m) {
		return appendJSONObject(b[:start], m)
	}
	return append(b, '}'), nil
}

// appendJSONFloat formats as encoding/json does: shortest form, exponent only below 1e-6 or from 1e21.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as encoding/json does with HTML escaping on.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
