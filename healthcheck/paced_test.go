package healthcheck

import (
	"context"
	"errors"
	"testing"
)

// pacedReader is a fakeReader whose reads wait for a shared poll (so the Waiter must not sleep) for the
// ids it lists.
type pacedReader struct {
	fakeReader
	paced map[string]bool
}

func (r *pacedReader) Paced(id string) bool { return r.paced[id] }

func TestSettleOnAPacedReaderReadsAgainWithoutSleeping(t *testing.T) {
	r := &pacedReader{fakeReader: fakeReader{services: []Service{
		svc("activating", "yes", 1, plainLC), svc("activating", "yes", 1, plainLC), svc("active", "no", 1, plainLC),
	}}, paced: map[string]bool{"1s1": true}}
	clock := newFakeClock()
	w := &Waiter{Reader: r, Clock: clock}
	got, err := w.Settle(context.Background(), "1s1")
	if err != nil || got.State != "active" {
		t.Fatalf("Settle = %+v, %v", got, err)
	}
	if r.reads != 3 || len(clock.sleeps) != 0 {
		t.Errorf("reads %d, sleeps %v: want 3 reads and no sleep", r.reads, clock.sleeps)
	}
}

func TestSettleOnAReaderNotPacedForTheServiceStillBacksOff(t *testing.T) {
	r := &pacedReader{fakeReader: fakeReader{services: []Service{
		svc("activating", "yes", 1, plainLC), svc("active", "no", 1, plainLC),
	}}, paced: map[string]bool{"other": true}}
	clock := newFakeClock()
	w := &Waiter{Reader: r, Clock: clock}
	if _, err := w.Settle(context.Background(), "1s1"); err != nil {
		t.Fatal(err)
	}
	if len(clock.sleeps) != 1 || clock.sleeps[0] != DefaultBackoff.Initial {
		t.Errorf("sleeps %v, want one of %v", clock.sleeps, DefaultBackoff.Initial)
	}
}

func TestPollImmediateStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	err := Poll(ctx, newFakeClock(), Backoff{Immediate: true}, 0, func(context.Context) (bool, error) {
		calls++
		if calls == 3 {
			cancel()
		}
		return false, nil
	})
	if !errors.Is(err, context.Canceled) || calls != 3 {
		t.Errorf("err = %v after %d calls, want canceled after 3", err, calls)
	}
}
