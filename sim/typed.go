package sim

import "strings"

// basicTypes are gdapi's scalar field types: values of these types are rendered as stored.
var basicTypes = setOf("string", "int", "float", "boolean", "date", "password", "json", "enum", "blob", "type", "schema")

// formatField renders a stored value of a schema field type the way gdapi's
// IdFormatterUtils.formatReference does: an embedded object of a schema type (launchConfig,
// dockerBuild, logConfig, …), also inside array[…] and map[…], comes back with "type" set to that
// schema and only the schema's fields that were stored (nulls kept, unknown keys dropped).
func (s *Server) formatField(typ string, v any) any {
	if v == nil {
		return nil
	}
	if inner, ok := strings.CutPrefix(typ, "array["); ok {
		l, isList := v.([]any)
		if !isList {
			return v
		}
		elem := strings.TrimSuffix(inner, "]")
		out := make([]any, len(l))
		for i, x := range l {
			out[i] = s.formatField(elem, x)
		}
		return out
	}
	if inner, ok := strings.CutPrefix(typ, "map["); ok {
		m, isMap := v.(map[string]any)
		if !isMap {
			return v
		}
		elem := strings.TrimSuffix(inner, "]")
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[k] = s.formatField(elem, x)
		}
		return out
	}
	if basicTypes[typ] || strings.HasPrefix(typ, "reference[") {
		return v
	}
	sd := s.schemas.byID[typ]
	m, isMap := v.(map[string]any)
	if sd == nil || !isMap {
		return v
	}
	out := make(map[string]any, len(m)+1)
	out["type"] = sd.ID
	if len(m) < len(sd.Fields) {
		// The same keys either way: a launch config sets a few of its schema's ~100 fields.
		for k, x := range m {
			if fd, ok := sd.fieldByName[k]; ok {
				out[k] = s.formatField(fd.Type, x)
			}
		}
		return out
	}
	for _, fd := range sd.Fields {
		if x, present := m[fd.Name]; present {
			out[fd.Name] = s.formatField(fd.Type, x)
		}
	}
	return out
}
