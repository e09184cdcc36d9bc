package upgrade

import (
	"strings"

	"github.com/rancher-compose-ng/rancher-compose/compose/vars"
)

// hiddenValue stands for an environment value inside a whole environment map shown in a diff.
const hiddenValue = "(value hidden)"

// hideSecrets rewrites the diffs of a plan so they say that a value changed, not to what: every environment
// value (any of them may be a credential), and any value holding one of secrets (the values of the
// variables whose names look secret, wherever they were interpolated: a label, a command, a URL).
func hideSecrets(p *ServicePlan, secrets []string) {
	for i := range p.Steps {
		for j, c := range p.Steps[i].Diff {
			p.Steps[i].Diff[j] = hideChange(c, secrets)
		}
	}
}

func hideChange(c Change, secrets []string) Change {
	env := isEnvironmentPath(c.Path)
	if env && !strings.Contains(c.Path, "environment.") {
		c.Old, c.New = hideMapValues(c.Old), hideMapValues(c.New)
		return c
	}
	if env || isSecretLabelPath(c.Path) || holdsSecret(c.Old, secrets) || holdsSecret(c.New, secrets) {
		c.Old, c.New, c.Hidden = nil, nil, true
	}
	return c
}

// isEnvironmentPath tells whether a diff path is a launch config's environment or one of its variables
// ("environment.DB_PASSWORD", "sidekick worker.environment.TOKEN").
func isEnvironmentPath(path string) bool {
	if strings.HasPrefix(path, "sidekick ") {
		_, path, _ = strings.Cut(path, ".")
	}
	return path == "environment" || strings.HasPrefix(path, "environment.")
}

// isSecretLabelPath tells whether a diff path is a label whose key looks secret ("labels.db.password").
func isSecretLabelPath(path string) bool {
	if strings.HasPrefix(path, "sidekick ") {
		_, path, _ = strings.Cut(path, ".")
	}
	key, ok := strings.CutPrefix(path, "labels.")
	return ok && vars.LooksSecret(key)
}

func hideMapValues(v any) any {
	m, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			return nil
		}
		return hiddenValue
	}
	out := make(map[string]any, len(m))
	for k := range m {
		out[k] = hiddenValue
	}
	return out
}

// holdsSecret tells whether v, or any string inside it, contains one of secrets.
func holdsSecret(v any, secrets []string) bool {
	switch x := v.(type) {
	case string:
		return vars.ContainsAny(x, secrets)
	case map[string]any:
		for _, item := range x {
			if holdsSecret(item, secrets) {
				return true
			}
		}
	case []any:
		for _, item := range x {
			if holdsSecret(item, secrets) {
				return true
			}
		}
	case []string:
		for _, item := range x {
			if vars.ContainsAny(item, secrets) {
				return true
			}
		}
	case map[string]string:
		for _, item := range x {
			if vars.ContainsAny(item, secrets) {
				return true
			}
		}
	}
	return false
}
