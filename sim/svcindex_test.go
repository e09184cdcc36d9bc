package sim

import (
	"strings"
	"testing"
)

func TestFoldKeyMatchesEqualFold(t *testing.T) {
	words := []string{"web", "WEB", "Web", "wEb", "db", "kelvin", "\u212aelvin", "Kelvin", "\u017fite", "site", "SITE",
		"stra\u00dfe", "STRASSE", "\u00e9t\u00e9", "\u00c9T\u00c9", "a-1", "A-1", ""}
	for _, a := range words {
		for _, b := range words {
			if got, want := foldKey(a) == foldKey(b), strings.EqualFold(a, b); got != want {
				t.Errorf("foldKey(%q) == foldKey(%q): %v, EqualFold: %v", a, b, got, want)
			}
		}
	}
}

// TestServiceNamesUniqueThroughRenamesAndSidekicks follows the name index through what changes names:
// creation, a rename, sidekicks, another stack, a removal.
func TestServiceNamesUniqueThroughRenamesAndSidekicks(t *testing.T) {
	_, c := startSim(t, Options{})
	st := c.createStack("app")
	other := c.createStack("other")
	sid := strOf(st["id"])
	lc := map[string]any{"imageUuid": "docker:nginx"}
	web := c.createService(sid, "web", 1, lc)
	c.createService(sid, "api", 1, lc)
	c.must(201, "POST", "/v2-beta/services", map[string]any{"name": "side", "stackId": sid, "launchConfig": lc,
		"secondaryLaunchConfigs": []any{map[string]any{"name": "Helper", "imageUuid": "docker:nginx"}}})
	post := func(name string) reply {
		return c.do("POST", "/v2-beta/services", map[string]any{"name": name, "stackId": sid, "launchConfig": lc})
	}
	assertError(t, post("WEB"), 422, "NotUnique", "name")
	assertError(t, post("helper"), 422, "NotUnique", "name")
	c.must(201, "POST", "/v2-beta/services", map[string]any{"name": "Web", "stackId": other["id"], "launchConfig": lc})

	self := strOf(asMap(web["links"])["self"])
	assertError(t, c.do("PUT", self, map[string]any{"name": "API"}), 422, "NotUnique", "name")
	c.must(200, "PUT", self, map[string]any{"name": "front"})
	c.must(201, "POST", "/v2-beta/services", map[string]any{"name": "web", "stackId": sid, "launchConfig": lc})
	assertError(t, post("Front"), 422, "NotUnique", "name")
}
