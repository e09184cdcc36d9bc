package kube

import (
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// dnsLabel turns s into an RFC 1123 label: lower case, [a-z0-9-], starting and ending with an
// alphanumeric, at most 63 characters. Empty input becomes "x".
func dnsLabel(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	out := b.String()
	for strings.Contains(out, "--") {
		out = strings.ReplaceAll(out, "--", "-")
	}
	out = strings.Trim(out, "-")
	if len(out) > validation.DNS1123LabelMaxLength {
		out = strings.TrimRight(out[:validation.DNS1123LabelMaxLength], "-")
	}
	if out == "" {
		return "x"
	}
	return out
}

// serviceName is dnsLabel for names that must also start with a letter (Service names: RFC 1035).
func serviceName(s string) string {
	out := dnsLabel(s)
	if out[0] >= '0' && out[0] <= '9' {
		out = dnsLabel("s-" + out)
	}
	return out
}

// nameTable gives every compose service a unique Kubernetes name, remembering the renames.
type nameTable struct {
	byService map[string]string
	taken     map[string]string // Kubernetes name → compose service
}

func newNameTable() *nameTable {
	return &nameTable{byService: map[string]string{}, taken: map[string]string{}}
}

// assign returns the Kubernetes name for service, making one on first use; renamed is true when it
// differs from the compose name.
func (t *nameTable) assign(service string) (name string, renamed bool) {
	if n, ok := t.byService[service]; ok {
		return n, n != service
	}
	base := serviceName(service)
	name = base
	for i := 2; t.taken[name] != ""; i++ {
		name = dnsLabel(base[:min(len(base), 58)] + "-" + strconv.Itoa(i))
	}
	t.byService[service], t.taken[name] = name, service
	return name, name != service
}

// name returns the assigned name of a service (its sanitised name when it was never assigned).
func (t *nameTable) name(service string) string {
	if n, ok := t.byService[service]; ok {
		return n
	}
	return serviceName(service)
}
