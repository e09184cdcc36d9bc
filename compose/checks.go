package compose

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// invalidValue reports a value Rancher or Docker would refuse: an error, or a warning when an unset
// variable was blanked into it (a template with unanswered questions still loads, as with the original).
func (d *decoder) invalidValue(n *node, path, format string, args ...any) {
	if n.reported {
		return
	}
	if n.blanked {
		n.reported = true
		d.diags.warnf(n.pos, path, format+" (after substituting an unset variable by a blank)", args...)
		return
	}
	d.valueErrorf(n, path, format, args...)
}

// quoteValue renders a value for a message, unless a secret variable was substituted into it.
func quoteValue(n *node, s string) string {
	if n.secret {
		return "(a value containing a secret variable, not shown)"
	}
	return strconv.Quote(s)
}

// oneOf checks an enumerated string field; "" (unset) is allowed.
func (d *decoder) oneOf(n *node, path, v string, allowed ...string) {
	if v == "" {
		return
	}
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	d.invalidValue(n, path, "invalid value %s (expected one of %s)", quoteValue(n, v), strings.Join(allowed, ", "))
}

// restart decodes a restart policy: no, always, on-failure[:N] or unless-stopped.
func (d *decoder) restart(n *node, path string) string {
	s := d.str(n, path)
	if s != "" && !validRestart(s) {
		d.invalidValue(n, path, "invalid restart policy %s (expected no, always, on-failure[:N] or unless-stopped)", quoteValue(n, s))
	}
	return s
}

func validRestart(s string) bool {
	switch s {
	case "no", "always", "on-failure", "unless-stopped":
		return true
	}
	count, ok := strings.CutPrefix(s, "on-failure:")
	v, err := strconv.Atoi(count)
	return ok && err == nil && v >= 0
}

// expose decodes expose: a list of container ports ("80", "53/udp", or "9010:9010", which Rancher accepts).
func (d *decoder) expose(n *node, path string) []string {
	out := d.strList(n, path, false)
	forEachScalarItem(n, path, func(it *node, p string) {
		if err := validatePort(it.text()); err != nil {
			d.invalidValue(it, p, "invalid exposed port %s (expected a container port such as 80 or 53/udp)", quoteValue(it, it.text()))
		}
	})
	return out
}

// extraHosts decodes extra_hosts ("HOST:IP" items, or a mapping HOST: IP) and checks each as Docker does.
func (d *decoder) extraHosts(n *node, path string) []string {
	out := d.colonList(n, path)
	forEachScalarItem(n, path, func(it *node, p string) {
		if msg := extraHostProblem(it.text()); msg != "" {
			d.invalidValue(it, p, "invalid extra host %s: %s", quoteValue(it, it.text()), msg)
		}
	})
	if n != nil && n.kind == mapNode {
		for _, e := range n.entries {
			if v := e.value; v != nil && v.kind == scalarNode && net.ParseIP(strings.TrimSpace(v.text())) == nil {
				d.invalidValue(v, joinPath(path, e.key), "invalid extra host %q: %s is not an IP address", e.key, quoteValue(v, v.text()))
			}
		}
	}
	return out
}

func extraHostProblem(s string) string {
	host, ip, ok := strings.Cut(s, ":")
	switch {
	case !ok || strings.TrimSpace(host) == "" || strings.TrimSpace(ip) == "":
		return "expected HOST:IP, e.g. db:10.0.0.5"
	case net.ParseIP(strings.TrimSpace(ip)) == nil:
		return fmt.Sprintf("%q is not an IP address", strings.TrimSpace(ip))
	}
	return ""
}

// forEachScalarItem calls f for every non-null scalar item of a list.
func forEachScalarItem(n *node, path string, f func(it *node, p string)) {
	if n == nil || n.kind != seqNode {
		return
	}
	for i, it := range n.items {
		if it != nil && it.kind == scalarNode && !it.null {
			f(it, indexPath(path, i))
		}
	}
}

// duration decodes a compose duration ("30s", "1m30s").
func (d *decoder) duration(n *node, path string) string {
	s := d.str(n, path)
	if s == "" {
		return s
	}
	if v, err := time.ParseDuration(s); err != nil || v < 0 {
		d.invalidValue(n, path, "invalid duration %s (expected a number with a unit, e.g. 30s or 1m30s)", quoteValue(n, s))
	}
	return s
}

// checkMemorySwap reports memswap_limit without mem_limit, which Docker refuses when creating the container.
func (l *loader) checkMemorySwap(n *node, path string, s *ServiceConfig, d *decoder) {
	if s.MemSwapLimit <= 0 || s.MemLimit != 0 {
		return
	}
	ml := n.get("mem_limit")
	if ml.isReported() {
		return
	}
	sw := n.get("memswap_limit")
	if ml != nil && ml.blanked {
		sw.blanked = true
	}
	d.invalidValue(sw, joinPath(path, "memswap_limit"), "memswap_limit needs mem_limit: Docker refuses a swap limit without a memory limit")
}

// valueRef is a name used as a reference, with where it was written.
type valueRef struct {
	name    string
	pos     Pos
	path    string
	blanked bool
}

// portRuleServiceRefs returns the service of each lb_config port rule of a rancher entry.
func portRuleServiceRefs(n *node, path string) []valueRef {
	rules := n.get("lb_config").get("port_rules")
	if rules == nil || rules.kind != seqNode {
		return nil
	}
	var out []valueRef
	for i, r := range rules.items {
		s := r.get("service")
		if s == nil || s.kind != scalarNode || s.null {
			continue
		}
		out = append(out, valueRef{name: strings.TrimSpace(v2Text(s.v2Value())), pos: s.pos, path: indexPath(path+".lb_config.port_rules", i) + ".service", blanked: s.blanked})
	}
	return out
}

// checkPortRuleServices reports port rules naming a service that is not in the project (and has no
// stack/ prefix, which names a service of another stack).
func checkPortRuleServices(s *Service, byName map[string]*Service, diags *diagnostics) {
	for _, r := range s.portRuleRefs {
		if r.name == "" || strings.Contains(r.name, "/") || byName[r.name] != nil {
			continue
		}
		sev, suffix := SeverityError, ""
		if r.blanked {
			sev, suffix = SeverityWarning, " (after substituting an unset variable by a blank)"
		}
		diags.add(sev, r.pos, r.path, "port rule targets service %q, which is not a service of this project (write stack/service for a service of another stack)%s", r.name, suffix)
	}
}

// checkSidekickLabel reports an empty name in io.rancher.sidekicks ("a,,b" or a trailing comma).
func checkSidekickLabel(s *Service, diags *diagnostics) {
	label, ok := s.Compose.Labels[sidekicksLabel]
	if !ok || strings.TrimSpace(label) == "" {
		return
	}
	for _, part := range strings.Split(label, ",") {
		if strings.TrimSpace(part) == "" {
			sev, suffix := SeverityError, ""
			if s.sidekicksBlanked {
				sev, suffix = SeverityWarning, " (after substituting an unset variable by a blank)"
			}
			diags.add(sev, s.refPos("sidekicks"), serviceRef(s)+".labels."+sidekicksLabel, "io.rancher.sidekicks %q has an empty name; separate names with single commas%s", label, suffix)
			return
		}
	}
}
