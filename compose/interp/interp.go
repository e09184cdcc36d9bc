// Package interp substitutes variables in compose-file scalars with the compose-spec syntax:
// $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?message}, ${VAR?message},
// ${VAR:+replacement}, ${VAR+replacement}, nesting inside the default/replacement/message, and $$ for a
// literal $. Names match [A-Za-z_][A-Za-z0-9_]*.
//
// Every reference is reported to the caller (Result.Refs) with its byte offset and what happened to it,
// so the loader can warn about unset variables with their file:line, or list them all under --strict.
// Malformed text (a '$' at the end, '$' followed by a space, an unterminated '${') is a *SyntaxError
// that says what was expected; the original tool panicked on a trailing '$'.
//
// Why not github.com/compose-spec/compose-go/v2/template (evaluated first, v2.16.2): it leaves a bare
// '$' (trailing, or followed by a space or a digit) in the text silently where the original rejected it;
// it reports unset variables only through a global logrus warning, and a wrapped Mapping cannot tell
// ${X} (warn) from ${X:-d} or ${X:+r} (no warning) nor give the reference's position; its errors carry
// no position; and `go get` adds the compose-go module with 16 requirements (jsonschema, mapstructure,
// yaml v4, go-connections, ...) to our module graph for what is about 250 lines here.
package interp

import "strings"

// Lookup returns a variable's value and whether it is set at all, so "set to empty" differs from unset.
type Lookup func(name string) (string, bool)

// Use says what substitution did with one variable reference.
type Use int

const (
	// UseSet means the variable was set and its value (or the ${VAR:+r} replacement) was used.
	UseSet Use = iota
	// UseBlank means the variable was unset and replaced by "": the caller should warn (or fail with --strict).
	UseBlank
	// UseDefault means the variable was unset (or empty, for ':' forms) and a -default, :-default,
	// +replacement or :+replacement form supplied the text, so nothing needs reporting.
	UseDefault
	// UseKept means the variable was unset and Options.Keep asked for the reference to stay verbatim.
	UseKept
	// UseSkipped means the reference sits in a default, replacement or message that was not needed;
	// it was parsed but not looked up.
	UseSkipped
)

// Ref is one variable reference found in a text.
type Ref struct {
	Name   string // variable name
	Offset int    // byte offset of its '$' in the text
	Use    Use    // what substitution did with it
}

// Result is the substituted text and every variable reference met, in text order.
type Result struct {
	Value string
	Refs  []Ref
}

// Unset returns the names substituted by a blank because they were unset, once each, in text order.
func (r Result) Unset() []string {
	var names []string
	seen := map[string]bool{}
	for _, ref := range r.Refs {
		if ref.Use == UseBlank && !seen[ref.Name] {
			seen[ref.Name] = true
			names = append(names, ref.Name)
		}
	}
	return names
}

// Options control Expand.
type Options struct {
	// Lookup resolves variables; nil means every variable is unset.
	Lookup Lookup
	// Keep, when not nil, is asked about each unset plain reference ($X or ${X}); true keeps the
	// reference's text verbatim instead of blanking it (Rancher expands ${stack_name} and friends itself).
	Keep func(name string) bool
}

// Substitute returns text with its variables replaced through lookup; unset variables become "".
func Substitute(text string, lookup Lookup) (string, error) {
	r, err := Expand(text, Options{Lookup: lookup})
	return r.Value, err
}

// Expand substitutes text and reports every variable reference. On error the Result is empty.
func Expand(text string, opts Options) (Result, error) {
	if strings.IndexByte(text, '$') < 0 {
		return Result{Value: text}, nil
	}
	p := &parser{text: text, opts: opts}
	out, _, err := p.expand(0, false, true, 0)
	if err != nil {
		return Result{}, err
	}
	return Result{Value: out, Refs: p.refs}, nil
}

// Variables lists the names text refers to (including those inside defaults), once each, in text order.
func Variables(text string) ([]string, error) {
	p := &parser{text: text}
	if _, _, err := p.expand(0, false, false, 0); err != nil {
		return nil, err
	}
	var names []string
	seen := map[string]bool{}
	for _, ref := range p.refs {
		if !seen[ref.Name] {
			seen[ref.Name] = true
			names = append(names, ref.Name)
		}
	}
	return names, nil
}

// Escape doubles every '$' so that Substitute returns s unchanged.
func Escape(s string) string {
	return strings.ReplaceAll(s, "$", "$$")
}
