package upgrade

import "testing"

func TestOutOfSyncWarningIsEmitted(t *testing.T) {
	old, cur := desired("web", "nginx:1.13"), desired("web", "nginx:1.14")
	r := execute(t, t.Context(), []*Desired{cur}, []*Service{live(old, "active")}, Options{}, nil)
	found := false
	for _, e := range r.events.Events() {
		found = found || (e.Resource == "web" && e.Status == "warning" && e.Text == "Service web is out of sync with local configuration file (run with --upgrade to apply it)")
	}
	if !found || r.api.callsOf("web") != "" {
		t.Errorf("events %v calls %q", r.events.Events(), r.api.callsOf("web"))
	}
}
