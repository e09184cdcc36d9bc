package vars

import "testing"

func TestLooksSecret(t *testing.T) {
	secret := []string{
		"DB_PASSWORD", "MYSQL_ROOT_PASSWORD", "password", "dbPassword", "AWS_SECRET_ACCESS_KEY",
		"RANCHER_SECRET_KEY", "RANCHER_ACCESS_KEY", "GITHUB_TOKEN", "api_key", "APIKEY", "SMTP_PASS",
		"LDAP_BIND_PWD", "ADMIN_PW", "WIFI_PSK", "SSH_PRIVATE_KEY", "OAUTH_CLIENT_SECRET", "AUTH_TOKEN",
		"GPG_PASSPHRASE", "SENTRY_DSN", "TLS_CERT", "DOCKER_CREDENTIALS", "PASSWD",
	}
	plain := []string{
		"PWD", "OLDPWD", "HOME", "IMAGE_TAG", "PORT", "HOSTNAME", "SCALE", "BUILD_NUMBER", "PASSIVE_MODE",
		"stack_name", "MEMORY_LIMIT", "COMPASS",
	}
	for _, n := range secret {
		if !LooksSecret(n) {
			t.Errorf("LooksSecret(%q) = false, want true", n)
		}
	}
	for _, n := range plain {
		if LooksSecret(n) {
			t.Errorf("LooksSecret(%q) = true, want false", n)
		}
	}
}

func TestDisplay(t *testing.T) {
	if got := Display("DB_PASSWORD", "hunter2"); got != Masked {
		t.Errorf("Display(secret) = %q", got)
	}
	if got := Display("DB_PASSWORD", ""); got != "" {
		t.Errorf("Display(empty secret) = %q, want empty (nothing to hide)", got)
	}
	if got := Display("TAG", "v1"); got != "v1" {
		t.Errorf("Display(plain) = %q", got)
	}
}
