package sim

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"
)

func getJSON(t *testing.T, url, user, pass string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

func projectNames(page map[string]any) []string {
	var out []string
	items, _ := page["data"].([]any)
	for _, it := range items {
		out = append(out, str(it.(map[string]any)["name"])+"="+str(it.(map[string]any)["id"]))
	}
	sort.Strings(out)
	return out
}

// TestEnvironmentsShareOneAddress: the account key sees every environment and reaches each through its
// project sub-context; an environment key sees only its own.
func TestEnvironmentsShareOneAddress(t *testing.T) {
	m, err := StartEnvironments(Options{AccessKey: "ACCOUNT", SecretKey: "SECRET", Hosts: 1}, []string{"dev", "stage", "prod"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	code, page := getJSON(t, m.URL()+"/v2-beta/projects", "ACCOUNT", "SECRET")
	if got := strings.Join(projectNames(page), ","); code != 200 || got != "dev=1a5,prod=1a7,stage=1a6" {
		t.Fatalf("account key lists %d %s", code, got)
	}
	prod := m.Environment("prod")
	code, page = getJSON(t, m.URL()+"/v2-beta/projects", prod.AccessKey(), prod.SecretKey())
	if got := strings.Join(projectNames(page), ","); code != 200 || got != "prod=1a7" {
		t.Fatalf("prod's environment key lists %d %s", code, got)
	}
	if code, _ := getJSON(t, m.URL()+"/v2-beta/projects/1a7/hosts", "ACCOUNT", "SECRET"); code != 200 {
		t.Errorf("account key in prod's sub-context: %d", code)
	}
	if code, _ := getJSON(t, m.URL()+"/v2-beta/projects/1a5/hosts", prod.AccessKey(), prod.SecretKey()); code != http.StatusForbidden && code != http.StatusUnauthorized {
		t.Errorf("prod's key in dev's sub-context: %d, want 401/403", code)
	}
	_, hosts := getJSON(t, m.URL()+"/v2-beta/hosts", prod.AccessKey(), prod.SecretKey())
	for _, h := range hosts["data"].([]any) {
		if str(h.(map[string]any)["accountId"]) != "1a7" {
			t.Errorf("prod host of account %v", h.(map[string]any)["accountId"])
		}
	}
}

// TestEnvironmentsControlAPIPicksAnEnvironment: /_sim/?env=NAME reaches that environment's control API.
func TestEnvironmentsControlAPIPicksAnEnvironment(t *testing.T) {
	m, err := StartEnvironments(Options{Hosts: 1}, []string{"dev", "prod"})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	req, _ := http.NewRequest(http.MethodPost, m.URL()+"/_sim/hosts?env=prod", strings.NewReader(`{"labels":{"role":"db"}}`))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	prod, dev := m.Environment("prod"), m.Environment("dev")
	_, ph := getJSON(t, m.URL()+"/v2-beta/hosts", prod.AccessKey(), prod.SecretKey())
	_, dh := getJSON(t, m.URL()+"/v2-beta/hosts", dev.AccessKey(), dev.SecretKey())
	if len(ph["data"].([]any)) != 2 || len(dh["data"].([]any)) != 1 {
		t.Errorf("prod has %d hosts (want 2), dev %d (want 1)", len(ph["data"].([]any)), len(dh["data"].([]any)))
	}
}
