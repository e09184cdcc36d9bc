package rancher

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// pollCost returns how many reloads a wait makes for a transition lasting d, and how long after the end
// of the transition the wait notices it.
func pollCost(p PollPolicy, d time.Duration) (polls int, late time.Duration) {
	var elapsed time.Duration
	delay := p.Min
	for elapsed < d {
		elapsed += delay
		polls++
		delay = nextPoll(p, delay)
	}
	return polls, elapsed - d
}

// TestPollFigures prints the polling cost of the original's fixed 150 ms against the backoff schedules
// (run with -v to see the table) and checks that the default never polls more than the original.
func TestPollFigures(t *testing.T) {
	policies := []struct {
		name string
		p    PollPolicy
	}{
		{"original fixed 150ms", PollPolicy{Min: 150 * time.Millisecond, Max: 150 * time.Millisecond, Factor: 1}},
		{"default 100ms x1.5 to 1s", Config{}.withDefaults().Poll},
		{"100ms x2 to 2s", PollPolicy{Min: 100 * time.Millisecond, Max: 2 * time.Second, Factor: 2}},
	}
	durations := []time.Duration{200 * time.Millisecond, 400 * time.Millisecond, time.Second, 2 * time.Second,
		5 * time.Second, 10 * time.Second, 30 * time.Second, 2 * time.Minute}
	var b strings.Builder
	fmt.Fprintf(&b, "%-24s", "transition:")
	for _, d := range durations {
		fmt.Fprintf(&b, "%14s", d)
	}
	b.WriteString("\n")
	for _, pol := range policies {
		fmt.Fprintf(&b, "%-24s", pol.name)
		for _, d := range durations {
			polls, late := pollCost(pol.p, d)
			fmt.Fprintf(&b, "%8d +%4dms", polls, late.Milliseconds())
		}
		b.WriteString("\n")
	}
	t.Logf("polls per wait and lateness (GET self requests, time between the end of the transition and its detection):\n%s", b.String())
	for _, d := range durations {
		orig, _ := pollCost(policies[0].p, d)
		def, _ := pollCost(policies[1].p, d)
		if def > orig {
			t.Errorf("for a %s transition the default polls %d times, more than the original's %d", d, def, orig)
		}
	}
}
