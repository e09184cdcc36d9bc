package interp

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

var testEnv = map[string]string{
	"A":          "nginx",
	"EMPTY":      "",
	"PORT":       "8080",
	"lower_case": "lc",
	"NESTED":     "${A}", // a value is never re-substituted
}

func testLookup(name string) (string, bool) {
	v, ok := testEnv[name]
	return v, ok
}

func TestSubstitute(t *testing.T) {
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"", ""},
		{"docker:$A", "docker:nginx"},
		{"docker:${A}", "docker:nginx"},
		{"$A$A", "nginxnginx"},
		{"$A-x", "nginx-x"},
		{"$A.x", "nginx.x"},
		{"${A}x", "nginxx"},
		{"$lower_case", "lc"},
		{"$UNSET", ""},
		{"a${UNSET}b", "ab"},
		{"$$", "$"},
		{"$$A", "$A"},
		{"$${A}", "${A}"},
		{"$$$A", "$nginx"},
		{"cost: 5$$", "cost: 5$"},
		{"}{}", "}{}"},
		{"${NESTED}", "${A}"},
		// :- and -
		{"${UNSET:-def}", "def"},
		{"${EMPTY:-def}", "def"},
		{"${A:-def}", "nginx"},
		{"${UNSET-def}", "def"},
		{"${EMPTY-def}", ""},
		{"${A-def}", "nginx"},
		{"${UNSET:-}", ""},
		{"${UNSET:-a b:c/d}", "a b:c/d"},
		{"ubuntu:${VERSION:-xenial}", "ubuntu:xenial"},
		// :+ and +
		{"${A:+alt}", "alt"},
		{"${EMPTY:+alt}", ""},
		{"${UNSET:+alt}", ""},
		{"${EMPTY+alt}", "alt"},
		{"${UNSET+alt}", ""},
		// ? forms when satisfied
		{"${A:?need A}", "nginx"},
		{"${A?need A}", "nginx"},
		{"${EMPTY?need}", ""},
		// nesting
		{"${UNSET:-${A}}", "nginx"},
		{"${UNSET:-$A}", "nginx"},
		{"${UNSET:-${ALSO_UNSET:-deep}}", "deep"},
		{"${UNSET:-x${PORT}y}", "x8080y"},
		{"${A:+port=${PORT}}", "port=8080"},
		{"${UNSET:-$$}", "$"},
		{"${UNSET:-{x}}", "{x}"},
		{"${UNSET:-a}b}", "ab}"},
		{"${A:-${UNSET}}", "nginx"},
		{"multi\nline $A\n", "multi\nline nginx\n"},
		{"ünïcödé $A ✓", "ünïcödé nginx ✓"},
	}
	for _, c := range cases {
		got, err := Substitute(c.in, testLookup)
		if err != nil {
			t.Errorf("Substitute(%q): unexpected error %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("Substitute(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestSyntaxErrors(t *testing.T) {
	cases := []struct {
		in       string
		offset   int
		expected string
	}{
		{"trailing $", 9, "a '$' at the end"},
		{"$", 0, "a '$' at the end"},
		{"a $ b", 3, "unexpected a space after '$'"},
		{"$1", 1, `unexpected '1' after '$'`},
		{"$(cmd)", 1, `unexpected '(' after '$'`},
		{"${", 2, "unterminated '${'"},
		{"${}", 2, `unexpected '}' after '${': expected a variable name`},
		{"${1A}", 2, `unexpected '1' after '${'`},
		{"${A", 3, "unterminated '${A': expected '}'"},
		{"${A B}", 3, `unexpected a space in '${A': expected '}' or one of :- - :? ? :+ +`},
		{"${A:x}", 4, `unexpected 'x' after '${A:': expected '-', '?' or '+'`},
		{"${A:", 4, `unexpected the end after '${A:'`},
		{"${A:-default", 12, "unterminated '${A:-': expected '}'"},
		{"${UNSET:-${B}", 13, "unterminated '${UNSET:-'"},
		{"${A:-$}", 6, `unexpected '}' after '$'`},
		{"${A:-x $ y}", 8, "unexpected a space after '$'"}, // checked even where the default is not needed
	}
	for _, c := range cases {
		_, err := Substitute(c.in, testLookup)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Substitute(%q): error %v, want a *SyntaxError", c.in, err)
			continue
		}
		if se.Offset != c.offset || !strings.Contains(se.Error(), c.expected) || se.Text != c.in {
			t.Errorf("Substitute(%q): got offset %d, %q; want offset %d containing %q", c.in, se.Offset, se.Error(), c.offset, c.expected)
		}
	}
}

func TestSyntaxErrorLineCol(t *testing.T) {
	_, err := Substitute("line one\nline $ two", testLookup)
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("want *SyntaxError, got %v", err)
	}
	if line, col := se.LineCol(); line != 2 || col != 7 {
		t.Errorf("LineCol() = %d,%d, want 2,7", line, col)
	}
	_, err = Substitute("ab$", testLookup)
	if !errors.As(err, &se) {
		t.Fatalf("want *SyntaxError, got %v", err)
	}
	if line, col := se.LineCol(); line != 1 || col != 3 {
		t.Errorf("LineCol() = %d,%d, want 1,3", line, col)
	}
}

func TestRequired(t *testing.T) {
	cases := []struct {
		in   string
		want RequiredError
		msg  string
	}{
		{"x${UNSET:?please set it}", RequiredError{Name: "UNSET", Message: "please set it", Offset: 1, NonEmpty: true}, "required variable UNSET is not set or is empty: please set it"},
		{"${EMPTY:?}", RequiredError{Name: "EMPTY", NonEmpty: true}, "required variable EMPTY is not set or is empty"},
		{"${UNSET?}", RequiredError{Name: "UNSET"}, "required variable UNSET is not set"},
		{"${UNSET?port ${PORT} busy}", RequiredError{Name: "UNSET", Message: "port 8080 busy"}, "required variable UNSET is not set: port 8080 busy"},
	}
	for _, c := range cases {
		_, err := Substitute(c.in, testLookup)
		var re *RequiredError
		if !errors.As(err, &re) {
			t.Errorf("Substitute(%q): error %v, want *RequiredError", c.in, err)
			continue
		}
		if *re != c.want || re.Error() != c.msg {
			t.Errorf("Substitute(%q): got %+v %q, want %+v %q", c.in, *re, re.Error(), c.want, c.msg)
		}
	}
}

func TestExpandReportsEveryReference(t *testing.T) {
	text := "$A ${UNSET} ${U2:-d} ${A:-${SKIPPED}} ${UNSET} ${U3:+r} $$NOT"
	r, err := Expand(text, Options{Lookup: testLookup})
	if err != nil {
		t.Fatal(err)
	}
	want := []Ref{
		{"A", 0, UseSet},
		{"UNSET", 3, UseBlank},
		{"U2", 12, UseDefault},
		{"SKIPPED", 26, UseSkipped},
		{"A", 21, UseSet},
		{"UNSET", 38, UseBlank},
		{"U3", 47, UseDefault},
	}
	if !reflect.DeepEqual(r.Refs, want) {
		t.Errorf("Refs = %+v\nwant   %+v", r.Refs, want)
	}
	if got := r.Unset(); !reflect.DeepEqual(got, []string{"UNSET"}) {
		t.Errorf("Unset() = %v, want [UNSET]", got)
	}
	if r.Value != "nginx  d nginx   $NOT" {
		t.Errorf("Value = %q", r.Value)
	}
}

func TestExpandDoesNotLookUpSkippedReferences(t *testing.T) {
	var looked []string
	lookup := func(name string) (string, bool) {
		looked = append(looked, name)
		return testLookup(name)
	}
	if _, err := Expand("${A:-$B} ${UNSET:+$C} ${A?$D}", Options{Lookup: lookup}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(looked, []string{"A", "UNSET", "A"}) {
		t.Errorf("looked up %v, want [A UNSET A]", looked)
	}
}

func TestKeepLeavesUnsetReferencesVerbatim(t *testing.T) {
	keep := func(name string) bool { return name == "stack_name" || name == "service_name" }
	text := "io.rancher.scheduler.affinity:container_label_ne: io.rancher.stack_service.name=${stack_name}/${service_name} $stack_name $UNSET ${stack_name:-x}"
	r, err := Expand(text, Options{Lookup: testLookup, Keep: keep})
	if err != nil {
		t.Fatal(err)
	}
	want := "io.rancher.scheduler.affinity:container_label_ne: io.rancher.stack_service.name=${stack_name}/${service_name} $stack_name  x"
	if r.Value != want {
		t.Errorf("Value = %q\nwant    %q", r.Value, want)
	}
	if got := r.Unset(); !reflect.DeepEqual(got, []string{"UNSET"}) {
		t.Errorf("Unset() = %v, want [UNSET]", got)
	}
	kept := 0
	for _, ref := range r.Refs {
		if ref.Use == UseKept {
			kept++
		}
	}
	if kept != 3 {
		t.Errorf("kept %d references, want 3: %+v", kept, r.Refs)
	}
	// A set variable is substituted even when Keep would keep it.
	r, _ = Expand("${A}", Options{Lookup: testLookup, Keep: func(string) bool { return true }})
	if r.Value != "nginx" {
		t.Errorf("set variable not substituted: %q", r.Value)
	}
}

func TestVariables(t *testing.T) {
	got, err := Variables("$A ${B:-${C}} ${A} $$D ${E:?msg $F}")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"A", "C", "B", "F", "E"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Variables = %v, want %v", got, want)
	}
	if _, err := Variables("bad $"); err == nil {
		t.Error("Variables on malformed text: want an error")
	}
}

func TestNilLookupMeansUnset(t *testing.T) {
	got, err := Substitute("a${X}b${Y:-c}", nil)
	if err != nil || got != "abc" {
		t.Errorf("got %q, %v; want \"abc\", nil", got, err)
	}
}

func TestDeepNestingIsAnErrorNotACrash(t *testing.T) {
	text := strings.Repeat("${U:-", 200) + strings.Repeat("}", 200)
	_, err := Substitute(text, testLookup)
	var se *SyntaxError
	if !errors.As(err, &se) || !strings.Contains(se.Error(), "nested") {
		t.Errorf("want a nesting SyntaxError, got %v", err)
	}
	ok := strings.Repeat("${U:-", 40) + "x" + strings.Repeat("}", 40)
	if got, err := Substitute(ok, testLookup); err != nil || got != "x" {
		t.Errorf("40 levels: got %q, %v", got, err)
	}
}

func TestEscapeRoundTrips(t *testing.T) {
	for _, s := range []string{"", "$", "$$", "a$b${c}", "${A:-x}$"} {
		got, err := Substitute(Escape(s), testLookup)
		if err != nil || got != s {
			t.Errorf("Substitute(Escape(%q)) = %q, %v", s, got, err)
		}
	}
}
