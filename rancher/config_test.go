package rancher

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"http://h:8080", "http://h:8080/v2-beta"},
		{"http://h:8080/", "http://h:8080/v2-beta"},
		{"https://rancher.example.com", "https://rancher.example.com/v2-beta"},
		{"http://h:8080/v1", "http://h:8080/v2-beta"},
		{"http://h:8080/v1/", "http://h:8080/v2-beta/"},
		{"http://h:8080/v1/projects/1a5", "http://h:8080/v2-beta/projects/1a5"},
		{"http://h:8080/v1/projects/1a5/schemas", "http://h:8080/v2-beta/projects/1a5/schemas"},
		{"http://h:8080/v2-beta", "http://h:8080/v2-beta"},
		{"http://h:8080/v2-beta/projects/1a5", "http://h:8080/v2-beta/projects/1a5"},
		{"http://localhost:8080/v2-beta/projects/1a5/schemas", "http://localhost:8080/v2-beta/projects/1a5/schemas"},
		{"http://h:8080/v1beta", "http://h:8080/v1beta"}, // only a whole /v1 segment is rewritten
		{" http://h:8080 ", "http://h:8080/v2-beta"},
		{"http://user:pw@h:8080/v1", "http://h:8080/v2-beta"},
	}
	for _, c := range cases {
		got, _, err := NormalizeURL(c.in)
		if err != nil || got != c.want {
			t.Errorf("NormalizeURL(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestNormalizeURLRejectsMissingAndMalformed(t *testing.T) {
	for _, in := range []string{"", "rancher:8080", "ftp://h/v2-beta", "http://"} {
		_, _, err := NormalizeURL(in)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.ExitCode() != 2 {
			t.Errorf("NormalizeURL(%q) error = %v, want a ConfigError (exit 2)", in, err)
		}
	}
	if _, _, err := NormalizeURL(""); err == nil || err.Error() != "RANCHER_URL is not set (set it or pass --url)" {
		t.Errorf("empty URL error = %v", err)
	}
	if _, _, err := NormalizeURL("ftp://u:topsecret@h"); err == nil || strings.Contains(err.Error(), "topsecret") {
		t.Errorf("malformed URL error leaks the password: %v", err)
	}
}

func TestNormalizeURLKeepsCredentialsApart(t *testing.T) {
	_, user, err := NormalizeURL("http://ak:sk@h:8080")
	if err != nil || user == nil || user.Username() != "ak" {
		t.Fatalf("user = %v, err = %v", user, err)
	}
	if pw, _ := user.Password(); pw != "sk" {
		t.Errorf("password = %q", pw)
	}
}

func TestVersionRootAndProjectSchemasURL(t *testing.T) {
	cases := map[string]string{
		"http://h:8080/v2-beta":                      "http://h:8080/v2-beta/projects/1a7/schemas",
		"http://h:8080/v2-beta/projects/1a5":         "http://h:8080/v2-beta/projects/1a7/schemas",
		"http://h:8080/v2-beta/projects/1a5/schemas": "http://h:8080/v2-beta/projects/1a7/schemas",
		"https://h/rancher/v2-beta/schemas":          "https://h/rancher/v2-beta/projects/1a7/schemas",
	}
	for in, want := range cases {
		if got := projectSchemasURL(in, "1a7"); got != want {
			t.Errorf("projectSchemasURL(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestConfigFromEnvThenFlags(t *testing.T) {
	env := map[string]string{EnvURL: "http://env:8080", EnvAccessKey: "envak", EnvSecretKey: "envsk", EnvEnvironment: "stage"}
	cfg := ConfigFromEnv(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if cfg.URL != "http://env:8080" || cfg.AccessKey != "envak" || cfg.SecretKey != "envsk" || cfg.Environment != "stage" {
		t.Fatalf("from env: %+v", cfg)
	}
	cfg.ApplyFlags("http://flag:8080", "", "flagsk", "")
	if cfg.URL != "http://flag:8080" || cfg.AccessKey != "envak" || cfg.SecretKey != "flagsk" || cfg.Environment != "stage" {
		t.Errorf("after flags: %+v", cfg)
	}
}

func TestAppendFiltersEncodesNilAsTheOriginal(t *testing.T) {
	got, err := appendFilters("http://h/v2-beta/services", Filters{"stackId": "1st1", "name": "web"}.NotRemoved())
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://h/v2-beta/services?name=web&removed_null=%3Cnil%3E&stackId=1st1"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// Several values of one filter are all sent (Cattle ANDs them): what a list of the moving services needs.
func TestAppendQuerySendsEveryValueOfAFilter(t *testing.T) {
	q := Filters{"stackId": "1st1"}.Query()
	q.Add("state_ne", "active")
	q.Add("state_ne", "inactive")
	got, err := appendQuery("http://h/v2-beta/services?limit=100", q)
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://h/v2-beta/services?limit=100&stackId=1st1&state_ne=active&state_ne=inactive"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestRetryBackoffIsBounded(t *testing.T) {
	p := Config{}.withDefaults().Retry
	var total int64
	for n := 1; n < p.Attempts; n++ {
		d := p.backoff(n)
		if d > p.MaxBackoff || d < p.MinBackoff {
			t.Fatalf("backoff(%d) = %s outside [%s, %s]", n, d, p.MinBackoff, p.MaxBackoff)
		}
		total += int64(d)
	}
	if p.backoff(1) != p.MinBackoff || p.backoff(2) != 2*p.MinBackoff {
		t.Errorf("backoff does not start at min and double: %s %s", p.backoff(1), p.backoff(2))
	}
}

func TestDiscoveryURLScopesProjectURLs(t *testing.T) {
	cases := map[string]string{
		"http://h:8080/v2-beta":                      "http://h:8080/v2-beta",
		"http://h:8080/v2-beta/projects/1a5":         "http://h:8080/v2-beta/projects/1a5/schemas",
		"http://h:8080/v2-beta/projects/1a5/":        "http://h:8080/v2-beta/projects/1a5/schemas",
		"http://h:8080/v2-beta/projects/1a5/schemas": "http://h:8080/v2-beta/projects/1a5/schemas",
		"http://h:8080/v2-beta/projects":             "http://h:8080/v2-beta/projects",
		"https://h/rancher/v2-beta/projects/1a7":     "https://h/rancher/v2-beta/projects/1a7/schemas",
	}
	for in, want := range cases {
		if got := discoveryURL(in); got != want {
			t.Errorf("discoveryURL(%q) = %q, want %q", in, got, want)
		}
	}
}
