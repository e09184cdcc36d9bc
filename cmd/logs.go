package cmd

import (
	"io"
	"sync"

	"github.com/urfave/cli/v2"
)

func init() { registerCommand(newLogsCommand) }

// logsOptions are the flags of `logs`.
type logsOptions struct {
	run    runOptions
	Follow bool
	Lines  int
}

func newLogsCommand(f *Factory, g *GlobalOptions) *cli.Command {
	o := &logsOptions{}
	return &cli.Command{
		Name:      "logs",
		Usage:     "Get service logs",
		ArgsUsage: "[SERVICE...]",
		Flags: append([]cli.Flag{
			&cli.BoolFlag{Name: "follow", Usage: "Follow log output.", Destination: &o.Follow},
			&cli.IntFlag{Name: "lines", Value: 100, Usage: "lines of each container's history to show first", Destination: &o.Lines},
		}, runFlags(&o.run, false)...),
	}
}

// lockedWriter serialises whole lines from concurrent streams.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
