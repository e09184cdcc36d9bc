package health

import "testing"

func running(hs string) Instance { return Instance{State: "running", HealthState: hs, StartCount: 1} }

func startOnce(state string, starts int) Instance {
	return Instance{State: state, StartCount: starts, Labels: map[string]string{LabelStartOnce: "true"}}
}

func many(n int, in Instance) []Instance {
	out := make([]Instance, n)
	for i := range out {
		out[i] = in
	}
	return out
}

func intp(i int) *int { return &i }

// rancher-api.md §5.3, service aggregation (calculateServiceHealthState), one rule per row.
func TestServiceHealth(t *testing.T) {
	tests := []struct {
		name string
		svc  Service
		want string
	}{
		{"§5.3 all running healthy", Service{Kind: "service", Scale: 2, LaunchConfigs: 1,
			Instances: many(2, running(Healthy))}, Healthy},
		{"§5.3 no health check (null) counts healthy when running", Service{Kind: "service", Scale: 2, LaunchConfigs: 1,
			Instances: many(2, running(None))}, Healthy},
		{"§5.3 updating-healthy counts healthy", Service{Kind: "service", Scale: 1, LaunchConfigs: 1,
			Instances: []Instance{running(UpdatingHealthy)}}, Healthy},
		{"§5.3 expected is scale × launch configs", Service{Kind: "service", Scale: 2, LaunchConfigs: 2,
			Instances: many(3, running(Healthy))}, Degraded},
		{"§5.3 sidekicks all healthy", Service{Kind: "service", Scale: 2, LaunchConfigs: 2,
			Instances: many(4, running(Healthy))}, Healthy},
		{"§5.3 any initializing wins over degraded", Service{Kind: "service", Scale: 2, LaunchConfigs: 1,
			Instances: []Instance{running(Healthy), running(Initializing)}}, Initializing},
		{"§5.3 reinitializing counts as initializing", Service{Kind: "service", Scale: 1, LaunchConfigs: 1,
			Instances: []Instance{running(Reinitializing)}}, Initializing},
		{"§5.3 some healthy, none initializing → degraded", Service{Kind: "service", Scale: 2, LaunchConfigs: 1,
			Instances: []Instance{running(Healthy), running(Unhealthy)}}, Degraded},
		{"§5.3 none healthy → unhealthy", Service{Kind: "service", Scale: 2, LaunchConfigs: 1,
			Instances: many(2, running(Unhealthy))}, Unhealthy},
		{"§5.3 stopped healthy containers do not count", Service{Kind: "service", Scale: 1, LaunchConfigs: 1,
			Instances: []Instance{{State: "stopped", HealthState: Healthy}}}, Unhealthy},
		{"§5.3 initializing only counts when running", Service{Kind: "service", Scale: 1, LaunchConfigs: 1,
			Instances: []Instance{{State: "starting", HealthState: Initializing}}}, Unhealthy},
		{"§5.3 inactive service with scale ≥ 1 and no containers → unhealthy", Service{Kind: "service", Scale: 1, LaunchConfigs: 1}, Unhealthy},
		{"§5.3 scale 0 → healthy", Service{Kind: "service", Scale: 0, LaunchConfigs: 1}, Healthy},
		{"§5.3 more containers than expected still healthy", Service{Kind: "service", Scale: 1, LaunchConfigs: 1,
			Instances: many(3, running(Healthy))}, Healthy},
		{"§5.3 scalePolicy.min replaces scale", Service{Kind: "service", Scale: 5, ScalePolicyMin: intp(2), LaunchConfigs: 1,
			Instances: many(2, running(Healthy))}, Healthy},
		{"§5.3 selector-only service expects nothing", Service{Kind: "service", Scale: 3, Selector: true, LaunchConfigs: 1}, Healthy},
		{"§5.3 load balancers are aggregated", Service{Kind: "loadBalancerService", Scale: 1, LaunchConfigs: 1,
			Instances: []Instance{running(Initializing)}}, Initializing},
		{"§5.3 dns services are always healthy", Service{Kind: "dnsService", Scale: 1, LaunchConfigs: 1}, Healthy},
		{"§5.3 external services are always healthy", Service{Kind: "externalService"}, Healthy},
		{"§5.3 kind compared case-insensitively", Service{Kind: "LoadBalancerService", Scale: 1, LaunchConfigs: 1}, Unhealthy},
		{"§5.3 start-once all exited → started-once", Service{Kind: "service", Scale: 2, LaunchConfigs: 1,
			Instances: many(2, startOnce("stopped", 1))}, StartedOnce},
		{"§5.3 start-once stopping counts", Service{Kind: "service", Scale: 1, LaunchConfigs: 1,
			Instances: []Instance{startOnce("stopping", 1)}}, StartedOnce},
		{"§5.3 start-once never started does not count", Service{Kind: "service", Scale: 1, LaunchConfigs: 1,
			Instances: []Instance{startOnce("stopped", 0)}}, Unhealthy},
		{"§5.3 start-once still running counts healthy", Service{Kind: "service", Scale: 2, LaunchConfigs: 1,
			Instances: []Instance{startOnce("running", 1), startOnce("stopped", 1)}}, Healthy},
		{"§5.3 start-once partly exited, rest initializing", Service{Kind: "service", Scale: 2, LaunchConfigs: 1,
			Instances: []Instance{startOnce("stopped", 1), {State: "running", HealthState: Initializing, Labels: map[string]string{LabelStartOnce: "true"}}}},
			Initializing},
		{"§5.3 start_once label must be true", Service{Kind: "service", Scale: 1, LaunchConfigs: 1,
			Instances: []Instance{{State: "stopped", StartCount: 1, Labels: map[string]string{LabelStartOnce: "false"}}}}, Unhealthy},
		{"§5.3 start_once label value case-insensitive", Service{Kind: "service", Scale: 1, LaunchConfigs: 1,
			Instances: []Instance{{State: "stopped", StartCount: 1, Labels: map[string]string{LabelStartOnce: "True"}}}}, StartedOnce},
		{"§5.3 started-once needs at least one", Service{Kind: "service", Scale: 0, LaunchConfigs: 1}, Healthy},
		{"§5.3 global: expects its containers on active hosts", Service{Kind: "service", Global: true, Scale: 1, LaunchConfigs: 1,
			Instances: many(3, running(Healthy))}, Healthy},
		{"§5.3 global: containers on inactive hosts ignored", Service{Kind: "service", Global: true, LaunchConfigs: 1,
			Instances: []Instance{running(Healthy), {State: "running", HealthState: Unhealthy, HostInactive: true}}}, Healthy},
		{"§5.3 global: no containers → unhealthy", Service{Kind: "service", Global: true, LaunchConfigs: 1}, Unhealthy},
		{"§5.3 global: one unhealthy → degraded", Service{Kind: "service", Global: true, LaunchConfigs: 1,
			Instances: []Instance{running(Healthy), running(Unhealthy)}}, Degraded},
		{"§5.3 global: all start-once exited", Service{Kind: "service", Global: true, LaunchConfigs: 1,
			Instances: many(2, startOnce("stopped", 1))}, StartedOnce},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ServiceHealth(tc.svc); got != tc.want {
				t.Errorf("ServiceHealth = %s, want %s", got, tc.want)
			}
		})
	}
}

// rancher-api.md §5.3, stack aggregation over services (calculateHealthState with isActiveService).
func TestStackHealth(t *testing.T) {
	tests := []struct {
		name     string
		services []Member
		want     string
	}{
		{"§5.3 no services → healthy", nil, Healthy},
		{"§5.3 only removed/removing services → healthy", []Member{{"removed", Unhealthy}, {"removing", Unhealthy}}, Healthy},
		{"§5.3 all active healthy", []Member{{"active", Healthy}, {"upgrading", Healthy}}, Healthy},
		{"§5.3 null service healthState counts healthy", []Member{{"active", None}}, Healthy},
		{"§5.3 every active state counts", []Member{{"activating", Healthy}, {"updating-active", Healthy}, {"rolling-back", Healthy},
			{"canceling-upgrade", Healthy}, {"canceled-upgrade", Healthy}, {"finishing-upgrade", Healthy}, {"upgraded", Healthy},
			{"restarting", Healthy}}, Healthy},
		{"§5.3 inactive healthy service is not counted healthy", []Member{{"active", Healthy}, {"inactive", Healthy}}, Degraded},
		{"§5.3 all started-once → started-once", []Member{{"active", StartedOnce}, {"active", StartedOnce}}, StartedOnce},
		{"§5.3 mix of healthy and started-once → healthy", []Member{{"active", StartedOnce}, {"active", Healthy}}, Healthy},
		{"§5.3 any initializing → initializing", []Member{{"active", Healthy}, {"activating", Initializing}}, Initializing},
		{"§5.3 initializing counts even when not active", []Member{{"inactive", Initializing}}, Initializing},
		{"§5.3 some healthy → degraded", []Member{{"active", Healthy}, {"active", Unhealthy}}, Degraded},
		{"§5.3 degraded member makes stack degraded", []Member{{"active", Healthy}, {"active", Degraded}}, Degraded},
		{"§5.3 nothing healthy → unhealthy", []Member{{"active", Degraded}, {"inactive", Healthy}}, Unhealthy},
		{"§5.3 removed services skipped", []Member{{"active", Healthy}, {"removed", Unhealthy}}, Healthy},
		{"§5.3 health state compared case-insensitively", []Member{{"active", "Healthy"}}, Healthy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := StackHealth(tc.services); got != tc.want {
				t.Errorf("StackHealth = %s, want %s", got, tc.want)
			}
		})
	}
}

// rancher-api.md §5.3, environment aggregation over stacks (active: activating, active, updating-active).
func TestEnvironmentHealth(t *testing.T) {
	tests := []struct {
		name   string
		stacks []Member
		want   string
	}{
		{"§5.3 no stacks → healthy", nil, Healthy},
		{"§5.3 active stacks healthy", []Member{{"active", Healthy}, {"updating-active", Healthy}}, Healthy},
		{"§5.3 upgraded stack is not an active stack", []Member{{"active", Healthy}, {"upgraded", Healthy}}, Degraded},
		{"§5.3 error stack unhealthy", []Member{{"error", Unhealthy}}, Unhealthy},
		{"§5.3 initializing stack", []Member{{"active", Healthy}, {"activating", Initializing}}, Initializing},
		{"§5.3 removing stacks skipped", []Member{{"active", Healthy}, {"removing", Unhealthy}}, Healthy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := EnvironmentHealth(tc.stacks); got != tc.want {
				t.Errorf("EnvironmentHealth = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestActiveStates(t *testing.T) {
	for _, s := range []string{"active", "upgrading", "upgraded", "restarting"} {
		if !IsActiveService(s) {
			t.Errorf("IsActiveService(%s) = false", s)
		}
	}
	for _, s := range []string{"inactive", "requested", "registering", "deactivating", "removing", "removed"} {
		if IsActiveService(s) {
			t.Errorf("IsActiveService(%s) = true", s)
		}
	}
	if IsActiveStack("upgrading") || !IsActiveStack("updating-active") {
		t.Error("stack active states wrong")
	}
}
