package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/containerlog"
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
	return streamLogs(ctx, sc.session, sc.project.Name, sc.primaries, o.Follow, o.Lines)
}

// followLogs is `up` without -d: it streams the services' logs until interrupted, like the original.
func followLogs(ctx context.Context, s *session, stack string, services []string) error {
	if err := streamLogs(ctx, s, stack, services, true, 100); err != nil {
		return err
	}
	<-ctx.Done()
	return ctx.Err()
}

// streamLogs prints the log lines of every container of the services, each prefixed with the container's
// name (which carries the service name), to stdout. Without follow it returns once every stream ended.
func streamLogs(ctx context.Context, s *session, stack string, services []string, follow bool, lines int) error {
	st, err := s.FindStack(ctx, stack)
	if err != nil || st == nil {
		return err
	}
	existing, err := s.StackServices(ctx, st)
	if err != nil {
		return err
	}
	out := &lockedWriter{w: s.f.IO.Out}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for _, name := range services {
		svc := existing[name]
		if svc == nil {
			continue
		}
		containers, err := rancher.ListLink[resources.Container](ctx, s.Client, svc, "instances", nil)
		if err != nil {
			return fmt.Errorf("listing the containers of %s: %w", name, err)
		}
		for i := range containers {
			ctr := &containers[i]
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := copyLog(ctx, s.Client, ctr, containerName(ctr, stack), follow, lines, out); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	if err := ctx.Err(); err != nil {
		return err
	}
	return <-errs
}

func copyLog(ctx context.Context, c *rancher.Client, ctr *resources.Container, prefix string, follow bool, lines int, out io.Writer) error {
	ws, err := containerlog.Open(ctx, c, ctr.Id, follow, lines)
	if err != nil {
		return err
	}
	defer ws.Close()
	for {
		l, err := ws.Next()
		if errors.Is(err, io.EOF) || ctx.Err() != nil {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the log of %s: %w", prefix, err)
		}
		fmt.Fprintf(out, "%s | %s\n", prefix, l.Text)
	}
}

// containerName is how a log line is prefixed: the container name without the stack prefix.
func containerName(ctr *resources.Container, stack string) string {
	n := strings.TrimPrefix(ctr.Name, stack+"-")
	return strings.TrimPrefix(n, stack+"_")
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
