package cmd

import (
	"github.com/urfave/cli/v2"

	"github.com/rancher-compose-ng/rancher-compose/swarm/probe"
)

func init() { registerCommand(newHealthprobeCommand) }

// newHealthprobeCommand is the hidden `healthprobe` command: the health check the swarm engine runs inside
// containers, with this binary bind-mounted read-only (it must be built with CGO_ENABLED=0 to run in
// images without libc). It exits 0 when healthy and 1 otherwise, as Docker health checks expect.
func newHealthprobeCommand(f *Factory, _ *GlobalOptions) *cli.Command {
	return &cli.Command{
		Name:            "healthprobe",
		Usage:           "probe PORT over HTTP (request line) or TCP inside a container (used by --engine swarm)",
		ArgsUsage:       `http PORT "GET /path HTTP/1.0" | tcp PORT`,
		Hidden:          true,
		SkipFlagParsing: true,
		Action: func(c *cli.Context) error {
			if code := probe.Main(c.Args().Slice(), f.IO.Out); code != 0 {
				return &probeFailed{code: code}
			}
			return nil
		},
	}
}

// probeFailed is an unhealthy probe: its line is already on stdout (Docker keeps it as the health log).
type probeFailed struct{ code int }

func (e *probeFailed) Error() string { return "unhealthy" }

// Unwrap marks the outcome as already reported, so nothing more is printed.
func (e *probeFailed) Unwrap() error { return errAlreadyReported }

// ExitCode is the probe's status (1).
func (e *probeFailed) ExitCode() int { return e.code }
