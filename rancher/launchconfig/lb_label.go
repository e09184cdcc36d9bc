package launchconfig

import (
	"fmt"
	"strconv"
	"strings"
)

// parseTargetLabel parses io.rancher.loadbalancer.target.<service>, a comma-separated list of
// [hostname][:|=][source port][/path][=target port] entries, as the original's convertLbLabel.
func parseTargetLabel(label string) ([]lbRule, error) {
	var rules []lbRule
	for _, entry := range strings.Split(label, ",") {
		entry = strings.Trim(entry, " \t\n")
		if entry == "" {
			return nil, fmt.Errorf("empty entry in %q", label)
		}
		hostname, pos := readHostname(entry)
		sourceText, pos := readDigits(entry, pos)
		path, pos := readPath(entry, pos)
		targetText, _ := readDigits(entry, pos)
		source, err := optionalPort(sourceText)
		if err != nil {
			return nil, err
		}
		target, err := optionalPort(targetText)
		if err != nil {
			return nil, err
		}
		switch {
		case hostname == "" && path == "" && target == 0:
			rules = append(rules, lbRule{TargetPort: source})
		case target == 0 && strings.Contains(entry, "="):
			rules = append(rules, lbRule{Hostname: hostname, TargetPort: source})
		default:
			rules = append(rules, lbRule{Hostname: hostname, SourcePort: source, Path: path, TargetPort: target})
		}
	}
	return rules, nil
}

func readHostname(s string) (string, int) {
	if s[0] >= '0' && s[0] <= '9' {
		return "", 0
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '=', ':':
			return s[:i], i + 1
		case '/':
			return s[:i], i
		}
	}
	return s, len(s)
}

func readDigits(s string, pos int) (string, int) {
	start := pos
	for pos < len(s) && s[pos] >= '0' && s[pos] <= '9' {
		pos++
	}
	return s[start:pos], pos
}

func readPath(s string, pos int) (string, int) {
	if i := strings.IndexByte(s[pos:], '='); i >= 0 {
		return s[pos : pos+i], pos + i + 1
	}
	return s[pos:], len(s)
}

func optionalPort(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	return strconv.ParseInt(s, 10, 32)
}

// mergePortRules applies label overrides to the rules of the same service (and source port, when the
// override names one); a rule no override matches is kept as it is.
func mergePortRules(base, overrides []lbRule) []lbRule {
	out := []lbRule{}
	for _, b := range base {
		before := len(out)
		for _, o := range overrides {
			if b.Service == o.Service && (o.SourcePort == 0 || b.SourcePort == o.SourcePort) {
				r := b
				r.Path, r.Hostname = o.Path, o.Hostname
				if o.TargetPort != 0 {
					r.TargetPort = o.TargetPort
				}
				out = append(out, r)
			}
		}
		if len(out) == before {
			out = append(out, b)
		}
	}
	return out
}
