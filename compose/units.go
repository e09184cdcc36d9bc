package compose

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// errSecretValue replaces a message that would quote a value holding a secret variable.
var errSecretValue = errors.New("invalid value (not shown: it contains a secret variable)")

var ramSize = regexp.MustCompile(`^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$`)

// RAMInBytes parses a memory size as docker/go-units RAMInBytes does (libcompose's MemStringorInt):
// "512m", "1.5g", "100" (bytes); units are powers of 1024.
func RAMInBytes(s string) (int64, error) {
	m := ramSize.FindStringSubmatch(s)
	if m == nil {
		return -1, fmt.Errorf("invalid size %q (expected a number with an optional unit b, k, m, g, t or p)", s)
	}
	f, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return -1, fmt.Errorf("invalid size %q", s)
	}
	mul := map[string]float64{"k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40, "p": 1 << 50}[strings.ToLower(m[3])]
	if mul > 0 {
		f *= mul
	}
	return int64(f), nil
}

// memory decodes a size field: an integer (bytes) or a size string.
func (d *decoder) memory(n *node, path string) int64 {
	if n == nil || n.null {
		return 0
	}
	if n.kind != scalarNode {
		d.wrongType(n, path, "a memory size such as 512m")
		return 0
	}
	switch v := n.v2Value().(type) {
	case int:
		return int64(v)
	case int64:
		return v
	}
	b, err := RAMInBytes(strings.TrimSpace(n.text()))
	if err != nil && n.secret {
		err = errSecretValue
	}
	if err != nil {
		d.valueErrorf(n, path, "%v", err)
		return 0
	}
	return b
}

// ShellSplit splits a command string into words like a POSIX shell (quotes and backslashes, no
// expansion), as libcompose's Command type does for `command: a "b c"`.
func ShellSplit(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	escaped := false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case quote == '\'':
			if r == '\'' {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case quote == '"':
			switch r {
			case '"':
				quote = 0
			case '\\':
				escaped = true
			default:
				cur.WriteRune(r)
			}
		case r == '\\':
			escaped, inWord = true, true
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case unicode.IsSpace(r):
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if escaped {
		return nil, fmt.Errorf("trailing backslash")
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

// command decodes command/entrypoint: a list as is, a string shell-split.
func (d *decoder) command(n *node, path string) []string {
	if n == nil || n.null {
		return nil
	}
	if n.kind == scalarNode {
		words, err := ShellSplit(n.text())
		if err != nil {
			d.valueErrorf(n, path, "cannot split command %q: %v", n.text(), err)
		}
		return words
	}
	return d.strList(n, path, false)
}

var portSpec = regexp.MustCompile(`^(?:(?:\[[0-9a-fA-F:.]+\]|\d+\.\d+\.\d+\.\d+):)?(?:(\d+)(?:-(\d+))?:)?(\d+)(?:-(\d+))?(?:/(tcp|udp|sctp))?$`)

// validatePort checks a compose port spec: [ip:][host[-range]:]container[-range][/proto].
func validatePort(spec string) error {
	m := portSpec.FindStringSubmatch(spec)
	if m == nil {
		return fmt.Errorf("invalid port %q (expected [IP:][HOST:]CONTAINER[/tcp|udp], e.g. 8080:80)", spec)
	}
	for _, p := range []string{m[1], m[2], m[3], m[4]} {
		if p == "" {
			continue
		}
		if n, _ := strconv.Atoi(p); n < 0 || n > 65535 {
			return fmt.Errorf("invalid port %q: %s is outside 0-65535", spec, p)
		}
	}
	if n, _ := strconv.Atoi(m[3]); n == 0 {
		return fmt.Errorf("invalid port %q: container port 0 is not allowed", spec)
	}
	if (m[1] != "" && m[2] != "") || m[4] != "" {
		hostRange, contRange := portRange(m[1], m[2]), portRange(m[3], m[4])
		if m[1] != "" && hostRange != contRange && hostRange != 1 {
			return fmt.Errorf("invalid port %q: host and container ranges differ in size", spec)
		}
		if hostRange < 1 || contRange < 1 {
			return fmt.Errorf("invalid port %q: a range must go upwards", spec)
		}
	}
	return nil
}

func portRange(lo, hi string) int {
	if hi == "" {
		return 1
	}
	a, _ := strconv.Atoi(lo)
	b, _ := strconv.Atoi(hi)
	return b - a + 1
}
