package scheduler

import (
	"fmt"
	"sort"
	"strings"
)

// op is an affinity operator (Cattle's AffinityOps).
type op int

const (
	opEQ op = iota
	opNE
	opSoftEQ
	opSoftNE
)

func (o op) hard() bool { return o == opEQ || o == opNE }

func (o op) positive() bool { return o == opEQ || o == opSoftEQ }

// labelSuffix is the label-key suffix naming the operator.
func (o op) labelSuffix() string {
	return [...]string{"", "_ne", "_soft", "_soft_ne"}[o]
}

// envOps are the Swarm-style operators in the order Cattle tries them.
var envOps = []struct {
	symbol string
	op     op
}{{"!=~", opSoftNE}, {"==~", opSoftEQ}, {"!=", opNE}, {"==", opEQ}}

// kind says what a constraint looks at.
type kind int

const (
	kindPorts kind = iota
	kindHostLabel
	kindContainerLabel
	kindContainer
)

// constraint is one placement rule of a unit.
type constraint struct {
	kind   kind
	op     op
	key    string
	hasKey bool
	value  string
	ports  []hostPort
}

func (c constraint) hard() bool { return c.kind == kindPorts || c.op.hard() }

// String is the rule as Cattle words it in "Allocation failed: …".
func (c constraint) String() string {
	must := "should"
	if c.op.hard() {
		must = "must"
	}
	have := "not have"
	if c.op.positive() {
		have = "have"
	}
	switch c.kind {
	case kindPorts:
		names := make([]string, len(c.ports))
		for i, p := range c.ports {
			names[i] = p.String()
		}
		return fmt.Sprintf("host needs ports %s available", strings.Join(names, ", "))
	case kindHostLabel:
		return fmt.Sprintf("needs host with label %s%s: %s", c.keyText(), c.op.labelSuffix(), c.value)
	case kindContainerLabel:
		return fmt.Sprintf("host %s %s a container with label %s=%s", must, have, c.keyText(), c.value)
	default:
		return fmt.Sprintf("host %s %s a container with name or uuid %s", must, have, c.value)
	}
}

// keyText renders a missing key as Java's String.format renders null.
func (c constraint) keyText() string {
	if !c.hasKey {
		return "null"
	}
	return c.key
}

// matches reports whether the host satisfies the constraint.
func (c constraint) matches(h Host, on hostView) bool {
	switch c.kind {
	case kindPorts:
		for _, p := range c.ports {
			for _, used := range on.ports {
				if p.conflicts(used) {
					return false
				}
			}
		}
		return true
	case kindHostLabel:
		has := c.hasKey && hasLabel(h.Labels, c.key, c.value)
		return has == c.op.positive()
	case kindContainerLabel:
		has := false
		for _, ctr := range on.containers {
			if c.hasKey && hasLabel(ctr.Labels, c.key, c.value) {
				has = true
				break
			}
		}
		return has == c.op.positive()
	default:
		return c.containerPresent(on) == c.op.positive()
	}
}

// containerPresent looks for a container named c.value (or with that uuid): case-insensitively for
// the "have" forms and exactly for the "not have" forms, as Cattle's ContainerAffinityConstraint does.
func (c constraint) containerPresent(on hostView) bool {
	for _, ctr := range on.containers {
		if c.op.positive() {
			if equalFold(ctr.Name, c.value) || equalFold(ctr.UUID, c.value) {
				return true
			}
		} else if ctr.Name == c.value || ctr.UUID == c.value {
			return true
		}
	}
	return false
}

func hasLabel(labels map[string]string, key, value string) bool {
	for k, v := range labels {
		if equalFold(k, key) && equalFold(v, value) {
			return true
		}
	}
	return false
}

func equalFold(a, b string) bool { return strings.EqualFold(a, b) }

// unitConstraints gathers the constraints of every launch config of the unit: ports, environment
// forms and labels, de-duplicated, hard ones first (Cattle's populateConstraints ordering).
func unitConstraints(req Request, unitPorts [][]hostPort) []constraint {
	var all []constraint
	for i, lc := range req.LaunchConfigs {
		if len(unitPorts[i]) > 0 {
			all = append(all, constraint{kind: kindPorts, ports: unitPorts[i]})
		}
		all = append(all, envConstraints(lc.Environment)...)
		all = append(all, labelConstraints(lc.Labels, macroValues(req, lc))...)
	}
	return orderHardFirst(dedupe(all))
}

func dedupe(cs []constraint) []constraint {
	seen := map[string]bool{}
	var out []constraint
	for _, c := range cs {
		id := fmt.Sprintf("%d/%s", c.kind, c)
		if !seen[id] {
			seen[id] = true
			out = append(out, c)
		}
	}
	return out
}

func orderHardFirst(cs []constraint) []constraint {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].hard() && !cs[j].hard() })
	return cs
}

// macros holds the values ${stack_name} and ${service_name} expand to ("" = left unexpanded).
type macros struct{ stack, service string }

func macroValues(req Request, lc LaunchConfig) macros {
	service := req.ServiceName
	if lc.Name != "" && service != "" {
		service += "/" + lc.Name
	}
	return macros{stack: strings.TrimSpace(req.StackName), service: strings.TrimSpace(service)}
}

func (m macros) expand(v string) string {
	if m.stack != "" {
		v = strings.ReplaceAll(v, "${stack_name}", m.stack)
	}
	if m.service != "" {
		v = strings.ReplaceAll(v, "${service_name}", m.service)
	}
	return v
}

// labelConstraints reads the io.rancher.scheduler.affinity:* labels (AllocationHelperImpl.
// extractConstraintsFromLabels), keys in sorted order.
func labelConstraints(labels map[string]string, m macros) []constraint {
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []constraint
	for _, rawKey := range keys {
		key := strings.ToLower(rawKey)
		value := m.expand(strings.ToLower(labels[rawKey]))
		switch {
		case strings.HasPrefix(key, LabelContainerLabel):
			out = append(out, labelDefs(kindContainerLabel, key[len(LabelContainerLabel):], value, true)...)
		case strings.HasPrefix(key, LabelContainer):
			out = append(out, labelDefs(kindContainer, key[len(LabelContainer):], value, false)...)
		case strings.HasPrefix(key, LabelHostAffinity):
			out = append(out, labelDefs(kindHostLabel, key[len(LabelHostAffinity):], value, true)...)
		}
	}
	return out
}

func labelDefs(k kind, suffix, value string, keyValuePairs bool) []constraint {
	o, ok := opForSuffix(suffix)
	if !ok || value == "" {
		return nil
	}
	var out []constraint
	for _, v := range strings.Split(value, ",") {
		if v == "" {
			continue
		}
		c := constraint{kind: k, op: o, value: v}
		if keyValuePairs && strings.Contains(v, "=") {
			parts := strings.Split(v, "=")
			c.key, c.hasKey, c.value = parts[0], true, ""
			if len(parts) > 1 {
				c.value = parts[1]
			}
		}
		out = append(out, c)
	}
	return out
}

func opForSuffix(suffix string) (op, bool) {
	for _, o := range []op{opSoftNE, opSoftEQ, opNE, opEQ} {
		if o.labelSuffix() == suffix {
			return o, true
		}
	}
	return 0, false
}

// envConstraints reads Swarm-style entries of launchConfig.environment (extractConstraintsFromEnv),
// keys in sorted order.
func envConstraints(env map[string]string) []constraint {
	keys := make([]string, 0, len(env))
	for k := range env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []constraint
	for _, k := range keys {
		def := k
		if !hasEnvOp(k) {
			def = k + "=" + env[k]
		}
		switch {
		case strings.HasPrefix(def, "affinity:container"):
			if c, ok := envDef(kindContainer, def[len("affinity:container"):]); ok && c.value != "" {
				out = append(out, c)
			}
		case strings.HasPrefix(def, "constraint:"):
			if c, ok := envDef(kindHostLabel, def[len("constraint:"):]); ok && c.key != "" {
				out = append(out, c)
			}
		case strings.HasPrefix(def, "affinity:"):
			if c, ok := envDef(kindContainerLabel, def[len("affinity:"):]); ok && c.key != "" {
				out = append(out, c)
			}
		}
	}
	return out
}

func hasEnvOp(s string) bool {
	for _, e := range envOps {
		if strings.Contains(s, e.symbol) {
			return true
		}
	}
	return false
}

func envDef(k kind, def string) (constraint, bool) {
	for _, e := range envOps {
		if i := strings.Index(def, e.symbol); i >= 0 {
			return constraint{kind: k, op: e.op, key: def[:i], hasKey: true, value: def[i+len(e.symbol):]}, true
		}
	}
	return constraint{}, false
}
