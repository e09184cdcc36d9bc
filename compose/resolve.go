package compose

import (
	"math"
	"strconv"
	"strings"
)

// v2Specials are the plain scalars that yaml.v2 (YAML 1.1) resolves to a non-string by name.
var v2Specials = map[string]any{
	"~": nil, "null": nil, "Null": nil, "NULL": nil, "": nil,
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"true": true, "True": true, "TRUE": true, "on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false,
	"false": false, "False": false, "FALSE": false, "off": false, "Off": false, "OFF": false,
	".inf": math.Inf(1), ".Inf": math.Inf(1), ".INF": math.Inf(1),
	"+.inf": math.Inf(1), "+.Inf": math.Inf(1), "+.INF": math.Inf(1),
	"-.inf": math.Inf(-1), "-.Inf": math.Inf(-1), "-.INF": math.Inf(-1),
	".nan": math.NaN(), ".NaN": math.NaN(), ".NAN": math.NaN(),
}

// resolveV2 types a plain scalar the way the original's yaml.v2 did: nil, bool, int, int64, uint64,
// float64 or string. The model keeps metadata with these types because the service hash depends on them.
func resolveV2(s string) any {
	if v, ok := v2Specials[s]; ok {
		return v
	}
	if s == "" {
		return s
	}
	switch c := s[0]; {
	case c >= '0' && c <= '9', c == '+', c == '-':
		plain := strings.ReplaceAll(s, "_", "")
		if i, err := strconv.ParseInt(plain, 0, 64); err == nil {
			if i == int64(int(i)) {
				return int(i)
			}
			return i
		}
		if u, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return u
		}
		if f, err := strconv.ParseFloat(plain, 64); err == nil {
			return f
		}
	case c == '.':
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return s
}
