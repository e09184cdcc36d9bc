package interp

import (
	"fmt"
	"strings"
)

// SyntaxError reports malformed interpolation syntax.
type SyntaxError struct {
	Text     string // the whole text being substituted
	Offset   int    // byte offset of the problem in Text
	Expected string // what was expected there, in words
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid interpolation format in %q at character %d: %s", e.Text, e.Offset+1, e.Expected)
}

// LineCol returns the 1-based line and column (in bytes) of the problem inside Text, for multi-line scalars.
func (e *SyntaxError) LineCol() (line, col int) {
	return lineCol(e.Text, e.Offset)
}

// RequiredError is the failure of ${VAR:?message} (unset or empty) or ${VAR?message} (unset).
type RequiredError struct {
	Name     string // the variable
	Message  string // the substituted message, possibly empty
	Offset   int    // byte offset of the reference's '$'
	NonEmpty bool   // true for the ':?' form, which also rejects an empty value
}

func (e *RequiredError) Error() string {
	state := "is not set"
	if e.NonEmpty {
		state = "is not set or is empty"
	}
	if e.Message == "" {
		return fmt.Sprintf("required variable %s %s", e.Name, state)
	}
	return fmt.Sprintf("required variable %s %s: %s", e.Name, state, e.Message)
}

func lineCol(text string, offset int) (line, col int) {
	if offset > len(text) {
		offset = len(text)
	}
	before := text[:offset]
	line = strings.Count(before, "\n") + 1
	col = offset - strings.LastIndexByte(before, '\n')
	return line, col
}
