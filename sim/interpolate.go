package sim

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// composeVariables is the executor's createVariableMap (rancher-compose-executor
// executor/handlers/project.go): the stack's environment, plus the default of every catalog
// question (.catalog.questions in the rancher-compose text) the environment does not set.
func composeVariables(environment any, rancherCompose string) map[string]string {
	vars := map[string]string{}
	for k, v := range stringMap(environment) {
		vars[k] = v
	}
	for _, q := range catalogQuestions(rancherCompose) {
		if _, set := vars[q.variable]; !set && q.variable != "" {
			vars[q.variable] = q.def
		}
	}
	return vars
}

type catalogQuestion struct{ variable, def string }

// catalogQuestions reads .catalog.questions; text that does not parse has none (the compose
// parser reports the error).
func catalogQuestions(rancherCompose string) []catalogQuestion {
	var doc struct {
		Catalog struct {
			Questions []struct {
				Variable string `yaml:"variable"`
				Default  any    `yaml:"default"`
			} `yaml:"questions"`
		} `yaml:".catalog"`
	}
	if yaml.Unmarshal([]byte(rancherCompose), &doc) != nil {
		return nil
	}
	var out []catalogQuestion
	for _, q := range doc.Catalog.Questions {
		def := ""
		if q.Default != nil {
			def = toString(q.Default)
		}
		out = append(out, catalogQuestion{variable: q.Variable, def: def})
	}
	return out
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(b))
}

// interpolateValues replaces $VAR and ${VAR} (also ${VAR:-default} and ${VAR-default}) in every
// string value of a parsed compose document, keys excepted, as libcompose does; "$$" is a literal
// "$" and an unset variable is empty.
func interpolateValues(v any, vars map[string]string) any {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			t[k] = interpolateValues(x, vars)
		}
	case []any:
		for i, x := range t {
			t[i] = interpolateValues(x, vars)
		}
	case string:
		return interpolate(t, vars)
	}
	return v
}

func interpolate(s string, vars map[string]string) string {
	if !strings.Contains(s, "$") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i == len(s)-1 {
			b.WriteByte(s[i])
			continue
		}
		switch next := s[i+1]; {
		case next == '$':
			b.WriteByte('$')
			i++
		case next == '{':
			end := strings.IndexByte(s[i:], '}')
			if end < 0 {
				b.WriteString(s[i:])
				return b.String()
			}
			b.WriteString(expand(s[i+2:i+end], vars))
			i += end
		case isNameByte(next, true):
			j := i + 1
			for j < len(s) && isNameByte(s[j], false) {
				j++
			}
			b.WriteString(vars[s[i+1:j]])
			i = j - 1
		default:
			b.WriteByte('$')
		}
	}
	return b.String()
}

// expand resolves the inside of ${…}.
func expand(expr string, vars map[string]string) string {
	if name, def, ok := strings.Cut(expr, ":-"); ok {
		if v := vars[name]; v != "" {
			return v
		}
		return def
	}
	if name, def, ok := strings.Cut(expr, "-"); ok {
		if v, set := vars[name]; set {
			return v
		}
		return def
	}
	return vars[expr]
}

func isNameByte(c byte, first bool) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9')
}
