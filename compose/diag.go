package compose

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a location in a source file; Line and Col are 1-based (0 when unknown).
type Pos struct {
	File string `json:"file,omitempty" yaml:"file,omitempty"`
	Line int    `json:"line,omitempty" yaml:"line,omitempty"`
	Col  int    `json:"col,omitempty" yaml:"col,omitempty"`
}

// String renders the position as file:line:col, leaving out unknown parts.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Severity orders diagnostics.
type Severity int

// Severities of a Diagnostic.
const (
	SeverityInfo Severity = iota
	SeverityWarning
	SeverityError
)

// String is the lower-case name used in messages ("info", "warning", "error").
func (s Severity) String() string {
	return [...]string{"info", "warning", "error"}[s]
}

// Diagnostic is one finding about the configuration: where it is, the YAML path, and what is wrong.
type Diagnostic struct {
	Severity Severity
	Pos      Pos
	// Path is the YAML path of the value, e.g. "services.web.ports[0]".
	Path    string
	Message string
}

// String renders "file:line:col: services.web.scale: message".
func (d Diagnostic) String() string {
	var b strings.Builder
	if p := d.Pos.String(); p != "" {
		b.WriteString(p)
		b.WriteString(": ")
	}
	if d.Path != "" {
		b.WriteString(d.Path)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	return b.String()
}

// ConfigError is returned by Load when the project is invalid. It lists every error found, and the
// warnings gathered until then. Its exit code is 2 (usage or configuration error).
type ConfigError struct {
	Problems []Diagnostic
	Warnings []Diagnostic
}

// Error lists every problem on its own line.
func (e *ConfigError) Error() string {
	lines := make([]string, 0, len(e.Problems)+1)
	if len(e.Problems) == 1 {
		return "invalid configuration: " + e.Problems[0].String()
	}
	lines = append(lines, fmt.Sprintf("invalid configuration (%d problems):", len(e.Problems)))
	for _, p := range e.Problems {
		lines = append(lines, "  "+p.String())
	}
	return strings.Join(lines, "\n")
}

// ExitCode makes cmd.Main exit with 2 for configuration errors.
func (e *ConfigError) ExitCode() int { return 2 }

// diagnostics collects findings while loading.
type diagnostics struct {
	list []Diagnostic
}

func (d *diagnostics) add(sev Severity, pos Pos, path, format string, args ...any) {
	d.list = append(d.list, Diagnostic{Severity: sev, Pos: pos, Path: path, Message: fmt.Sprintf(format, args...)})
}

func (d *diagnostics) errorf(pos Pos, path, format string, args ...any) {
	d.add(SeverityError, pos, path, format, args...)
}

func (d *diagnostics) warnf(pos Pos, path, format string, args ...any) {
	d.add(SeverityWarning, pos, path, format, args...)
}

func (d *diagnostics) infof(pos Pos, path, format string, args ...any) {
	d.add(SeverityInfo, pos, path, format, args...)
}

func (d *diagnostics) hasErrors() bool {
	for _, x := range d.list {
		if x.Severity == SeverityError {
			return true
		}
	}
	return false
}

// split returns errors and non-errors, each sorted by file, line, column, then message, deduplicated.
func (d *diagnostics) split() (errs, rest []Diagnostic) {
	seen := map[string]bool{}
	for _, x := range d.list {
		k := x.Severity.String() + "\x00" + x.String()
		if seen[k] {
			continue
		}
		seen[k] = true
		if x.Severity == SeverityError {
			errs = append(errs, x)
		} else {
			rest = append(rest, x)
		}
	}
	sortDiagnostics(errs)
	sortDiagnostics(rest)
	return errs, rest
}

func sortDiagnostics(list []Diagnostic) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].Pos, list[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return list[i].Message < list[j].Message
	})
}
