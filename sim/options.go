package sim

import (
	"io"
	"time"
)

// Options configure a simulator. The zero value is usable: random keys, 3 hosts, access control on,
// real clock with 200ms steps, no faults.
type Options struct {
	// Listen is the address to serve on; default "127.0.0.1:0" (a random loopback port).
	Listen string
	// env is set by StartEnvironments for each environment it serves.
	env environment
	// AccessKey and SecretKey are the environment (project) API key. Empty: random keys are generated.
	AccessKey, SecretKey string
	// AccountKeys are extra user-owned keys, project-scoped as Rancher's account keys are.
	AccountKeys []AccountKey
	// AccessControlOff lets every request in as admin, as a fresh Rancher install does.
	// A valid key is still honoured; an invalid one silently falls through.
	AccessControlOff bool

	// Hosts is the number of simulated hosts (default 3; set NoHosts for none).
	Hosts   int
	NoHosts bool
	// HostLabels are added to every host; PerHostLabels[i] to host i+1 only.
	HostLabels    map[string]string
	PerHostLabels []map[string]string
	// HostMemory (bytes) and HostMilliCPU are each host's capacity for reservations
	// (default 8 GiB and 4000).
	HostMemory   int64
	HostMilliCPU int64

	// Clock selects real, manual or fast time (default RealClock).
	Clock ClockMode
	// Step is the time one state step takes (requested→creating, activating→active, …).
	// Zero means 200ms unless StepSet is true, in which case 0 means as fast as possible.
	Step    time.Duration
	StepSet bool

	// Images are per-image behaviours, matched in order against the image name (without "docker:").
	Images []ImageBehavior
	// Faults are injected into the API from the start.
	Faults Faults

	// SystemStacks adds Rancher's infrastructure stacks (healthcheck, ipsec, network-services,
	// scheduler; system:true, one global service each), as a real environment has.
	SystemStacks bool

	// ShowRemovedFor keeps removed resources in collections for this long after removal, as Rancher
	// 1.0/1.1 did (300s); 0 hides them at once (1.6).
	ShowRemovedFor time.Duration

	// ExposeExitCode models a Cattle carrying rancher/cattle#2903 (never merged): containers render
	// lastExitCode (null until the container stopped by itself, then its code) and the container schema
	// has the field. Off, the API is the stock 1.6 one, which reports no exit code (rancher/rancher#5978).
	ExposeExitCode bool

	// RequestLog, when set, gets one line per API request (time, method, path, status, how long it waited for
	// the simulation's lock, its answer time; never secrets), e.g.
	// "12:00:01.234 GET /v2-beta/services/1s5 -> 200 [lock 12µs] (310µs)".
	RequestLog io.Writer
	// Seed makes fault injection reproducible (0: time-based).
	Seed int64
}

// ImageBehavior makes containers of images matching Glob (path.Match syntax, e.g. "nginx:*",
// "*/flaky*") misbehave.
type ImageBehavior struct {
	Glob string `json:"glob"`
	// NeverHealthy: health checks never pass, the container stays "initializing".
	NeverHealthy bool `json:"neverHealthy,omitempty"`
	// UnhealthyAfter: the container turns "unhealthy" this long after becoming healthy.
	UnhealthyAfter Duration `json:"unhealthyAfter,omitempty"`
	// FailStart: the container goes to state "error" instead of running.
	FailStart bool `json:"failStart,omitempty"`
	// ExitCode, when set, makes the container exit with it shortly after starting (start-once jobs).
	ExitCode *int `json:"exitCode,omitempty"`
	// PullDelay is extra time spent in "creating" (pulling the image) and in pull tasks.
	PullDelay Duration `json:"pullDelay,omitempty"`
}

// Faults are misbehaviours of the API itself.
type Faults struct {
	// Latency is added to every API answer, plus a random 0..Jitter.
	Latency Duration `json:"latency,omitempty"`
	Jitter  Duration `json:"jitter,omitempty"`
	// ErrorRate is the fraction of API requests answered with a 503. For mutating requests half of
	// them are answered only AFTER the change was applied (the hard case for retries).
	ErrorRate float64 `json:"errorRate,omitempty"`
	// ErrorStatus is the status of injected errors (default 503; 500, 502 and 504 are typical).
	ErrorStatus int `json:"errorStatus,omitempty"`
	// ProxyErrors makes injected errors look like a fronting proxy's: an HTML body, not Cattle's JSON.
	ProxyErrors bool `json:"proxyErrors,omitempty"`
	// ConflictBurst answers the next N mutating requests with 409 Conflict, changing nothing.
	ConflictBurst int `json:"conflictBurst,omitempty"`
	// DropRate is the fraction of API requests whose connection is closed without an answer.
	DropRate float64 `json:"dropRate,omitempty"`
	// StuckStates: a process entering one of these states (e.g. "activating", "upgrading") never
	// progresses: transitioning stays "yes" until another action or remove supersedes it.
	StuckStates []string `json:"stuckStates,omitempty"`
	// ErrorStates: a process entering one of these states stops there with transitioning "error"
	// and transitioningMessage ErrorMessage.
	ErrorStates  []string `json:"errorStates,omitempty"`
	ErrorMessage string   `json:"errorMessage,omitempty"`
}

func (o *Options) step() time.Duration {
	if o.Step == 0 && !o.StepSet {
		return 200 * time.Millisecond
	}
	return o.Step
}

func (o *Options) hostCount() int {
	if o.NoHosts {
		return 0
	}
	if o.Hosts == 0 {
		return 3
	}
	return o.Hosts
}

// GCPercent is the garbage collector's target that a process serving a simulator sets (rancher-compose sim,
// scripts/bench), unless GOGC is set. The simulator's live heap is small (under 20 MB at 500 services) and
// its answers churn through memory quickly, so at the runtime's default of 100 it collected every 100-300 ms
// during a fast deploy, and on one core each cycle's assists stalled requests by tens of milliseconds (a
// 500-service up at --step 0: p99 3-57 ms, 2-9 ms at 400, and 15-25% less CPU).
const GCPercent = 400
