package scheduler

// Host is a simulated host as the scheduler sees it.
type Host struct {
	// ID is the API id, e.g. "1h1".
	ID string
	// Name is the host name (informational).
	Name string
	// State is the host state; "" and "active" count as active, anything else is skipped.
	State string
	// Labels are the host labels (io.rancher.scheduler.require_any included).
	Labels map[string]string
	// Memory is the capacity in bytes for memoryReservation; 0 means unlimited.
	Memory int64
	// MilliCPU is the capacity for milliCpuReservation (1000 = one core); 0 means unlimited.
	MilliCPU int64
}

// Container is an existing, non-removed container (callers may also pass removed ones with Removed
// set; they are ignored).
type Container struct {
	// ID is the API id, e.g. "1i42".
	ID string
	// UUID is the container uuid (container affinity matches name or uuid).
	UUID string
	// Name is the container name, e.g. "myapp-web-1".
	Name string
	// HostID is the host the container is on; "" when not scheduled.
	HostID string
	// StackName and ServiceName say which service owns it (informational).
	StackName, ServiceName string
	// Labels are the container labels (system labels included).
	Labels map[string]string
	// Ports are launchConfig-style port specs: "8080:80/tcp", "0.0.0.0:8080:80", "80/tcp".
	Ports []string
	// MemoryReservation and MilliCPUReservation are what the container reserves while not stopped.
	MemoryReservation, MilliCPUReservation int64
	// DeploymentUnitUUID groups a primary with its sidekicks.
	DeploymentUnitUUID string
	// Stopped containers keep counting for affinity but hold no reservations or host ports.
	Stopped bool
	// Removed containers are ignored entirely.
	Removed bool
}

// LaunchConfig is one container of the unit to place (the primary or a sidekick).
type LaunchConfig struct {
	// Name is "" for the primary launch config, the sidekick name otherwise.
	Name string
	// Labels are launchConfig.labels (affinity labels live here).
	Labels map[string]string
	// Environment is launchConfig.environment (Swarm-style constraint:/affinity: entries).
	Environment map[string]string
	// Ports are launchConfig.ports specs.
	Ports []string
	// MemoryReservation (bytes) and MilliCPUReservation are launchConfig.memoryReservation and
	// launchConfig.milliCpuReservation.
	MemoryReservation, MilliCPUReservation int64
}

// Request is one deployment unit to place.
type Request struct {
	// StackName and ServiceName feed the ${stack_name} and ${service_name} macros.
	StackName, ServiceName string
	// LaunchConfigs holds the primary first, then the sidekicks.
	LaunchConfigs []LaunchConfig
	// DeploymentUnitUUID, when some existing container of that unit is on a host, pins the unit there.
	DeploymentUnitUUID string
	// RequestedHostID pins the unit (requestedHostId / io.rancher.service.requested.host.id).
	RequestedHostID string
}

// AllocationError is a placement failure; Message is the container's transitioningMessage, verbatim.
type AllocationError struct {
	Message string
}

// Error implements error.
func (e *AllocationError) Error() string { return e.Message }

// Messages of rancher-api.md §6.4 (without the per-case details).
const (
	// AllocationFailedPrefix starts every allocation failure (Cattle's FailedToAllocate).
	AllocationFailedPrefix = "Allocation failed: "
	// MsgNoHealthyHosts is the failure when no active host is a candidate.
	MsgNoHealthyHosts = AllocationFailedPrefix + "No healthy hosts with sufficient resources available"
	// MsgResourceConstraints prefixes the failure when no host has the resources; the list follows.
	MsgResourceConstraints = AllocationFailedPrefix + "No healthy hosts meet the resource constraints: "
	// MsgFailedToFindPlacement is Cattle's fallback message (not produced by this model, exported for
	// the simulator's fault injection).
	MsgFailedToFindPlacement = AllocationFailedPrefix + "Failed to find placement"
)

// Label keys the scheduler reads.
const (
	LabelGlobal          = "io.rancher.scheduler.global"
	LabelRequireAny      = "io.rancher.scheduler.require_any"
	LabelHostAffinity    = "io.rancher.scheduler.affinity:host_label"
	LabelContainerLabel  = "io.rancher.scheduler.affinity:container_label"
	LabelContainer       = "io.rancher.scheduler.affinity:container"
	LabelStackName       = "io.rancher.stack.name"
	LabelStackService    = "io.rancher.stack_service.name"
	LabelRequestedHostID = "io.rancher.service.requested.host.id"
)

// IsGlobal reports whether launch-config labels make a service global (io.rancher.scheduler.global
// = "true", case-insensitive).
func IsGlobal(labels map[string]string) bool {
	for k, v := range labels {
		if equalFold(k, LabelGlobal) && equalFold(v, "true") {
			return true
		}
	}
	return false
}
