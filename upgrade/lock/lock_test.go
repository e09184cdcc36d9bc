package lock

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

// memStore is a stack's outputs in memory; afterSet runs after each write (to let a racer in).
type memStore struct {
	mu       sync.Mutex
	outputs  map[string]string
	writes   int
	afterSet func()
}

func (m *memStore) Outputs(context.Context, string) (map[string]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]string{}
	for k, v := range m.outputs {
		out[k] = v
	}
	return out, nil
}

func (m *memStore) SetOutputs(_ context.Context, _ string, outputs map[string]string) error {
	m.mu.Lock()
	m.outputs, m.writes = outputs, m.writes+1
	hook := m.afterSet
	m.afterSet = nil
	m.mu.Unlock()
	if hook != nil {
		hook()
	}
	return nil
}

var t0 = time.Date(2026, 11, 22, 1, 0, 0, 0, time.UTC)

func opts(owner, token string, now time.Time) Options {
	return Options{
		Owner: owner, TTL: 10 * time.Minute, Now: func() time.Time { return now },
		Sleep: func(context.Context, time.Duration) error { return nil }, Token: func() string { return token },
	}
}

func TestAcquireAndReleaseKeepOtherOutputs(t *testing.T) {
	store := &memStore{outputs: map[string]string{"url": "http://app"}}
	l, err := Acquire(context.Background(), store, "1st1", opts("job-1", "tok1", t0))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(store.outputs[OutputKey], `"owner":"job-1"`) || store.outputs["url"] != "http://app" {
		t.Errorf("outputs = %v", store.outputs)
	}
	if err := l.Release(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, held := store.outputs[OutputKey]; held || store.outputs["url"] != "http://app" {
		t.Errorf("after release outputs = %v", store.outputs)
	}
}

func TestSecondHolderIsRefused(t *testing.T) {
	store := &memStore{}
	if _, err := Acquire(context.Background(), store, "1st1", opts("job-1", "tok1", t0)); err != nil {
		t.Fatal(err)
	}
	_, err := Acquire(context.Background(), store, "1st1", opts("job-2", "tok2", t0.Add(time.Minute)))
	var held *HeldError
	if !errors.As(err, &held) || held.Holder.Owner != "job-1" || held.ExitCode() != ExitLocked {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "locked by another run: job-1") {
		t.Errorf("message = %q", err)
	}
}

func TestAnExpiredLeaseIsTakenOverWithoutForce(t *testing.T) {
	store := &memStore{}
	if _, err := Acquire(context.Background(), store, "1st1", opts("dead-job", "tok1", t0)); err != nil {
		t.Fatal(err)
	}
	l, err := Acquire(context.Background(), store, "1st1", opts("job-2", "tok2", t0.Add(10*time.Minute)))
	if err != nil || l.TookOver == nil || l.TookOver.Owner != "dead-job" || l.Broken != nil {
		t.Fatalf("lock %+v err %v", l, err)
	}
	if h, _ := Peek(context.Background(), store, "1st1"); h == nil || h.Owner != "job-2" {
		t.Errorf("holder = %+v", h)
	}
}

func TestALiveLockIsBrokenOnlyWithForce(t *testing.T) {
	store := &memStore{}
	if _, err := Acquire(context.Background(), store, "1st1", opts("stuck-job", "tok1", t0)); err != nil {
		t.Fatal(err)
	}
	o := opts("job-2", "tok2", t0.Add(time.Minute))
	o.Force = true
	l, err := Acquire(context.Background(), store, "1st1", o)
	if err != nil || l.Broken == nil || l.Broken.Owner != "stuck-job" || l.TookOver != nil {
		t.Fatalf("lock %+v err %v", l, err)
	}
}

func TestLosingTheWriteRaceIsRefused(t *testing.T) {
	store := &memStore{}
	store.afterSet = func() {
		_ = store.SetOutputs(context.Background(), "1st1", map[string]string{OutputKey: `{"owner":"job-fast","token":"tokF","expires":"2099-01-01T00:00:00Z"}`})
	}
	_, err := Acquire(context.Background(), store, "1st1", opts("job-slow", "tokS", t0))
	var held *HeldError
	if !errors.As(err, &held) || held.Holder.Owner != "job-fast" {
		t.Fatalf("err = %v", err)
	}
}

func TestReleaseLeavesABreakersLockAlone(t *testing.T) {
	store := &memStore{}
	l, err := Acquire(context.Background(), store, "1st1", opts("job-1", "tok1", t0))
	if err != nil {
		t.Fatal(err)
	}
	o := opts("job-2", "tok2", t0)
	o.Force = true
	if _, err := Acquire(context.Background(), store, "1st1", o); err != nil {
		t.Fatal(err)
	}
	if err := l.Release(context.Background()); err == nil || !strings.Contains(err.Error(), "taken by job-2") {
		t.Errorf("err = %v", err)
	}
	if h, _ := Peek(context.Background(), store, "1st1"); h == nil || h.Owner != "job-2" {
		t.Errorf("holder = %+v", h)
	}
}

func TestAnUnreadableLockIsTakenOverAndNamed(t *testing.T) {
	store := &memStore{outputs: map[string]string{OutputKey: "garbage"}}
	l, err := Acquire(context.Background(), store, "1st1", opts("job", "tok", t0))
	if err != nil || l.TookOver == nil || !strings.Contains(l.TookOver.Owner, `"garbage"`) {
		t.Errorf("lock %+v, err = %v", l, err)
	}
}
