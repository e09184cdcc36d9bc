package upgrade

import (
	"strings"
	"testing"
)

// desired builds a plain service whose digests are derived from its image, so changing the image changes
// the launch-config digest exactly as the real builder would.
func desired(name, image string) *Desired {
	lc := map[string]any{"imageUuid": "docker:" + image, "labels": map[string]any{HashKey: "lc-" + image}}
	return &Desired{
		Name: name, Kind: KindService, ManagesLinks: true, Scale: 1,
		Digests:      Digests{Service: "svc-" + name, Primary: "lc-" + image},
		Images:       []string{image},
		CreateBody:   map[string]any{"name": name, "scale": 1, "launchConfig": lc},
		ServiceBody:  map[string]any{"name": name, "metadata": map[string]any{HashKey: "svc-" + name}},
		LaunchConfig: lc,
	}
}

// live builds the service Rancher would hold after deploying d, in the given state.
func live(d *Desired, state string) *Service {
	actions := map[string]string{}
	for _, a := range stateActions[state] {
		actions[a] = "http://x/" + a
	}
	s := &Service{
		ID: "1s-" + d.Name, Name: d.Name, Kind: d.Kind, State: state, Scale: d.Scale, Actions: actions,
		Metadata:       map[string]any{HashKey: d.Digests.Service},
		LaunchConfig:   copyMap(d.LaunchConfig),
		LinkedServices: map[string]any{},
	}
	for name, lc := range d.Sidekicks {
		sk := copyMap(lc)
		sk["name"] = name
		s.SecondaryLaunchConfigs = append(s.SecondaryLaunchConfigs, sk)
	}
	return s
}

// stateActions are the service actions per state (rancher-api.md §5.1).
var stateActions = map[string][]string{
	"inactive":         {"activate", "update", "remove", "upgrade", "setservicelinks"},
	"active":           {"update", "deactivate", "remove", "upgrade", "restart", "setservicelinks"},
	"upgrading":        {"update", "remove", "cancelupgrade", "rollback", "setservicelinks"},
	"upgraded":         {"remove", "rollback", "finishupgrade", "setservicelinks"},
	"activating":       {"update", "deactivate", "remove", "upgrade", "setservicelinks"},
	"canceled-upgrade": {"remove", "continueupgrade", "rollback", "setservicelinks"},
}

func observedOf(services ...*Service) *Observed {
	o := &Observed{Stack: "demo", StackID: "1st1", Services: map[string]*Service{}, External: map[string]string{}}
	for _, s := range services {
		o.Services[s.Name] = s
	}
	return o
}

// kinds lists the step kinds of one service's plan, joined by spaces.
func kinds(p *ServicePlan) string {
	var out []string
	for _, s := range p.Steps {
		k := string(s.Kind)
		if s.AfterAll {
			k += "(after-all)"
		}
		out = append(out, k)
	}
	return strings.Join(out, " ")
}

func planOne(t *testing.T, d *Desired, s *Service, o Options) *ServicePlan {
	t.Helper()
	obs := observedOf()
	if s != nil {
		obs = observedOf(s)
	}
	p := Reconcile([]*Desired{d}, obs, o).Service(d.Name)
	if p == nil {
		t.Fatalf("no plan for %s", d.Name)
	}
	return p
}
