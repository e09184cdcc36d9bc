package sim

import "testing"

// A process waiting on its own service is not woken by a change of another service's container; a change
// of one of its own containers, or one that names no resource, wakes it.
func TestWaitOwnWakesOnlyOnItsOwnChanges(t *testing.T) {
	s, _ := startSim(t, Options{})
	s.mu.Lock()
	mine := &resource{table: "service", num: 901, f: map[string]any{}}
	other := &resource{table: "service", num: 902, f: map[string]any{}}
	myCtr := &resource{table: "instance", num: 903, f: map[string]any{}, ctr: &ctrData{service: mine}}
	otherCtr := &resource{table: "instance", num: 904, f: map[string]any{}, ctr: &ctrData{service: other}}
	checks, done, ready := 0, false, false
	s.startProc(mine, func(p *proc) {
		done = p.waitOwn(func() bool { checks++; return ready })
	})
	s.mu.Unlock()
	idle := func() {
		t.Helper()
		if err := s.Advance(0); err != nil {
			t.Fatal(err)
		}
	}
	idle()
	for range 5 {
		s.mu.Lock()
		s.changedAbout(otherCtr)
		s.changedAbout(other)
		s.mu.Unlock()
		idle()
	}
	s.mu.Lock()
	if checks != 1 {
		t.Errorf("condition checked %d times after changes of another service, want 1", checks)
	}
	s.changedAbout(myCtr)
	s.mu.Unlock()
	idle()
	s.mu.Lock()
	if checks != 2 || done {
		t.Errorf("after a change of its own container: %d checks, done %v; want 2, false", checks, done)
	}
	ready = true
	s.changed()
	s.mu.Unlock()
	idle()
	s.mu.Lock()
	defer s.mu.Unlock()
	if checks != 3 || !done {
		t.Errorf("after a change naming no resource: %d checks, done %v; want 3, true", checks, done)
	}
}
