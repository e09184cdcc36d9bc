package upgrade

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/healthcheck"
	"github.com/rancher-compose-ng/rancher-compose/rancher"
	"github.com/rancher-compose-ng/rancher-compose/rancher/resources"
	"github.com/rancher-compose-ng/rancher-compose/sim"
)

// simRecorder wraps the simulator and, while on, keeps what the service reads answered: each list's query
// and the id and state of each service in it, each read by id, and the bytes of their bodies.
type simRecorder struct {
	mu    sync.Mutex
	on    bool
	lists []listSeen
	gets  []string
	bytes int
}

type listSeen struct {
	query    string
	services map[string]string // id → state
}

type bodyWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *bodyWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

func (rec *simRecorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bw := &bodyWriter{ResponseWriter: w}
		h.ServeHTTP(bw, r)
		rec.note(r, bw.body.Bytes())
	})
}

func (rec *simRecorder) note(r *http.Request, body []byte) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if !rec.on || r.Method != http.MethodGet {
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case path == "/v2-beta/services":
		var page struct {
			Data []struct{ ID, State string }
		}
		_ = json.Unmarshal(body, &page)
		seen := listSeen{query: r.URL.RawQuery, services: map[string]string{}}
		for _, s := range page.Data {
			seen.services[s.ID] = s.State
		}
		rec.lists, rec.bytes = append(rec.lists, seen), rec.bytes+len(body)
	case strings.HasPrefix(path, "/v2-beta/services/") && strings.Count(path, "/") == 3:
		rec.gets, rec.bytes = append(rec.gets, strings.TrimPrefix(path, "/v2-beta/services/")), rec.bytes+len(body)
	}
}

func (rec *simRecorder) record(on bool) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	rec.on = on
}

// simAPI serves a simulator on loopback through rec and returns a RancherAPI on it whose stack poller has
// the given policy.
func simAPI(t *testing.T, rec *simRecorder, policy FeedPolicy) *RancherAPI {
	t.Helper()
	s, err := sim.New(sim.Options{Step: 100 * time.Millisecond, StepSet: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(rec.wrap(s))
	t.Cleanup(func() { srv.Close(); _ = s.Close() })
	cfg := rancher.ConfigFromEnv(func(k string) (string, bool) {
		v, ok := map[string]string{rancher.EnvURL: srv.URL, rancher.EnvAccessKey: s.AccessKey(), rancher.EnvSecretKey: s.SecretKey()}[k]
		return v, ok
	})
	cfg.Retry = rancher.RetryPolicy{Attempts: 5, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}
	c, err := rancher.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	api := NewRancherAPI(c)
	api.feed = newFeed(api.pollMoving, c.Services().Get, policy)
	return api
}

// settleAll waits, concurrently, until each service is no longer transitioning.
func settleAll(ctx context.Context, t *testing.T, api *RancherAPI, ids []string) {
	t.Helper()
	w := &healthcheck.Waiter{Reader: api}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := w.Settle(ctx, id); err != nil {
				t.Errorf("settle %s: %v", id, err)
			}
		}()
	}
	wg.Wait()
}

// actAll sends an action to each service, concurrently.
func actAll(ctx context.Context, t *testing.T, api *RancherAPI, ids []string, action string) {
	t.Helper()
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := api.ServiceAction(ctx, id, action, nil); err != nil {
				t.Errorf("%s %s: %v", action, id, err)
			}
		}()
	}
	wg.Wait()
}

// In a stack of 12 active services where 6 are deactivated together, the poller's lists hold only the
// services in a transition (never one of the 6 that stay active), and no service that never moved is read.
func TestFeedOnTheSimulatorReadsOnlyWhatMoves(t *testing.T) {
	rec := &simRecorder{}
	api := simAPI(t, rec, FeedPolicy{Tick: 20 * time.Millisecond, Max: 40 * time.Millisecond, Factor: 2})
	moved, still := deactivateHalfOfTwelve(t, api, rec)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.lists) == 0 {
		t.Fatal("no list sent: six services due at once should be read with one list")
	}
	for _, l := range rec.lists {
		for _, settled := range settledStates {
			if !strings.Contains(l.query, "state_ne="+settled) {
				t.Errorf("list %q does not exclude %s services", l.query, settled)
			}
		}
		for id, state := range l.services {
			if !moving(&resources.Service{State: state}) {
				t.Errorf("list %q answered %s in state %s: a settled service was listed", l.query, id, state)
			}
			if slices.Contains(still, id) {
				t.Errorf("list answered %s, which never moved", id)
			}
		}
	}
	for _, id := range rec.gets {
		if slices.Contains(still, id) {
			t.Errorf("%s, which never moved, was read by id", id)
		}
	}
	t.Logf("6 of 12 services deactivated: %d lists, %d reads by id, %d bytes of answers (%d moved)", len(rec.lists), len(rec.gets), rec.bytes, len(moved))
}

// Six services deactivated together leave the list of moving services together: one list of the inactive
// services (which holds only them) answers their waits, instead of six reads by id.
func TestFeedOnTheSimulatorListsTheStateAWaveLandsIn(t *testing.T) {
	rec := &simRecorder{}
	api := simAPI(t, rec, FeedPolicy{Tick: 20 * time.Millisecond, Max: 40 * time.Millisecond, Factor: 2})
	api.feed.listIn, api.feed.inState = api.pollIn, api.rememberedIn
	moved, _ := deactivateHalfOfTwelve(t, api, rec)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	landings := 0
	for _, l := range rec.lists {
		if !strings.Contains(l.query, "state=inactive") {
			continue
		}
		landings++
		for id, state := range l.services {
			if state != stateInactive || !slices.Contains(moved, id) {
				t.Errorf("landing %q answered %s in state %s: want only the deactivated services", l.query, id, state)
			}
		}
	}
	if landings == 0 || len(rec.gets) >= len(moved) {
		t.Errorf("%d lists of the inactive services, %d reads by id: want the wave answered by a list, not by id", landings, len(rec.gets))
	}
	t.Logf("6 of 12 services deactivated: %d lists (%d of the inactive ones), %d reads by id, %d bytes of answers", len(rec.lists), landings, len(rec.gets), rec.bytes)
}

// deactivateHalfOfTwelve creates and activates 12 services, then deactivates 6 of them together (as one
// wave of a deploy changes them) and waits for them, recording the poller's requests meanwhile.
func deactivateHalfOfTwelve(t *testing.T, api *RancherAPI, rec *simRecorder) (moved, still []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := api.Client.Stacks().Create(ctx, map[string]any{"name": "feed"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 12 {
		s, err := api.CreateService(ctx, "service", map[string]any{"name": fmt.Sprintf("s%d", i), "stackId": st.Id, "scale": 1,
			"launchConfig": map[string]any{"imageUuid": "docker:nginx:1.13"}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	settleAll(ctx, t, api, ids)
	actAll(ctx, t, api, ids, "activate")
	settleAll(ctx, t, api, ids)
	moved, still = ids[:6], ids[6:]

	// Hold the poller until every wait has begun and make their reads due at the same time, so that the
	// first round lists.
	f := api.stackFeed()
	f.mu.Lock()
	p := f.poll(st.Id)
	p.running = true
	f.mu.Unlock()
	rec.record(true)
	actAll(ctx, t, api, moved, "deactivate")
	done := make(chan struct{})
	go func() {
		settleAll(ctx, t, api, moved)
		close(done)
	}()
	waitHeld(t, f, st.Id, len(moved))
	f.mu.Lock()
	for _, id := range moved {
		p.pace[id].due = f.now()
	}
	go f.loop(context.Background(), st.Id, p)
	f.mu.Unlock()
	<-done
	rec.record(false)

	for _, id := range moved {
		if s := api.LastSeen(id); s == nil || s.State != stateInactive {
			t.Errorf("%s after the wait: %+v, want inactive", id, s)
		}
	}
	return moved, still
}

// waitHeld waits until the stack's poller holds n reads.
func waitHeld(t *testing.T, f *feed, stackID string, n int) {
	t.Helper()
	for i := 0; i < 10000; i++ {
		f.mu.Lock()
		got := 0
		for _, ws := range f.poll(stackID).waiting {
			got += len(ws)
		}
		f.mu.Unlock()
		if got == n {
			return
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("the poller never held %d reads", n)
}

// A stack of more services than Cattle's default page (100) is read in one request, not a page per 100.
func TestObservingABigStackIsOneRequest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rec := &simRecorder{}
	api := simAPI(t, rec, DefaultFeedPolicy)
	st, err := api.Client.Stacks().Create(ctx, map[string]any{"name": "big"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 150 {
		if _, err := api.Client.Services().Create(ctx, map[string]any{"name": fmt.Sprintf("s%d", i), "stackId": st.Id,
			"launchConfig": map[string]any{"imageUuid": "docker:nginx:1.13"}}); err != nil {
			t.Fatal(err)
		}
	}
	rec.record(true)
	obs, err := api.Observe(ctx, st, nil)
	rec.record(false)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs.Services) != 150 {
		t.Errorf("observed %d services, want 150", len(obs.Services))
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.lists) != 1 {
		t.Errorf("%d list requests for 150 services, want 1: %v", len(rec.lists), rec.lists)
	}
}
