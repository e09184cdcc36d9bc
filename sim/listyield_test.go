package sim

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"
)

// TestListYieldsToAWaitingChange lists a stack's services not active (all inactive) while a change waits
// for the lock: the page lets the change in, then leaves out the service it activated and shows the others
// as they then are; with no change waiting the page is whole.
func TestListYieldsToAWaitingChange(t *testing.T) {
	s, c := startSim(t, Options{Clock: ManualClock, Step: time.Second, StepSet: true, Hosts: 3})
	st := c.createStack("yield")
	var ids []string
	for i := 0; i < 6; i++ {
		ids = append(ids, strOf(c.createService(strOf(st["id"]), fmt.Sprintf("s%d", i), 1, map[string]any{"imageUuid": "docker:nginx:1"})["id"]))
	}
	settle(t, s) // no process left to wait for the lock: the change below is the only writer
	saved := yieldAfter
	yieldAfter = 0
	defer func() { yieldAfter = saved }()
	list := func(change func()) []map[string]any {
		t.Helper()
		req := httptest.NewRequest("GET", s.URL()+"/v2-beta/services?stackId="+strOf(st["id"])+"&state_ne=active", nil)
		req.SetBasicAuth(s.AccessKey(), s.SecretKey())
		rc := &reqCtx{base: requestBase(req), version: "v2-beta", r: req}
		key, aerr := s.authenticate(req)
		if aerr != nil {
			t.Fatal(aerr)
		}
		rc.account = key
		s.mu.RLock()
		rc.readLocked = true
		done := make(chan struct{})
		if change != nil {
			go func() {
				defer close(done)
				s.lockWrite()
				change()
				s.mu.Unlock()
			}()
			for s.writersWaiting.Load() == 0 {
				time.Sleep(time.Millisecond)
			}
		} else {
			close(done)
		}
		res := serializeHoles(rc, s.dispatch(rc, "GET", []string{"services"}))
		s.mu.RUnlock()
		<-done
		res = fillHoles(res)
		var page struct {
			Data []map[string]any `json:"data"`
		}
		if err := json.Unmarshal(*res.enc, &page); err != nil {
			t.Fatalf("%v: %s", err, *res.enc)
		}
		return page.Data
	}
	if got := list(nil); len(got) != 6 {
		t.Fatalf("listed %d services without a change waiting, want 6", len(got))
	}
	activated := ids[2]
	got := list(func() { s.setState(s.st.get("service", activated), "active") })
	if len(got) != 5 {
		t.Fatalf("listed %d services, want the 5 still not active", len(got))
	}
	for _, svc := range got {
		if svc["id"] == activated || svc["state"] == "active" {
			t.Errorf("listed %v in state %v: the change it waited for activated it", svc["id"], svc["state"])
		}
	}
	if got := c.get("/v2-beta/services/" + activated); got["state"] != "active" {
		t.Errorf("%s is %v after the change, want active", activated, got["state"])
	}
}
