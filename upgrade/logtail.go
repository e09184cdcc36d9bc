package upgrade

import (
	"context"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/upgrade/containerlog"
)

// LogTail returns the last lines of a container's log through the API (containerlog.Tail): the
// container's logs action (follow off), then the websocket it names, read until the server closes it or,
// with quiet > 0, quiet passes without a frame.
func LogTail(c *rancher.Client, quiet time.Duration) func(ctx context.Context, containerID string, lines int) ([]string, error) {
	return func(ctx context.Context, containerID string, lines int) ([]string, error) {
		return containerlog.Tail(ctx, c, containerID, lines, quiet)
	}
}
