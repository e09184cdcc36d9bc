package cmd

import (
	"bytes"
	"io"
	"os"
)

// IOStreams carries the process's standard streams so commands can be run in tests without a terminal.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer // data: config, ps, --format json results
	ErrOut io.Writer // progress, warnings, errors
	// ErrTTY reports whether ErrOut is a terminal; it picks the progress renderer once.
	ErrTTY bool
}

// SystemIO returns the process's real streams.
func SystemIO() *IOStreams {
	return &IOStreams{In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr, ErrTTY: isTerminal(os.Stderr)}
}

// TestIO returns streams backed by buffers, with stdin empty.
func TestIO() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut}, out, errOut
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
