package rancherengine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/containerlog"
)

// StreamLogs writes the log lines of every container of the services, each prefixed with the container's
// name (which carries the service name), to out, which must take concurrent writes. Without follow it returns once every stream ended.
func (s *Session) StreamLogs(ctx context.Context, stack string, services []string, follow bool, lines int, out io.Writer) error {
	st, err := s.FindStack(ctx, stack)
	if err != nil || st == nil {
		return err
	}
	existing, err := s.StackServices(ctx, st)
	if err != nil {
		return err
	}
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
