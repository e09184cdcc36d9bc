package sim

import (
	"regexp"
	"strings"
)

var stackIDPattern = regexp.MustCompile(`^1st(\d+)$`)

// toV1 rewrites a /v2-beta answer into the /v1 view (§1.1): stacks become "environment"
// resources with 1e ids, stackId becomes environmentId, /stacks/ URLs become /environments/.
func toV1(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			key := k
			switch k {
			case "stackId":
				key = "environmentId"
			case "stack":
				if _, isURL := x.(string); isURL {
					key = "environment"
				}
			}
			out[key] = toV1(x)
		}
		if out["type"] == "stack" {
			out["type"] = "environment"
			out["baseType"] = "environment"
		}
		if out["resourceType"] == "stack" {
			out["resourceType"] = "environment"
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = toV1(x)
		}
		return out
	case string:
		if m := stackIDPattern.FindStringSubmatch(t); m != nil {
			return "1e" + m[1]
		}
		if strings.Contains(t, "/stacks") {
			t = strings.ReplaceAll(t, "/stacks/1st", "/environments/1e")
			return strings.ReplaceAll(t, "/stacks", "/environments")
		}
		return t
	}
	return v
}

// fromV1Body maps a /v1 request body onto v2-beta names (environmentId → stackId).
func fromV1Body(body map[string]any) {
	if v, ok := body["environmentId"]; ok {
		if _, has := body["stackId"]; !has {
			body["stackId"] = v
		}
		delete(body, "environmentId")
	}
}
