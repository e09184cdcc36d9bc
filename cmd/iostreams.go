package cmd

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
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
	return &IOStreams{In: os.Stdin, Out: brokenPipeTolerant{os.Stdout}, ErrOut: os.Stderr, ErrTTY: isTerminal(os.Stderr)}
}

// TestIO returns streams backed by buffers, with stdin empty.
func TestIO() (*IOStreams, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: &bytes.Buffer{}, Out: out, ErrOut: errOut}, out, errOut
}

// ignoreBrokenPipes keeps the process alive when its reader goes away (`rancher-compose ps | head -1`): Go
// dies of SIGPIPE on a write to a closed stdout or stderr unless the signal is handled, and a run must not
// die before it has released what it holds (the deploy lock). With it handled, such writes fail with EPIPE.
func ignoreBrokenPipes() {
	signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
}

// brokenPipeTolerant is stdout for a reader that may stop reading: once the pipe is broken, what is left
// to print is dropped, and the run's outcome (its exit code) is that of the work, not of the reader.
type brokenPipeTolerant struct{ w io.Writer }

func (b brokenPipeTolerant) Write(p []byte) (int, error) {
	n, err := b.w.Write(p)
	if errors.Is(err, syscall.EPIPE) {
		return len(p), nil
	}
	return n, err
}

// isTerminal tells whether f is a terminal (a character device such as /dev/null is not: a job sending
// its output there would get the live table's redraws).
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
