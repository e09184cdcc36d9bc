package lock

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A stack created with a Newborn's outputs is locked from its first state: another run is refused at
// once, the creator's lock renews and releases like one Acquire took, and nothing was written before.
func TestANewbornStackIsLockedFromItsFirstState(t *testing.T) {
	store := &memStore{}
	n := ForNewStack(store, opts("job-1", "tok1", t0))
	outputs, err := n.Outputs()
	if err != nil {
		t.Fatal(err)
	}
	if len(outputs) != 1 || outputs[OutputKey] == "" {
		t.Fatalf("create outputs = %v, want the lock alone", outputs)
	}
	// the API stores the create body's outputs: that is the stack's first state
	store.outputs = outputs
	l := n.Created("1st7")
	if h := l.Holder(); h.Owner != "job-1" || h.Token != "tok1" || !h.Expires.Equal(t0.Add(10*time.Minute)) {
		t.Errorf("holder = %+v", h)
	}
	var held *HeldError
	if _, err := Acquire(context.Background(), store, "1st7", opts("job-2", "tok2", t0.Add(time.Second))); !errors.As(err, &held) || held.Holder.Token != "tok1" {
		t.Fatalf("a second run on the new stack: %v, want refused by job-1", err)
	}
	if store.writes != 0 {
		t.Fatalf("%d writes before the run's own renewal: the lock came with the create", store.writes)
	}
	l.opts.Now = func() time.Time { return t0.Add(time.Minute) }
	if err := l.Renew(context.Background()); err != nil {
		t.Fatal(err)
	}
	if h, _ := parse(store.outputs); h.Token != "tok1" || !h.Expires.Equal(t0.Add(11*time.Minute)) {
		t.Errorf("after renewal: %+v", h)
	}
	if err := l.Release(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, ok := store.outputs[OutputKey]; ok {
		t.Errorf("lock left after release: %v", store.outputs)
	}
}
