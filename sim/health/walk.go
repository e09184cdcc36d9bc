package health

import "time"

// CleanupInterval is how often Cattle's healthcheck.cleanup task looks for containers stuck in
// initializing/reinitializing (healthcheck-defaults.properties).
const CleanupInterval = 60 * time.Second

// Check is a container's health check (launchConfig.healthCheck, §4.4) as the walk needs it.
type Check struct {
	// HealthyThreshold is how many consecutive passes make the container healthy (≤0 means 2).
	HealthyThreshold int
	// UnhealthyThreshold is how many consecutive failures make a healthy container unhealthy (≤0 means 3).
	UnhealthyThreshold int
	// InitializingTimeout and ReinitializingTimeout (0 = none) remove a container stuck in those states.
	InitializingTimeout, ReinitializingTimeout time.Duration
	// Strategy is none, recreate or recreateOnQuorum ("" means recreate).
	Strategy string
	// Quorum is recreateOnQuorumStrategyConfig.quorum.
	Quorum int
}

func (c Check) healthyThreshold() int {
	if c.HealthyThreshold <= 0 {
		return 2
	}
	return c.HealthyThreshold
}

func (c Check) unhealthyThreshold() int {
	if c.UnhealthyThreshold <= 0 {
		return 3
	}
	return c.UnhealthyThreshold
}

// Container is the health of one container as the walk tracks it.
type Container struct {
	// State is the container's healthState (None = no health check yet, or none at all).
	State string
	// Updated is when State last changed (Cattle's healthUpdated).
	Updated time.Time
	// Passes and Failures count the checker's consecutive results since its last report.
	Passes, Failures int
}

// Start applies a container start (InstanceHealthcheckRegister): with a health check, a container
// never checked becomes initializing and a healthy one reinitializing; other states are kept.
// Without a health check nothing changes. The checker's counters restart.
func Start(c Container, hasCheck bool, now time.Time) Container {
	if !hasCheck {
		return c
	}
	c.Passes, c.Failures = 0, 0
	switch c.State {
	case None:
		return setState(c, Initializing, now)
	case Healthy:
		return setState(c, Reinitializing, now)
	}
	return c
}

// Observe applies one health-check result. healthyThreshold consecutive passes report healthy
// (taken unless already healthy); unhealthyThreshold consecutive failures report unhealthy, which is
// only taken by a healthy container (ignored while initializing, reinitializing or unhealthy).
func Observe(c Container, chk Check, passed bool, now time.Time) Container {
	if passed {
		c.Failures = 0
		c.Passes++
		if c.Passes >= chk.healthyThreshold() {
			c.Passes = 0
			if c.State != Healthy {
				return setState(c, Healthy, now)
			}
		}
		return c
	}
	c.Passes = 0
	c.Failures++
	if c.Failures >= chk.unhealthyThreshold() {
		c.Failures = 0
		if c.State == Healthy {
			return setState(c, Unhealthy, now)
		}
	}
	return c
}

func setState(c Container, state string, now time.Time) Container {
	c.State = state
	c.Updated = now
	return c
}

// TimedOut reports whether the cleanup task removes the container at time now: it is initializing
// (reinitializing) for at least InitializingTimeout (ReinitializingTimeout) since its last health
// change, and the strategy is not none. The caller runs it on CleanupInterval ticks.
func TimedOut(c Container, chk Check, now time.Time) bool {
	if chk.Strategy == StrategyNone {
		return false
	}
	var timeout time.Duration
	switch c.State {
	case Initializing:
		timeout = chk.InitializingTimeout
	case Reinitializing:
		timeout = chk.ReinitializingTimeout
	default:
		return false
	}
	return timeout > 0 && !c.Updated.IsZero() && now.Sub(c.Updated) >= timeout
}

// ShouldRecreate reports whether reconcile replaces an unhealthy container's deployment unit, given
// how many containers of the service are healthy now: always for recreate, only while healthy ≥
// quorum for recreateOnQuorum, never for none.
func ShouldRecreate(c Container, chk Check, healthyInService int) bool {
	if c.State != Unhealthy {
		return false
	}
	switch chk.Strategy {
	case StrategyNone:
		return false
	case StrategyRecreateOnQuorum:
		return healthyInService >= chk.Quorum
	default:
		return true
	}
}
