package compose

import "testing"

func TestYAMLParserErrorLinesAreOneBased(t *testing.T) {
	for _, c := range []struct {
		yaml string
		line int
		msg  string
	}{
		{"web:\n  image: nginx\n  ports: [\"80:80\"\n", 3, "did not find expected ',' or ']'"},
		{"web:\n  image: nginx\n- x\n", 3, "did not find expected key"},
		{"web:\n  image: nginx\n  labels: {a: b\n", 3, "did not find expected ',' or '}'"},
		{"- a\nb: 1\n", 2, "did not find expected '-' indicator"},
		{"a: !x!y 1\n", 1, "found undefined tag handle"},
		{"web:\n  image: \"nginx\n", 2, "found unexpected end of stream"}, // a scanner error (where the quote opens): already 1-based
	} {
		ce := mustFail(t, map[string]string{"docker-compose.yml": c.yaml}, Options{})
		d := requireDiag(t, ce.Problems, "invalid YAML", c.msg)
		if d.Pos.Line != c.line {
			t.Errorf("%q: line %d, want %d (%v)", c.yaml, d.Pos.Line, c.line, d)
		}
	}
}

func TestUnknownAnchorIsReportedAtItsFirstAlias(t *testing.T) {
	ce := mustFail(t, map[string]string{"docker-compose.yml": "# not *missing here\nweb:\n  image: it's # *missingx\n  labels: *missing\n  environment: [*missing]\n"}, Options{})
	d := requireDiag(t, ce.Problems, "docker-compose.yml:4:11", "unknown anchor 'missing' referenced")
	if d.Severity != SeverityError {
		t.Fatal(d)
	}
}
