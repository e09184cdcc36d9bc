package upgrade

import (
	"strings"
	"testing"
)

// The bottom of the longest chain of dependants is planned (so created) first, each service still after
// the services it depends on: m1 → m2 → m3 → m4 is a chain of 4 (m4 at its bottom), b → c one of 2, a
// alone (names sort them after the short ones, as the order was before).
// A cycle's closing edge is dropped as before.
func TestOrderPlanPutsTheCriticalChainFirst(t *testing.T) {
	dep := func(name string, deps ...string) *Desired { d := desired(name, "img"); d.DependsOn = deps; return d }
	plan := Reconcile([]*Desired{
		dep("a"), dep("b", "c"), dep("c"),
		dep("m1", "m2"), dep("m2", "m3"), dep("m3", "m4"), dep("m4"),
		dep("p", "q"), dep("q", "p"),
	}, observedOf(), Options{})
	var names []string
	pos := map[string]int{}
	for i, sp := range plan.Services {
		names = append(names, sp.Name)
		pos[sp.Name] = i
	}
	if got := strings.Join(names, " "); !strings.HasPrefix(got, "m4 m3 ") {
		t.Errorf("order %s: want the chain's bottom m4, then m3, first", got)
	}
	for _, sp := range plan.Services {
		for _, d := range sp.DependsOn {
			if pos[d] > pos[sp.Name] {
				t.Errorf("%s planned before its dependency %s: %v", sp.Name, d, names)
			}
		}
	}
	if p, q := plan.Service("p"), plan.Service("q"); len(p.DependsOn)+len(q.DependsOn) != 1 {
		t.Errorf("cycle p ⇄ q kept %v and %v, want one edge", p.DependsOn, q.DependsOn)
	}
}
