package upgrade

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
)

// landingStack is a fakeStack that also answers lists of one state (counted by state), as the poller's
// landings ask; remembered is what inState reports.
type landingStack struct {
	*fakeStack
	landings   []string
	landingErr error
	remembered map[string]int
}

func (s *landingStack) listIn(_ context.Context, _ string, state string) ([]resources.Service, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.landings = append(s.landings, state)
	if s.landingErr != nil {
		return nil, s.landingErr
	}
	var out []resources.Service
	for _, svc := range s.services {
		if svc.State == state {
			out = append(out, svc)
		}
	}
	return out, nil
}

func (s *landingStack) inState(_, state string) int { return s.remembered[state] }

func (s *landingStack) feed() *feed {
	f := newFeed(s.listMoving, s.get, zeroPolicy)
	f.listIn, f.inState = s.listIn, s.inState
	return f
}

// activatingWave is n services this client just activated.
func activatingWave(n int) []resources.Service {
	var out []resources.Service
	for i := 1; i <= n; i++ {
		out = append(out, svcState(fmt.Sprintf("1s%d", i), "activating", "yes"))
	}
	return out
}

func TestFeedListsTheStateManyServicesThatLeftTheirTransitionHeadFor(t *testing.T) {
	wave := activatingWave(8)
	st := &landingStack{fakeStack: newFakeStack(append(wave, svcState("1s99", "active", "no"))...)}
	st.remembered = map[string]int{"active": 1}
	f := st.feed()
	kickAll(f, wave...)
	for _, s := range wave[1:] {
		st.set(svcState(s.Id, "active", "no"))
	}
	st.set(svcState("1s1", "inactive", "no")) // ended otherwise: the landing does not hold it
	reads := readAllAtOnce(t, f, wave)
	for i, ch := range reads {
		want := "active"
		if i == 0 {
			want = "inactive"
		}
		if r := <-ch; r.err != nil || r.svc.State != want {
			t.Errorf("read of %s: %+v, want %s", wave[i].Id, r, want)
		}
	}
	lists, gets := st.counts()
	if lists != 1 || strings.Join(st.landings, " ") != "active" || strings.Join(gets, " ") != "1s1" {
		t.Errorf("lists %d, landings %v, gets %v: want one list of the moving services, one of the active ones, "+
			"and 1s1 (which ended inactive) by id", lists, st.landings, gets)
	}
}

func TestFeedReadsServicesThatLeftByIDWhenTheirStateHoldsManyOthers(t *testing.T) {
	wave := activatingWave(8)
	st := &landingStack{fakeStack: newFakeStack(wave...)}
	st.remembered = map[string]int{"active": 40} // a list of the active services would cost more bytes
	f := st.feed()
	kickAll(f, wave...)
	for _, s := range wave {
		st.set(svcState(s.Id, "active", "no"))
	}
	for _, ch := range readAllAtOnce(t, f, wave) {
		if r := <-ch; r.err != nil || r.svc.State != "active" {
			t.Errorf("read: %+v", r)
		}
	}
	if _, gets := st.counts(); len(st.landings) != 0 || len(gets) != len(wave) {
		t.Errorf("landings %v, gets %v: want every service read by id", st.landings, gets)
	}
}

func TestFeedPassesALandingsErrorToTheReadsItWasSentFor(t *testing.T) {
	wave := activatingWave(8)
	st := &landingStack{fakeStack: newFakeStack(wave...), landingErr: errors.New("boom")}
	f := st.feed()
	kickAll(f, wave...)
	for _, s := range wave {
		st.set(svcState(s.Id, "active", "no"))
	}
	for _, ch := range readAllAtOnce(t, f, wave) {
		if r := <-ch; r.err == nil || r.err.Error() != "boom" {
			t.Errorf("read: %+v, want the landing's error", r)
		}
	}
}

func TestEveryTransitionalStateOfAServiceHeadsForASettledOne(t *testing.T) {
	settled := map[string]bool{}
	for _, st := range settledStates {
		settled[st] = true
	}
	for from, to := range settlesTo {
		if !settled[to] || settled[from] {
			t.Errorf("%s → %s: want a transitional state heading for one of %v", from, to, settledStates)
		}
	}
}

// A landing in flight answers a service that left its transition for the landing's state before it was
// sent, and one expected to have ended by then; not one that left after it, or for another state.
func TestLandingInFlightCoversTheServicesItWillHold(t *testing.T) {
	_, p, now, start := gatherWave(t, 3, 0, 50*time.Millisecond)
	*now = start.Add(200*time.Millisecond - p.rtt + 60*time.Millisecond) // 1s1 and 1s2 expected to have ended
	p.seq++
	l := &listing{seq: p.seq, sentAt: *now, expect: map[string]bool{}, state: stateActive}
	p.landings = append(p.landings, l)
	if !p.covered("1s1") || !p.covered("1s2") || p.covered("1s3") {
		t.Errorf("covered: 1s1 %v, 1s2 %v, 1s3 %v; want the two expected to have ended", p.covered("1s1"), p.covered("1s2"), p.covered("1s3"))
	}
	sp := p.pace["1s3"]
	sp.left, sp.leftSeq = true, p.seq+1 // shown to have left by a list sent after the landing
	if p.covered("1s3") {
		t.Error("1s3 left after the landing was sent, and is covered by it")
	}
	sp.leftSeq = p.seq - 1
	if !p.covered("1s3") {
		t.Error("1s3 left before the landing was sent, and is not covered by it")
	}
	sp.state = "deactivating"
	if p.covered("1s3") {
		t.Error("1s3 heads for inactive, and is covered by a landing of the active services")
	}
}

// A landing may cost a little more than the reads by id it spares (a request each), not much more.
func TestLandingPaysWithinAQuarterMoreBytes(t *testing.T) {
	f := newFeed(nil, nil, DefaultFeedPolicy)
	known := 0
	f.inState = func(string, string) int { return known }
	for _, c := range []struct {
		known, n int
		pays     bool
	}{{51, 129, true}, {133, 338, true}, {0, 1, false}, {400, 40, false}, {90, 50, false}} {
		known = c.known
		if got := f.landingPays("1st1", stateUpgraded, c.n); got != c.pays {
			t.Errorf("%d leaving, %d known in the state: pays %v, want %v (landing %d bytes, by id %d)", c.n, c.known, got, c.pays, listCost(c.known+c.n), byIDCost(c.n))
		}
	}
}
