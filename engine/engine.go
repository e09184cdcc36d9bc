// Package engine is the boundary between the commands and the platforms they deploy to. The commands
// (package cmd) load the compose model, map flags to the options below, pick an Engine and render what it
// returns; everything platform-specific sits behind the interface. What both sides share: the compose model
// (package compose), the plan vocabulary (create, upgrade, confirm, rollback, scale, unchanged, ...), progress
// events (package progress), the exit codes that domain errors carry (ExitCode() int), deadlines (the
// context) and the deploy-lock contract (package upgrade/lock, whose Store each engine provides).
//
// Engines: "rancher" (Rancher 1.6 through its API: rancherengine.Engine, over the packages rancher and
// upgrade, constructed in cmd/rancher.go) and "swarm" (Docker Swarm through the Engine API: swarm.Engine,
// constructed in cmd/swarm.go). A third engine implements Engine (and the optional interfaces below that
// it can honour) and registers its constructor in cmd (engineConstructors); the commands
// (cmd/engine_commands.go) need no change.
package engine

import (
	"context"
	"io"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/compose"
)

// EnvEngine selects the engine when --engine is not given.
const EnvEngine = "RANCHER_COMPOSE_ENGINE"

// UpOptions are the flags of create and up, in the engine's terms.
type UpOptions struct {
	// Services limits the run to these compose names (empty = all).
	Services     []string
	Upgrade      bool
	ForceUpgrade bool
	Confirm      bool
	Rollback     bool
	ApplyScale   bool
	WaitHealthy  bool
	Atomic       bool
	// CreateOnly creates missing services and touches nothing else (the create command).
	CreateOnly bool
	DryRun     bool
	// BatchSize and Interval are --batch-size and --interval when given (0 when not); IntervalSet says
	// --interval was given (so --interval 0 is an interval of 0).
	BatchSize   int64
	Interval    time.Duration
	IntervalSet bool
	// ForceUnlock breaks another run's deploy lock.
	ForceUnlock bool
	// RemoveOrphans removes the stack's services that are in none of the files.
	RemoveOrphans bool
	// ShowSecrets shows environment values and secret variables' values in --dry-run diffs.
	ShowSecrets bool
	// Pull pulls the images first (up --pull); not on a dry run.
	Pull bool
}

// Target is what a per-service command (start, stop, restart, rm, scale, logs) acts on.
type Target struct {
	// Stack is -p (or the files' project name).
	Stack string
	// Project is the compose project when the engine acts on the services of the files (see
	// ProjectScoped), nil otherwise.
	Project *compose.Project
	// Services are the names given on the command line (empty = all).
	Services []string
	// ForceUnlock breaks another run's deploy lock.
	ForceUnlock bool
}

// ScaleTarget is one SERVICE=NUM argument of scale; Scale receives them in argument order.
type ScaleTarget struct {
	Service  string
	Replicas int64
}

// PullOptions are the flags of pull.
type PullOptions struct {
	// Services limits the pull (empty = all).
	Services []string
	// Cached pulls only on the hosts that already hold the image (pull --cached), where the engine can.
	Cached bool
}

// ProjectScoped is an engine whose per-service commands act on the services of the compose files (the
// files are read and passed as Target.Project), not on the live stack alone.
type ProjectScoped interface {
	ProjectScoped() bool
}

// BatchRestarter is an engine whose restart honours restart's --batch-size and --interval.
type BatchRestarter interface {
	RestartInBatches(ctx context.Context, t Target, batch int64, interval time.Duration) (*Outcome, error)
}

// StackOptions are the flags of the commands that work from the live stack alone (upgrade --confirm, rollback).
type StackOptions struct {
	// Services limits the run (empty = all).
	Services []string
	// DryRun plans and changes nothing; ForceUnlock breaks another run's deploy lock.
	DryRun      bool
	ForceUnlock bool
}

// Warning is something in the project an engine cannot honour. Under --strict the command fails with exit 2.
type Warning struct {
	Service, Key, Text string
}

// Outcome is what an engine reports: the plan (a dry run stops there) and, after a run, the result. Both
// render as text (String) and JSON.
type Outcome struct {
	Plan   Printable
	Result any
}

// Printable is a plan that renders as text for a terminal and as JSON for --format json.
type Printable interface {
	String() string
}

// Engine deploys compose projects to one platform.
type Engine interface {
	// Name is the engine's --engine value.
	Name() string
	// Check maps the project without changing anything and returns what the engine cannot honour;
	// an error means the project cannot be deployed at all (exit 2).
	Check(p *compose.Project, o UpOptions) ([]Warning, error)
	// Up creates, upgrades, confirms or rolls back the project's services as o says.
	Up(ctx context.Context, p *compose.Project, o UpOptions) (*Outcome, error)
	// Confirm and Rollback finish or undo pending upgrades; they need no files.
	Confirm(ctx context.Context, stack string, o StackOptions) (*Outcome, error)
	Rollback(ctx context.Context, stack string, o StackOptions) (*Outcome, error)
	// Scale sets replica counts, in argument order.
	Scale(ctx context.Context, t Target, scale []ScaleTarget) (*Outcome, error)
	// Start, Stop, Restart and Remove act on existing services (all when t.Services is empty).
	Start(ctx context.Context, t Target) (*Outcome, error)
	Stop(ctx context.Context, t Target) (*Outcome, error)
	Restart(ctx context.Context, t Target) (*Outcome, error)
	Remove(ctx context.Context, t Target) (*Outcome, error)
	// Status is what ps prints: a table (text) and rows (JSON).
	Status(ctx context.Context, stack string, services []string) (Printable, error)
	// Logs copies the services' logs to w.
	Logs(ctx context.Context, t Target, follow bool, tail int, w io.Writer) error
	// Pull fetches the project's images; warnings are returned, not failures, where the engine can go on.
	Pull(ctx context.Context, p *compose.Project, o PullOptions) ([]string, error)
}

// UpLogFollower is an engine whose `up` without -d follows the logs its own way (Rancher: until
// interrupted, as the original did, even once every stream ended).
type UpLogFollower interface {
	FollowUpLogs(ctx context.Context, t Target, w io.Writer) error
}

// FromToOptions are the flags of `upgrade FROM TO`, the original's service-to-service rolling upgrade.
type FromToOptions struct {
	From, To string
	// Scale is the target's final scale (-1: the source's).
	Scale       int
	BatchSize   int
	Interval    int
	UpdateLinks bool
	Wait        bool
	Pull        bool
	Cleanup     bool
	ForceUnlock bool
}

// FromToUpgrader is an engine that knows `upgrade FROM TO`; on the others it has no meaning (exit 2).
type FromToUpgrader interface {
	UpgradeFromTo(ctx context.Context, p *compose.Project, o FromToOptions) error
}
