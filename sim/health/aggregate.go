package health

import "strings"

// Instance is one managed container of a service, as the aggregation reads it.
type Instance struct {
	// State is the container state (running, stopped, stopping, …).
	State string
	// HealthState is the container healthState; None when it has no health check.
	HealthState string
	// Labels are the container labels (io.rancher.container.start_once is read).
	Labels map[string]string
	// StartCount is how many times the container was started.
	StartCount int
	// HostInactive marks a container whose host is not active (only global services look at it).
	HostInactive bool
}

// Service is what the service aggregation needs (§5.3).
type Service struct {
	// Kind is the service kind; only "service" and "loadBalancerService" are aggregated.
	Kind string
	// Scale is the configured scale.
	Scale int
	// ScalePolicyMin, when not nil, replaces Scale (scalePolicy.min).
	ScalePolicyMin *int
	// LaunchConfigs is the number of launch configs (1 + sidekicks).
	LaunchConfigs int
	// Selector marks a no-op (selector-only, no image) service: nothing is expected.
	Selector bool
	// Global marks a global service.
	Global bool
	// Instances are the service's managed containers (not the ones left stopped by an upgrade).
	Instances []Instance
}

// ServiceHealth computes a service's healthState (rancher-api.md §5.3).
func ServiceHealth(s Service) string {
	if k := lower(s.Kind); k != "service" && k != "loadbalancerservice" {
		return Healthy
	}
	scale := s.Scale
	if s.ScalePolicyMin != nil {
		scale = *s.ScalePolicyMin
	}
	if s.Selector {
		scale = 0
	}
	expected := scale * s.LaunchConfigs
	instances := s.Instances
	if s.Global {
		instances = onActiveHosts(instances)
		expected = len(instances)
	}
	healthy, initializing, startedOnce := 0, 0, 0
	for _, in := range instances {
		hs := lower(in.HealthState)
		if hs == None {
			hs = Healthy
		}
		if in.State == "running" {
			switch hs {
			case Healthy, UpdatingHealthy:
				healthy++
			case Initializing, Reinitializing:
				initializing++
			}
		}
		if isStartedOnce(in) {
			startedOnce++
		}
	}
	if startedOnce > 0 && startedOnce >= expected {
		return StartedOnce
	}
	healthy += startedOnce
	switch {
	case healthy >= expected && (!s.Global || len(instances) > 0):
		return Healthy
	case initializing > 0:
		return Initializing
	case healthy > 0:
		return Degraded
	default:
		return Unhealthy
	}
}

func onActiveHosts(in []Instance) []Instance {
	var out []Instance
	for _, i := range in {
		if !i.HostInactive {
			out = append(out, i)
		}
	}
	return out
}

// isStartedOnce is Cattle's isStartOnce: labelled start-once, started at least once, now stopped.
func isStartedOnce(in Instance) bool {
	v, ok := in.Labels[LabelStartOnce]
	if !ok || !strings.EqualFold(v, "true") {
		return false
	}
	return in.StartCount >= 1 && (in.State == "stopped" || in.State == "stopping")
}

// Member is a service (for StackHealth) or a stack (for EnvironmentHealth): its state and its
// healthState (None counts as healthy).
type Member struct {
	State       string
	HealthState string
}

// StackHealth computes a stack's healthState from its non-removed services (§5.3).
func StackHealth(services []Member) string { return aggregate(services, IsActiveService) }

// EnvironmentHealth computes an environment's (project's) healthState from its stacks (§5.3).
func EnvironmentHealth(stacks []Member) string { return aggregate(stacks, IsActiveStack) }

// aggregate is Cattle's calculateHealthState.
func aggregate(members []Member, active func(state string) bool) string {
	expected, healthy, initializing, startedOnce := 0, 0, 0, 0
	for _, m := range members {
		if m.State == "removing" || m.State == "removed" {
			continue
		}
		expected++
		hs := lower(m.HealthState)
		if hs == None {
			hs = Healthy
		}
		switch {
		case active(m.State) && (hs == Healthy || hs == StartedOnce):
			healthy++
			if hs == StartedOnce {
				startedOnce++
			}
		case hs == Initializing:
			initializing++
		}
	}
	switch {
	case expected == 0:
		return Healthy
	case startedOnce >= expected:
		return StartedOnce
	case healthy >= expected:
		return Healthy
	case initializing > 0:
		return Initializing
	case healthy > 0:
		return Degraded
	default:
		return Unhealthy
	}
}
