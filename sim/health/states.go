package health

import "strings"

// Health states of containers, services, stacks and environments.
const (
	// None is a container without a health check (JSON null); it counts as healthy when running.
	None            = ""
	Healthy         = "healthy"
	UpdatingHealthy = "updating-healthy"
	Unhealthy       = "unhealthy"
	Initializing    = "initializing"
	Reinitializing  = "reinitializing"
	Degraded        = "degraded"
	StartedOnce     = "started-once"
)

// Health-check strategies (instanceHealthCheck.strategy).
const (
	StrategyNone             = "none"
	StrategyRecreate         = "recreate"
	StrategyRecreateOnQuorum = "recreateOnQuorum"
)

// LabelStartOnce marks start-once service containers.
const LabelStartOnce = "io.rancher.container.start_once"

// ServiceActiveStates are the service states Cattle 1.6 treats as active
// (ServiceDiscoveryServiceImpl.getServiceActiveStates).
var ServiceActiveStates = []string{
	"activating", "active", "updating-active", "upgrading", "rolling-back", "canceling-upgrade",
	"canceled-upgrade", "finishing-upgrade", "upgraded", "restarting",
}

// StackActiveStates are the stack states Cattle treats as active for the environment aggregation.
var StackActiveStates = []string{"activating", "active", "updating-active"}

// IsActiveService reports whether a service state is one of ServiceActiveStates.
func IsActiveService(state string) bool { return contains(ServiceActiveStates, state) }

// IsActiveStack reports whether a stack state is one of StackActiveStates.
func IsActiveStack(state string) bool { return contains(StackActiveStates, state) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func lower(s string) string { return strings.ToLower(s) }
