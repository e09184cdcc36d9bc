package e2e

import (
	"strings"
	"testing"

	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// TestVerboseUpNeverPrintsSecrets runs `--verbose up -d` (every HTTP exchange logged) with a secret key and
// secret-looking variables from --env-file, and asserts none of the values appears in any output.
func TestVerboseUpNeverPrintsSecrets(t *testing.T) {
	e := newEnv(t, sim.Options{SecretKey: "sk-Very-Secret-9f8e7d6c5b4a", AccessKey: "AKTESTKEY"})
	e.writeFile("secrets.env", "DB_PASSWORD=hunter2-Pa55w0rd-xyz\nAPI_TOKEN=tok-0123456789abcdef\nAWS_SECRET_ACCESS_KEY=aws-Secret-Key-42\nPLAIN=visible-value\n")
	e.writeFile("docker-compose.yml", `version: '2'
services:
  db:
    image: postgres:9.6
    environment:
      POSTGRES_PASSWORD: ${DB_PASSWORD}
      DB_PASSWORD: ${DB_PASSWORD}
      PLAIN: ${PLAIN}
    labels:
      token: ${API_TOKEN}
  app:
    image: nginx:1.13
    environment:
      - API_TOKEN=${API_TOKEN}
      - AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}
    links:
      - db
`)
	r := e.must(e.run("--verbose", "-e", "secrets.env", "-p", "secrets", "up", "-d", "--progress", "plain"), "--verbose up -d")
	if !strings.Contains(r.stderr, "POST") || !strings.Contains(r.stderr, "/services") {
		t.Fatalf("--verbose did not log the HTTP exchanges:\n%s", r.stderr)
	}
	out := r.stdout + r.stderr
	for _, secret := range []string{"sk-Very-Secret-9f8e7d6c5b4a", "hunter2-Pa55w0rd-xyz", "tok-0123456789abcdef", "aws-Secret-Key-42"} {
		if strings.Contains(out, secret) {
			i := strings.Index(out, secret)
			lo := max(0, i-200)
			t.Errorf("secret %q printed:\n...%s...", secret, out[lo:min(len(out), i+100)])
		}
	}
	if s := e.service("secrets", "db"); s.State != "active" {
		t.Errorf("db state %s", s.State)
	}
}
