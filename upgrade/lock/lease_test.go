package lock

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"
)

var errConflict = errors.New("409 Conflict")

// faultyStore is a memStore whose next writes fail: each fault says whether the write was applied before
// its answer was lost (a reset after the server acted) or refused (a 409).
type faultyStore struct {
	memStore
	faults []bool
}

func (f *faultyStore) SetOutputs(ctx context.Context, id string, outputs map[string]string) error {
	f.mu.Lock()
	if len(f.faults) == 0 {
		f.mu.Unlock()
		return f.memStore.SetOutputs(ctx, id, outputs)
	}
	applied := f.faults[0]
	f.faults = f.faults[1:]
	f.mu.Unlock()
	if applied {
		_ = f.memStore.SetOutputs(ctx, id, outputs)
	}
	return errConflict
}

func TestAWriteWhoseAnswerWasLostIsRecognisedAsOurs(t *testing.T) {
	store := &faultyStore{faults: []bool{true}}
	l, err := Acquire(context.Background(), store, "1st1", opts("job-1", "tok1", t0))
	if err != nil {
		t.Fatalf("acquire: %v", err)
	}
	if store.writes != 1 {
		t.Errorf("%d writes: the landed write must not be repeated", store.writes)
	}
	if h, _ := Peek(context.Background(), store, "1st1"); h == nil || h.Token != l.Holder().Token {
		t.Errorf("holder = %+v", h)
	}
}

func TestARefusedLockWriteIsRetried(t *testing.T) {
	store := &faultyStore{faults: []bool{false, false}, memStore: memStore{outputs: map[string]string{"url": "x"}}}
	if _, err := Acquire(context.Background(), store, "1st1", opts("job-1", "tok1", t0)); err != nil {
		t.Fatalf("acquire after two 409s: %v", err)
	}
	if h, _ := Peek(context.Background(), store, "1st1"); h == nil || h.Owner != "job-1" || store.outputs["url"] != "x" {
		t.Errorf("outputs = %v", store.outputs)
	}
}

func TestARetryFindingAnotherHolderRefuses(t *testing.T) {
	store := &faultyStore{faults: []bool{false}}
	store.afterSet = nil
	o := opts("job-1", "tok1", t0)
	o.Sleep = func(context.Context, time.Duration) error {
		// another run takes the lock while we back off
		return store.memStore.SetOutputs(context.Background(), "1st1", map[string]string{OutputKey: `{"owner":"job-fast","token":"tokF","expires":"2099-01-01T00:00:00Z"}`})
	}
	_, err := Acquire(context.Background(), store, "1st1", o)
	var held *HeldError
	if !errors.As(err, &held) || held.Holder.Owner != "job-fast" {
		t.Fatalf("err = %v", err)
	}
}

func TestALockWriteGivesUpWhenTheAttemptsAreSpent(t *testing.T) {
	store := &faultyStore{faults: []bool{false, false, false, false, false, false}}
	_, err := Acquire(context.Background(), store, "1st1", opts("job-1", "tok1", t0))
	if err == nil || !errors.Is(err, errConflict) || !strings.Contains(err.Error(), "writing the deploy lock") {
		t.Errorf("err = %v", err)
	}
}

func TestAFailedAcquireLeavesNoLockBehind(t *testing.T) {
	store := &faultyStore{faults: []bool{false, false, false, false, true}}
	if _, err := Acquire(context.Background(), store, "1st1", opts("job-1", "tok1", t0)); err == nil {
		t.Fatal("acquire succeeded though every write was reported failed")
	}
	if h, _ := Peek(context.Background(), store, "1st1"); h != nil {
		t.Errorf("the last write landed and was left: %+v", h)
	}
}

func TestReleaseIsRetriedAndRecognisesALostAnswer(t *testing.T) {
	for _, applied := range []bool{false, true} {
		store := &faultyStore{memStore: memStore{outputs: map[string]string{"url": "x"}}}
		l, err := Acquire(context.Background(), store, "1st1", opts("job-1", "tok1", t0))
		if err != nil {
			t.Fatal(err)
		}
		store.faults = []bool{applied, false}
		if err := l.Release(context.Background()); err != nil {
			t.Errorf("applied=%v: release: %v", applied, err)
		}
		if _, held := store.outputs[OutputKey]; held || store.outputs["url"] != "x" {
			t.Errorf("applied=%v: outputs after release = %v", applied, store.outputs)
		}
	}
}

func TestRenewExtendsTheLeaseWhileOurs(t *testing.T) {
	store := &faultyStore{}
	now := t0
	o := opts("job-1", "tok1", t0)
	o.Now = func() time.Time { return now }
	l, err := Acquire(context.Background(), store, "1st1", o)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(3 * time.Minute)
	store.faults = []bool{true}
	if err := l.Renew(context.Background()); err != nil {
		t.Fatalf("renew with a lost answer: %v", err)
	}
	if h, _ := Peek(context.Background(), store, "1st1"); h == nil || !h.Expires.Equal(now.Add(10*time.Minute)) || !h.Acquired.Equal(t0) {
		t.Errorf("holder after renew = %+v", h)
	}
	other := opts("job-2", "tok2", now.Add(time.Hour))
	if _, err := Acquire(context.Background(), store, "1st1", other); err != nil {
		t.Fatal(err)
	}
	var lost *LostError
	if err := l.Renew(context.Background()); !errors.As(err, &lost) || lost.By.Owner != "job-2" {
		t.Errorf("renew of a lock taken over: %v", err)
	}
	if h, _ := Peek(context.Background(), store, "1st1"); h == nil || h.Owner != "job-2" {
		t.Errorf("the renewal overwrote the new holder: %+v", h)
	}
}

// TestKeepAliveRenewsEveryThirdOfTheLease drives KeepAlive with a fake sleep: it renews every TTL/3,
// retries a failed renewal every TTL/10, reports a lost lock once and stops; stop waits for it.
func TestKeepAliveRenewsEveryThirdOfTheLease(t *testing.T) {
	store := &faultyStore{}
	var mu sync.Mutex
	now := t0
	var waits []time.Duration
	o := opts("job-1", "tok1", t0)
	o.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	l, err := Acquire(context.Background(), store, "1st1", o)
	if err != nil {
		t.Fatal(err)
	}
	// the fake sleep hands each wait to the test and resumes when the test says so, so that the test
	// changes the store only while the renewer sleeps
	tick, resume := make(chan struct{}), make(chan struct{})
	l.opts.Sleep = func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		waits = append(waits, d)
		now = now.Add(d)
		mu.Unlock()
		select {
		case tick <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-resume
		return nil
	}
	step := func(change func()) {
		<-tick
		if change != nil {
			change()
		}
		resume <- struct{}{}
	}
	lostc := make(chan error, 1)
	stop := l.KeepAlive(context.Background(), func(err error) { lostc <- err })
	step(nil)     // the first renewal succeeds
	step(func() { // the second fails all its attempts (4 backoffs), then waits TTL/10
		store.mu.Lock()
		store.faults = []bool{false, false, false, false, false}
		store.mu.Unlock()
	})
	for i := 0; i < 4; i++ {
		step(nil)
	}
	step(func() {
		if h, _ := Peek(context.Background(), store, "1st1"); h == nil || h.Owner != "job-1" {
			t.Errorf("holder = %+v", h)
		}
	})
	step(func() {
		_ = store.memStore.SetOutputs(context.Background(), "1st1", map[string]string{OutputKey: `{"owner":"job-2","token":"tok2","expires":"2099-01-01T00:00:00Z"}`})
	})
	select {
	case err := <-lostc:
		if !strings.Contains(err.Error(), "taken by job-2") {
			t.Errorf("lost: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the lost lock was never reported")
	}
	stop()
	mu.Lock()
	defer mu.Unlock()
	if waits[0] != 200*time.Second || waits[6] != 60*time.Second {
		t.Errorf("waits = %v, want TTL/3 (200s) first and TTL/10 (60s) after a failed renewal", waits)
	}
}

func TestHeldErrorNamesTheHolderAndTheBreakCommand(t *testing.T) {
	h := Holder{Owner: "jenkins@ci-3 (pid 812)", Host: "ci-3", PID: 812, Token: "t", Acquired: t0, Expires: t0.Add(time.Minute)}
	e := &HeldError{Stack: "coins", Holder: h, BreakCommand: "rancher-compose -p coins up -d --force-unlock"}
	msg := e.Error()
	if strings.Count(msg, "812") != 1 {
		t.Errorf("the pid should be given once: %s", msg)
	}
	for _, want := range []string{"jenkins@ci-3 (host ci-3, pid 812)", "pid 812", "2026-11-22T01:00:00Z", "2026-11-22T01:01:00Z", "`rancher-compose -p coins up -d --force-unlock`"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q: %s", want, msg)
		}
	}
	e.Dead = true
	if msg := e.Error(); !strings.Contains(msg, "no longer runs on this host") || strings.Contains(msg, "wait for it") {
		t.Errorf("dead holder: %s", msg)
	}
}

func TestTheRefusalSaysWhetherAHolderOnThisHostIsDead(t *testing.T) {
	store := &memStore{}
	o := opts("job-1", "tok1", t0)
	o.Host, o.PID = "ci-3", 812
	if _, err := Acquire(context.Background(), store, "1st1", o); err != nil {
		t.Fatal(err)
	}
	o2 := opts("job-2", "tok2", t0)
	o2.Alive = func(host string, pid int) (bool, bool) { return false, host == "ci-3" && pid == 812 }
	_, err := Acquire(context.Background(), store, "1st1", o2)
	var held *HeldError
	if !errors.As(err, &held) || !held.Dead {
		t.Errorf("err = %v", err)
	}
}

func TestMessagesNameTheStackByNameWhenGiven(t *testing.T) {
	l := &Lock{stackID: "1st5", opts: Options{StackName: "coins"}}
	if got := l.heldError(Holder{Owner: "x"}).Error(); !strings.HasPrefix(got, "stack coins is locked") {
		t.Errorf("held: %s", got)
	}
	l.opts.StackName = ""
	if got := l.heldError(Holder{Owner: "x"}).Error(); !strings.HasPrefix(got, "stack 1st5 is locked") {
		t.Errorf("held without a name: %s", got)
	}
}
