package kube

import (
	"fmt"
	"sort"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// Level says how much a Note matters.
type Level int

// Note levels: Dropped notes name keys that are not carried over (they fail a --strict conversion).
const (
	Info Level = iota
	Warning
	Dropped
)

// String is the word printed before a note.
func (l Level) String() string {
	return [...]string{"info", "warning", "warning"}[l]
}

// Note is one finding of a conversion: where in the files, and what became of it.
type Note struct {
	Level   Level
	At      compose.KeyRef
	Message string
}

// String renders "file:line:col: yaml.path: message" (with "not carried over: " for dropped keys).
func (n Note) String() string {
	msg := n.Message
	if n.Level == Dropped {
		msg = "not carried over: " + msg
	}
	if at := n.At.String(); at != "" {
		return at + ": " + msg
	}
	return msg
}

// notes collects findings, each once.
type notes struct {
	list []Note
	seen map[string]bool
}

func (ns *notes) add(level Level, at compose.KeyRef, format string, args ...any) {
	n := Note{Level: level, At: at, Message: fmt.Sprintf(format, args...)}
	key := n.String()
	if ns.seen == nil {
		ns.seen = map[string]bool{}
	}
	if ns.seen[key] {
		return
	}
	ns.seen[key] = true
	ns.list = append(ns.list, n)
}

// sorted returns the notes by file, line, column and message.
func (ns *notes) sorted() []Note {
	out := append([]Note(nil), ns.list...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].At.Pos, out[j].At.Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Col != b.Col {
			return a.Col < b.Col
		}
		return out[i].String() < out[j].String()
	})
	return out
}
