package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
)

// get reads one API path from the simulator with the environment key, as the original's tests read Cattle.
func (e *env) get(path string) map[string]any {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.sim.URL()+"/v2-beta/"+strings.TrimPrefix(path, "/"), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.SetBasicAuth(e.sim.AccessKey(), e.sim.SecretKey())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		e.t.Fatalf("GET %s: %d %v", path, resp.StatusCode, out)
	}
	return out
}

// svc reads the live service resource of stack/name.
func (e *env) svc(stack, name string) map[string]any {
	e.t.Helper()
	return e.get("services/" + e.service(stack, name).ID)
}

// lc is a service's primary launch config.
func lc(svc map[string]any) map[string]any {
	m, _ := svc["launchConfig"].(map[string]any)
	return m
}

// secondaries are a service's sidekick launch configs.
func secondaries(svc map[string]any) []map[string]any {
	list, _ := svc["secondaryLaunchConfigs"].([]any)
	var out []map[string]any
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// links returns the service's links as "target" or "target:alias", sorted, from its linkedServices.
func (e *env) links(stack, name string) []string {
	e.t.Helper()
	linked, _ := e.svc(stack, name)["linkedServices"].(map[string]any)
	var out []string
	for alias, id := range linked {
		n := str(e.get("services/" + str(id))["name"])
		if alias != n && !strings.HasSuffix(alias, "/"+n) {
			n += ":" + alias
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func str(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

// jsonEq compares a value read from JSON with the expected Go value through a JSON round trip.
func jsonEq(t *testing.T, what string, got, want any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	var gv, wv any
	_ = json.Unmarshal(g, &gv)
	_ = json.Unmarshal(w, &wv)
	gj, _ := json.Marshal(gv)
	wj, _ := json.Marshal(wv)
	if string(gj) != string(wj) {
		t.Errorf("%s = %s, want %s", what, gj, wj)
	}
}

// stdinCreate runs `-f - -p stack create` with compose on stdin, and fails the test on a non-zero exit.
func (e *env) stdinRun(stack, compose string, args ...string) result {
	e.t.Helper()
	return e.stdin(compose, append([]string{"-f", "-", "-p", stack}, args...)...)
}

func (e *env) mustStdin(stack, compose string, args ...string) result {
	e.t.Helper()
	return e.must(e.stdinRun(stack, compose, args...), strings.Join(args, " "))
}
