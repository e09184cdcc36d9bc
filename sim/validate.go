package sim

import (
	"encoding/json"
	"strings"
)

// validateDNSName applies Cattle's DNS_NAME_PATTERN ^[a-zA-Z0-9](?!.*--)[a-zA-Z0-9-]*$, the
// 63-character limit and the no-trailing-dash rule.
func validateDNSName(field, name string) *apiError {
	if name == "" {
		return invalid(codeMissingRequired, field)
	}
	if len(name) > 63 {
		return invalid(codeMaxLengthExceeded, field)
	}
	if !isAlnum(name[0]) || strings.Contains(name, "--") || strings.HasSuffix(name, "-") {
		return invalid(codeInvalidCharacters, field)
	}
	for i := 0; i < len(name); i++ {
		if !isAlnum(name[i]) && name[i] != '-' {
			return invalid(codeInvalidCharacters, field)
		}
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// filterFields keeps the body keys the schema allows on create (or update).
func filterFields(sd *schemaDef, body map[string]any, update bool) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		fd, ok := sd.fieldByName[k]
		if !ok {
			continue
		}
		if (update && fd.Update) || (!update && fd.Create) {
			out[k] = deepCopy(v)
		}
	}
	return out
}

// checkMetadata enforces the 1 MiB limit on service metadata.
func checkMetadata(v any) *apiError {
	if v == nil {
		return nil
	}
	b, _ := json.Marshal(v)
	if len(b) > 1<<20 {
		return invalid(codeMaxLimitExceeded, "metadata limit is 1MB")
	}
	return nil
}

// checkScalePolicy rejects min > max.
func checkScalePolicy(v any) *apiError {
	sp := asMap(v)
	if sp == nil {
		return nil
	}
	min, max := toInt(sp["min"]), toInt(sp["max"])
	if _, ok := sp["min"]; !ok {
		return invalid(codeMissingRequired, "min")
	}
	if _, ok := sp["max"]; ok && min > max {
		return invalid(codeMaxLimitExceeded, "Min scale can't exceed scale")
	}
	return nil
}
