package rancher

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

const redacted = "<redacted>"

// minSecretLen is the shortest literal replaced everywhere: shorter values (a 1-character test key, "1")
// would mangle the whole log while protecting nothing.
const minSecretLen = 3

// secretName matches field and variable names whose values are secrets: passwords, secrets, tokens,
// credentials, private keys and anything named like a key (accessKey, SSH_KEY, key).
var secretName = regexp.MustCompile(`(?i)(passw|pwd|secret|token|credential|private|key$|_key|key_|-key)`)

// secretAssignment finds NAME=VALUE and "NAME": "VALUE" pairs in text that is not JSON.
var secretAssignment = regexp.MustCompile(`(?i)([A-Za-z0-9_.-]*(?:passw|pwd|secret|token|credential|private|key)[A-Za-z0-9_.-]*"?\s*[=:]\s*"?)([^\s"&,;]+)`)

// redactor removes secrets from what --verbose prints. Values found under secret-looking names are
// remembered, so they stay hidden when they show up later under another name or in another body.
type redactor struct {
	mu      sync.Mutex
	secrets []string // literal values never to print: the secret key, then every value learned
}

func newRedactor(secrets ...string) *redactor {
	r := &redactor{}
	for _, s := range secrets {
		if s != "" {
			r.secrets = append(r.secrets, s)
		}
	}
	return r
}

// body redacts a request or response body: JSON values under secret-looking names, NAME=VALUE strings
// with secret-looking names, and every literal secret wherever it appears.
func (r *redactor) body(b []byte) string {
	if len(bytes.TrimSpace(b)) == 0 {
		return ""
	}
	var found []string
	var doc any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	text := string(b)
	if dec.Decode(&doc) == nil {
		doc = redactJSON(doc, &found)
		var out bytes.Buffer
		enc := json.NewEncoder(&out)
		enc.SetEscapeHTML(false)
		if enc.Encode(doc) == nil {
			text = strings.TrimSuffix(out.String(), "\n")
		}
	} else {
		text = secretAssignment.ReplaceAllStringFunc(text, func(m string) string {
			sub := secretAssignment.FindStringSubmatch(m)
			found = append(found, sub[2])
			return sub[1] + redacted
		})
	}
	r.learn(found)
	return r.literals(text, nil)
}

// learn remembers secret values found in a body.
func (r *redactor) learn(values []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, v := range values {
		if len(v) >= minSecretLen && !slices.Contains(r.secrets, v) {
			r.secrets = append(r.secrets, v)
		}
	}
}

// url redacts credentials and secret-looking query parameters of a URL.
func (r *redactor) url(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return r.literals(raw, nil)
	}
	u.User = nil
	q := u.Query()
	changed := false
	for k := range q {
		if secretName.MatchString(k) {
			q.Set(k, redacted)
			changed = true
		}
	}
	if changed {
		u.RawQuery = q.Encode()
	}
	return r.literals(u.String(), nil)
}

// literals replaces every known secret value, longest first, so none survives inside other text.
func (r *redactor) literals(s string, extra []string) string {
	r.mu.Lock()
	all := append(append([]string{}, r.secrets...), extra...)
	r.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	for _, v := range all {
		if len(v) >= minSecretLen && v != redacted {
			s = strings.ReplaceAll(s, v, redacted)
		}
	}
	return s
}

func redactJSON(v any, found *[]string) any {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if secretName.MatchString(k) && isScalarJSON(val) && !isEmptyJSON(val) {
				if s, ok := val.(string); ok {
					*found = append(*found, s)
				}
				t[k] = redacted
				continue
			}
			// A map or list under a secret-looking name (a schema's field definition, a list of secret
			// references) is walked, not learned: learning its leaves ("string", "null") would redact them everywhere.
			t[k] = redactJSON(val, found)
		}
		return t
	case []any:
		for i, val := range t {
			t[i] = redactJSON(val, found)
		}
		return t
	case string:
		if name, value, ok := strings.Cut(t, "="); ok && value != "" && secretName.MatchString(name) && !strings.ContainsAny(name, " \t") {
			*found = append(*found, value)
			return name + "=" + redacted
		}
		return t
	}
	return v
}

func isEmptyJSON(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	case map[string]any:
		return len(t) == 0
	case []any:
		return len(t) == 0
	}
	return false
}

func isScalarJSON(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// redactURL removes credentials written in a URL (for error messages).
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = nil
	return u.String()
}
