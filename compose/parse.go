package compose

import (
	"bytes"
	"regexp"
	"strconv"

	"gopkg.in/yaml.v3"
)

var unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)

var yamlErrLine = regexp.MustCompile(`^yaml: (?:line (\d+): )?(.*)$`)

// yamlParserProblems are the messages of yaml.v3's parser (not its scanner). yaml.v3 reports their line
// 0-based, and leaves it out when it is 0; scanner errors carry a 1-based line.
var yamlParserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected '-' indicator":    true,
	"did not find expected key":              true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found undefined tag handle":             true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
}

// parseYAML turns one file's bytes into a raw tree. It returns nil for an empty document (no error:
// callers decide whether empty is allowed). Problems go to diags.
func parseYAML(file string, data []byte, diags *diagnostics) *node {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		diags.list = append(diags.list, yamlSyntaxError(file, data, err))
		return nil
	}
	if doc.Kind == 0 || (doc.Kind == yaml.DocumentNode && len(doc.Content) == 0) {
		return nil
	}
	c := &converter{file: file, src: &sourceText{data: data}, diags: diags}
	root := c.convert(&doc, "")
	if c.failed {
		return nil // the tree was cut at the node cap: anything said about it would be noise
	}
	return root
}

// yamlSyntaxError makes a yaml.v3 error a Diagnostic, naming tabs used for indentation explicitly.
func yamlSyntaxError(file string, data []byte, err error) Diagnostic {
	d := Diagnostic{Severity: SeverityError, Pos: Pos{File: file}, Message: "invalid YAML: " + err.Error()}
	m := yamlErrLine.FindStringSubmatch(err.Error())
	if m == nil {
		return d
	}
	if a := unknownAnchor.FindStringSubmatch(m[2]); a != nil {
		d.Message = "invalid YAML: " + m[2]
		d.Pos.Line, d.Pos.Col = aliasPosition(data, a[1])
		return d
	}
	line, _ := strconv.Atoi(m[1])
	if yamlParserProblems[m[2]] {
		line++
	}
	if line == 0 {
		return d
	}
	d.Pos.Line = line
	d.Message = "invalid YAML: " + m[2]
	if tl, col := tabIndent(data, line); tl > 0 {
		d.Pos.Line, d.Pos.Col = tl, col
		d.Message = "invalid YAML: a tab character is used for indentation (YAML allows only spaces)"
	}
	return d
}

// tabIndent finds a line at or just around errLine whose indentation contains a tab.
func tabIndent(data []byte, errLine int) (line, col int) {
	lines := bytes.Split(data, []byte("\n"))
	for _, l := range []int{errLine, errLine + 1, errLine - 1} {
		if l < 1 || l > len(lines) {
			continue
		}
		for i, ch := range lines[l-1] {
			if ch == '\t' {
				return l, i + 1
			}
			if ch != ' ' {
				break
			}
		}
	}
	return 0, 0
}

// aliasPosition finds the first alias *name outside quotes and comments (yaml.v3 does not say where
// an unknown anchor is used); 0, 0 when there is none.
func aliasPosition(data []byte, name string) (line, col int) {
	for i, l := range bytes.Split(data, []byte("\n")) {
		if c := aliasInLine(l, name); c > 0 {
			return i + 1, c
		}
	}
	return 0, 0
}

// aliasInLine returns the 1-based column of *name in one line, or 0.
func aliasInLine(l []byte, name string) int {
	var quote byte
	for i := 0; i < len(l); i++ {
		ch := l[i]
		switch {
		case quote != 0:
			if ch == quote {
				quote = 0
			}
		case (ch == '"' || ch == '\'') && (i == 0 || bytes.IndexByte([]byte(" \t[{,:"), l[i-1]) >= 0):
			quote = ch
		case ch == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
			return 0
		case ch == '*' && (i == 0 || bytes.IndexByte([]byte(" \t[{,"), l[i-1]) >= 0):
			rest := l[i+1:]
			if bytes.HasPrefix(rest, []byte(name)) && (len(rest) == len(name) || bytes.IndexByte([]byte(" \t\r,]}"), rest[len(name)]) >= 0) {
				return i + 1
			}
		}
	}
	return 0
}
