package e2e

import (
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

const secretsProject = `version: '2'
services:
  db:
    image: postgres:9.6
    environment:
      DB_PASSWORD: ${DB_PASSWORD}
      LOG_LEVEL: ${LOG_LEVEL}
    labels:
      db.url: postgres://app:${DB_PASSWORD}@db/app
      api.token: literal-tok-999
`

// A dry-run plan says that an environment value or a value holding a secret changed, never to what, in text
// and JSON; `config` masks a secret interpolated into a label; --show-secrets shows them (issue 11, item 15).
func TestPlansAndConfigHideSecretValues(t *testing.T) {
	e := newEnv(t, sim.Options{})
	e.writeFile("docker-compose.yml", secretsProject)
	e.writeFile("vars.env", "DB_PASSWORD=pw-Old-1111\nLOG_LEVEL=lvl-debug\n")
	e.must(e.run("-e", "vars.env", "-p", "sec", "up", "-d"), "up -d")
	e.writeFile("vars.env", "DB_PASSWORD=pw-New-2222\nLOG_LEVEL=lvl-info\n")
	hidden := []string{"pw-Old-1111", "pw-New-2222", "lvl-debug", "lvl-info"}
	for _, format := range []string{"text", "json"} {
		r := e.must(e.run("-e", "vars.env", "-p", "sec", "up", "-d", "--upgrade", "--dry-run", "--format", format), "up --upgrade --dry-run --format "+format)
		for _, v := range hidden {
			if strings.Contains(r.stdout+r.stderr, v) {
				t.Errorf("--format %s: the plan prints %q:\n%s", format, v, r.stdout)
			}
		}
		want := map[string]string{"text": "environment.DB_PASSWORD: changed (value hidden)", "json": `"hidden": true`}[format]
		if !strings.Contains(r.stdout, want) || !strings.Contains(r.stdout, "LOG_LEVEL") || !strings.Contains(r.stdout, "db.url") {
			t.Errorf("--format %s: the plan does not say which values changed (want %q, LOG_LEVEL, db.url):\n%s", format, want, r.stdout)
		}
	}
	shown := e.must(e.run("-e", "vars.env", "-p", "sec", "up", "-d", "--upgrade", "--dry-run", "--show-secrets"), "up --dry-run --show-secrets")
	if !strings.Contains(shown.stdout, "pw-New-2222") || !strings.Contains(shown.stdout, "lvl-info") {
		t.Errorf("--show-secrets hides the values:\n%s", shown.stdout)
	}

	cfg := e.must(e.run("-e", "vars.env", "-p", "sec", "config"), "config")
	if strings.Contains(cfg.stdout, "pw-New-2222") || strings.Contains(cfg.stdout, "literal-tok-999") {
		t.Errorf("config prints the password interpolated into a label:\n%s", cfg.stdout)
	}
	if !strings.Contains(cfg.stdout, "lvl-info") {
		t.Errorf("config masks LOG_LEVEL, which is not secret:\n%s", cfg.stdout)
	}
	cfg = e.must(e.run("-e", "vars.env", "-p", "sec", "config", "--format", "json", "--show-secrets"), "config --show-secrets")
	if !strings.Contains(cfg.stdout, "postgres://app:pw-New-2222@db/app") {
		t.Errorf("config --show-secrets hides the label:\n%s", cfg.stdout)
	}
}
