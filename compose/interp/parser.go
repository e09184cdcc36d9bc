package interp

import (
	"fmt"
	"strings"
)

// maxDepth bounds ${A:-${B:-${C...}}} nesting so hostile input cannot exhaust the stack.
const maxDepth = 50

type parser struct {
	text string
	opts Options
	refs []Ref
}

// expand copies text from pos, substituting references, until the end of the text or, inside a
// default/replacement/message (inWord), until the unmatched '}' (which it does not consume).
// With eval false it only parses: nothing is looked up and references are recorded as UseSkipped.
func (p *parser) expand(pos int, inWord, eval bool, depth int) (string, int, error) {
	if depth > maxDepth {
		return "", pos, p.syntax(pos, fmt.Sprintf("expected at most %d nested ${...}", maxDepth))
	}
	var out strings.Builder
	for pos < len(p.text) {
		c := p.text[pos]
		switch {
		case c == '}' && inWord:
			return out.String(), pos, nil
		case c != '$':
			next := pos + 1
			if i := strings.IndexAny(p.text[next:], "$}"); i >= 0 {
				next += i
			} else {
				next = len(p.text)
			}
			out.WriteString(p.text[pos:next])
			pos = next
		default:
			value, end, err := p.reference(pos, eval, depth)
			if err != nil {
				return "", end, err
			}
			out.WriteString(value)
			pos = end
		}
	}
	return out.String(), pos, nil
}

// reference handles the '$' at pos and returns its replacement and the position after it.
func (p *parser) reference(pos int, eval bool, depth int) (string, int, error) {
	if pos+1 >= len(p.text) {
		return "", pos, p.syntax(pos, "a '$' at the end: expected a variable name or '{' after it (write '$$' for a literal '$')")
	}
	switch c := p.text[pos+1]; {
	case c == '$':
		return "$", pos + 2, nil
	case c == '{':
		return p.braced(pos, eval, depth)
	case isNameStart(c):
		name := p.name(pos + 1)
		end := pos + 1 + len(name)
		return p.plain(name, pos, end, eval), end, nil
	default:
		return "", pos, p.syntax(pos+1, fmt.Sprintf("unexpected %s after '$': expected a variable name or '{' (write '$$' for a literal '$')", quoteChar(p.text[pos+1:])))
	}
}

// plain resolves $NAME or ${NAME} spanning text[start:end].
func (p *parser) plain(name string, start, end int, eval bool) string {
	if !eval {
		p.record(name, start, UseSkipped)
		return ""
	}
	if value, ok := p.lookup(name); ok {
		p.record(name, start, UseSet)
		return value
	}
	if p.opts.Keep != nil && p.opts.Keep(name) {
		p.record(name, start, UseKept)
		return p.text[start:end]
	}
	p.record(name, start, UseBlank)
	return ""
}

// braced handles ${NAME}, ${NAME<op>word} with op one of :- - :? ? :+ +, starting at the '$' at pos.
func (p *parser) braced(pos int, eval bool, depth int) (string, int, error) {
	i := pos + 2
	name := p.name(i)
	if name == "" {
		if i >= len(p.text) {
			return "", i, p.syntax(i, "an unterminated '${': expected a variable name and '}'")
		}
		return "", i, p.syntax(i, fmt.Sprintf("unexpected %s after '${': expected a variable name", quoteChar(p.text[i:])))
	}
	i += len(name)
	if i >= len(p.text) {
		return "", i, p.syntax(i, fmt.Sprintf("an unterminated '${%s': expected '}'", name))
	}
	if p.text[i] == '}' {
		return p.plain(name, pos, i+1, eval), i + 1, nil
	}
	op, err := p.operator(name, i)
	if err != nil {
		return "", i, err
	}
	return p.withWord(name, op, pos, i+len(op), eval, depth)
}

// operator reads the operator after ${NAME at i.
func (p *parser) operator(name string, i int) (string, error) {
	c := p.text[i]
	if c == ':' {
		if i+1 < len(p.text) && strings.IndexByte("-?+", p.text[i+1]) >= 0 {
			return p.text[i : i+2], nil
		}
		return "", p.syntax(i+1, fmt.Sprintf("unexpected %s after '${%s:': expected '-', '?' or '+'", quoteChar(p.text[i+1:]), name))
	}
	if strings.IndexByte("-?+", c) >= 0 {
		return p.text[i : i+1], nil
	}
	return "", p.syntax(i, fmt.Sprintf("unexpected %s in '${%s': expected '}' or one of :- - :? ? :+ +", quoteChar(p.text[i:]), name))
}

// withWord evaluates ${NAME<op>word}; wordStart is just after op.
func (p *parser) withWord(name, op string, pos, wordStart int, eval bool, depth int) (string, int, error) {
	value, set := "", false
	if eval {
		value, set = p.lookup(name)
	}
	present := set && (op[0] != ':' || value != "")
	needWord := eval && needsWord(op, present)
	word, end, err := p.expand(wordStart, true, needWord, depth+1)
	if err != nil {
		return "", end, err
	}
	if end >= len(p.text) {
		return "", end, p.syntax(end, fmt.Sprintf("an unterminated '${%s%s': expected '}'", name, op))
	}
	end++
	if !eval {
		p.record(name, pos, UseSkipped)
		return "", end, nil
	}
	switch op[len(op)-1] {
	case '?':
		if !present {
			return "", end, &RequiredError{Name: name, Message: word, Offset: pos, NonEmpty: op == ":?"}
		}
		p.record(name, pos, UseSet)
		return value, end, nil
	case '-':
		if present {
			p.record(name, pos, UseSet)
			return value, end, nil
		}
		p.record(name, pos, UseDefault)
		return word, end, nil
	default: // '+'
		if present {
			p.record(name, pos, UseSet)
			return word, end, nil
		}
		p.record(name, pos, UseDefault)
		return "", end, nil
	}
}

// needsWord reports whether the default, replacement or message of op is used.
func needsWord(op string, present bool) bool {
	if op[len(op)-1] == '+' {
		return present
	}
	return !present
}

func (p *parser) lookup(name string) (string, bool) {
	if p.opts.Lookup == nil {
		return "", false
	}
	return p.opts.Lookup(name)
}

func (p *parser) record(name string, offset int, use Use) {
	p.refs = append(p.refs, Ref{Name: name, Offset: offset, Use: use})
}

// name returns the longest variable name starting at i ("" when none).
func (p *parser) name(i int) string {
	if i >= len(p.text) || !isNameStart(p.text[i]) {
		return ""
	}
	j := i + 1
	for j < len(p.text) && isNameChar(p.text[j]) {
		j++
	}
	return p.text[i:j]
}

func (p *parser) syntax(offset int, expected string) error {
	return &SyntaxError{Text: p.text, Offset: offset, Expected: expected}
}

func isNameStart(c byte) bool {
	return c == '_' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

func isNameChar(c byte) bool {
	return isNameStart(c) || (c >= '0' && c <= '9')
}

// quoteChar names the character at the start of s for an error message.
func quoteChar(s string) string {
	for _, r := range s {
		if r == ' ' {
			return "a space"
		}
		return fmt.Sprintf("%q", r)
	}
	return "the end"
}
