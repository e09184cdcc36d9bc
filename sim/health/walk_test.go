package health

import (
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

// step is one event of a walk: a start, a check result, or nothing but a time check.
type step struct {
	at     int    // seconds after t0
	event  string // "start", "pass", "fail"
	want   string // health state after the event
	wantTO bool   // TimedOut after the event
}

func walk(t *testing.T, chk Check, hasCheck bool, start Container, steps []step) {
	t.Helper()
	c := start
	for i, s := range steps {
		now := at(s.at)
		switch s.event {
		case "start":
			c = Start(c, hasCheck, now)
		case "pass":
			c = Observe(c, chk, true, now)
		case "fail":
			c = Observe(c, chk, false, now)
		}
		if c.State != s.want {
			t.Fatalf("step %d (%s at %ds): state = %q, want %q", i, s.event, s.at, c.State, s.want)
		}
		if got := TimedOut(c, chk, now); got != s.wantTO {
			t.Fatalf("step %d (%s at %ds): TimedOut = %v, want %v", i, s.event, s.at, got, s.wantTO)
		}
	}
}

// rancher-api.md §5.3/§4.4: the container health walk, one scenario per row.
func TestContainerWalk(t *testing.T) {
	chk := Check{HealthyThreshold: 2, UnhealthyThreshold: 3}
	withTimeouts := Check{HealthyThreshold: 2, UnhealthyThreshold: 3, InitializingTimeout: 60 * time.Second,
		ReinitializingTimeout: 30 * time.Second}
	tests := []struct {
		name     string
		chk      Check
		hasCheck bool
		start    Container
		steps    []step
	}{
		{"§5.3 no health check stays null", chk, false, Container{}, []step{
			{0, "start", None, false}}},
		{"§5.3 first start → initializing, healthyThreshold passes → healthy", chk, true, Container{}, []step{
			{0, "start", Initializing, false}, {2, "pass", Initializing, false}, {4, "pass", Healthy, false}}},
		{"§5.3 failures ignored while initializing", chk, true, Container{}, []step{
			{0, "start", Initializing, false}, {1, "fail", Initializing, false}, {2, "fail", Initializing, false},
			{3, "fail", Initializing, false}, {4, "fail", Initializing, false}}},
		{"§5.3 a failure resets the pass count", chk, true, Container{}, []step{
			{0, "start", Initializing, false}, {1, "pass", Initializing, false}, {2, "fail", Initializing, false},
			{3, "pass", Initializing, false}, {4, "pass", Healthy, false}}},
		{"§5.3 healthy → unhealthy after unhealthyThreshold consecutive failures", chk, true, Container{State: Healthy}, []step{
			{0, "fail", Healthy, false}, {1, "fail", Healthy, false}, {2, "fail", Unhealthy, false}}},
		{"§5.3 a pass resets the failure count", chk, true, Container{State: Healthy}, []step{
			{0, "fail", Healthy, false}, {1, "fail", Healthy, false}, {2, "pass", Healthy, false},
			{3, "fail", Healthy, false}, {4, "fail", Healthy, false}, {5, "fail", Unhealthy, false}}},
		{"§5.3 unhealthy recovers after healthyThreshold passes", chk, true, Container{State: Unhealthy}, []step{
			{0, "pass", Unhealthy, false}, {1, "pass", Healthy, false}}},
		{"§5.3 restart of a healthy container → reinitializing → healthy", chk, true, Container{State: Healthy}, []step{
			{0, "start", Reinitializing, false}, {1, "fail", Reinitializing, false}, {2, "fail", Reinitializing, false},
			{3, "fail", Reinitializing, false}, {4, "pass", Reinitializing, false}, {5, "pass", Healthy, false}}},
		{"§5.3 restart of an unhealthy container keeps unhealthy", chk, true, Container{State: Unhealthy}, []step{
			{0, "start", Unhealthy, false}}},
		{"§4.4 initializingTimeout reached", withTimeouts, true, Container{}, []step{
			{0, "start", Initializing, false}, {59, "fail", Initializing, false}, {60, "", Initializing, true}}},
		{"§4.4 timeout counts from the last health change", withTimeouts, true, Container{State: Healthy}, []step{
			{100, "start", Reinitializing, false}, {129, "", Reinitializing, false}, {130, "", Reinitializing, true}}},
		{"§4.4 healthy containers never time out", withTimeouts, true, Container{}, []step{
			{0, "start", Initializing, false}, {1, "pass", Initializing, false}, {2, "pass", Healthy, false},
			{1000, "", Healthy, false}}},
		{"§4.4 no timeout configured", chk, true, Container{}, []step{
			{0, "start", Initializing, false}, {100000, "", Initializing, false}}},
		{"§4.4 strategy none never times out", Check{InitializingTimeout: time.Second, Strategy: StrategyNone}, true, Container{}, []step{
			{0, "start", Initializing, false}, {10, "", Initializing, false}}},
		{"§4.4 default thresholds are 2 and 3", Check{}, true, Container{}, []step{
			{0, "start", Initializing, false}, {1, "pass", Initializing, false}, {2, "pass", Healthy, false},
			{3, "fail", Healthy, false}, {4, "fail", Healthy, false}, {5, "fail", Unhealthy, false}}},
		{"§4.4 threshold 1", Check{HealthyThreshold: 1, UnhealthyThreshold: 1}, true, Container{}, []step{
			{0, "start", Initializing, false}, {1, "pass", Healthy, false}, {2, "fail", Unhealthy, false}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { walk(t, tc.chk, tc.hasCheck, tc.start, tc.steps) })
	}
}

func TestStartRecordsUpdateTime(t *testing.T) {
	c := Start(Container{}, true, at(5))
	if !c.Updated.Equal(at(5)) {
		t.Fatalf("Updated = %v, want %v", c.Updated, at(5))
	}
	c = Observe(c, Check{}, true, at(7))
	if !c.Updated.Equal(at(5)) {
		t.Fatalf("Updated moved without a state change: %v", c.Updated)
	}
	c = Observe(c, Check{}, true, at(9))
	if !c.Updated.Equal(at(9)) {
		t.Fatalf("Updated = %v, want %v after healthy", c.Updated, at(9))
	}
}

// rancher-api.md §5.3: unhealthy containers are recreated per strategy.
func TestShouldRecreate(t *testing.T) {
	unhealthy := Container{State: Unhealthy}
	tests := []struct {
		name    string
		c       Container
		chk     Check
		healthy int
		want    bool
	}{
		{"§5.3 recreate (default)", unhealthy, Check{}, 0, true},
		{"§5.3 recreate explicit", unhealthy, Check{Strategy: StrategyRecreate}, 0, true},
		{"§5.3 none leaves it", unhealthy, Check{Strategy: StrategyNone}, 5, false},
		{"§5.3 recreateOnQuorum with quorum", unhealthy, Check{Strategy: StrategyRecreateOnQuorum, Quorum: 2}, 2, true},
		{"§5.3 recreateOnQuorum below quorum", unhealthy, Check{Strategy: StrategyRecreateOnQuorum, Quorum: 2}, 1, false},
		{"§5.3 healthy containers are kept", Container{State: Healthy}, Check{}, 0, false},
		{"§5.3 initializing containers are kept", Container{State: Initializing}, Check{}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := ShouldRecreate(tc.c, tc.chk, tc.healthy); got != tc.want {
				t.Errorf("ShouldRecreate = %v, want %v", got, tc.want)
			}
		})
	}
}
