package cmd

import (
	"context"
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
		Action: func(c *cli.Context) error { return runLogs(c.Context, f, g, o, c.Args().Slice()) },
	}
}

func runLogs(ctx context.Context, f *Factory, g *GlobalOptions, o *logsOptions, args []string) error {
	o.run.Timeout = "0"
	if err := o.run.validate(); err != nil {
		return err
	}
	sc, err := openServiceCommand(ctx, f, g, &o.run, args)
	if err != nil {
		return err
	}
	return sc.session.StreamLogs(ctx, sc.project.Name, sc.primaries, o.Follow, o.Lines, &lockedWriter{w: f.IO.Out})
}

// followLogs is `up` without -d: it streams the services' logs until interrupted, like the original.
func followLogs(ctx context.Context, s *session, stack string, services []string) error {
	if err := s.StreamLogs(ctx, stack, services, true, 100, &lockedWriter{w: s.f.IO.Out}); err != nil {
		return err
	}
	<-ctx.Done()
	return ctx.Err()
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
