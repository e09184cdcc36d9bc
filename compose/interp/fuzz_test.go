package interp

import (
	"errors"
	"strings"
	"testing"
)

func FuzzSubstitute(f *testing.F) {
	for _, seed := range []string{
		"", "plain", "$A", "${A}", "${A:-d}", "${A-d}", "${A:?m}", "${A?m}", "${A:+r}", "${A+r}",
		"${U:-${A:-${B}}}", "$$", "$", "${", "${A", "${A:-", "${A:x}", "$1", "a $ b", "}{", "${U:-a}b}",
		"image: ${REGISTRY}/app:${TAG:-latest}", "\xff$\xfe{",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		r, err := Expand(text, Options{Lookup: testLookup, Keep: func(n string) bool { return n == "keep" }})
		if err != nil {
			var se *SyntaxError
			var re *RequiredError
			if !errors.As(err, &se) && !errors.As(err, &re) {
				t.Fatalf("Expand(%q): unexpected error type %T: %v", text, err, err)
			}
			if se != nil && (se.Offset < 0 || se.Offset > len(text)) {
				t.Fatalf("Expand(%q): offset %d out of range", text, se.Offset)
			}
		}
		if !strings.Contains(text, "$") && (err != nil || r.Value != text || len(r.Refs) != 0) {
			t.Fatalf("text without $ changed: %q -> %q, %v", text, r.Value, err)
		}
		for _, ref := range r.Refs {
			if ref.Offset < 0 || ref.Offset >= len(text) || text[ref.Offset] != '$' {
				t.Fatalf("Expand(%q): ref %+v does not point at a '$'", text, ref)
			}
		}
		if got, err := Substitute(Escape(text), testLookup); err != nil || got != text {
			t.Fatalf("Substitute(Escape(%q)) = %q, %v", text, got, err)
		}
	})
}
