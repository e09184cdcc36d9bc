package lock

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// countingStore is a memStore that counts reads.
type countingStore struct {
	memStore
	reads int
}

func (c *countingStore) Outputs(ctx context.Context, id string) (map[string]string, error) {
	c.reads++
	return c.memStore.Outputs(ctx, id)
}

func TestAcquireWithKnownOutputsReadsOnlyToVerify(t *testing.T) {
	store := &countingStore{memStore: memStore{outputs: map[string]string{"url": "http://app"}}}
	o := opts("job-1", "tok1", t0)
	o.Outputs = map[string]string{"url": "http://app"}
	if _, err := Acquire(context.Background(), store, "1st1", o); err != nil {
		t.Fatal(err)
	}
	if store.reads != 1 {
		t.Errorf("%d reads: want only the read back after the settle", store.reads)
	}
	if !strings.Contains(store.outputs[OutputKey], `"owner":"job-1"`) || store.outputs["url"] != "http://app" {
		t.Errorf("outputs = %v", store.outputs)
	}
}

func TestAcquireWithKnownOutputsStillRefusesAHolder(t *testing.T) {
	store := &countingStore{}
	held, err := Acquire(context.Background(), store, "1st1", opts("job-1", "tok1", t0))
	if err != nil {
		t.Fatal(err)
	}
	o := opts("job-2", "tok2", t0)
	o.Outputs, _ = store.memStore.Outputs(context.Background(), "1st1")
	_, err = Acquire(context.Background(), store, "1st1", o)
	var he *HeldError
	if !errors.As(err, &he) || he.Holder.Owner != held.Holder().Owner {
		t.Fatalf("err = %v, want held by job-1", err)
	}
}

func TestConfirmSleepsOnlyWhatIsLeftOfTheSettle(t *testing.T) {
	store := &countingStore{}
	now := t0
	var slept []time.Duration
	o := opts("job-1", "tok1", t0)
	o.Now = func() time.Time { return now }
	o.Sleep = func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }
	o.Settle = 300 * time.Millisecond
	p, err := Begin(context.Background(), store, "1st1", o)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(200 * time.Millisecond) // work done meanwhile
	if _, err := p.Confirm(context.Background()); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Second)
	if len(slept) != 1 || slept[0] != 100*time.Millisecond {
		t.Errorf("slept %v, want only the 100ms left", slept)
	}
	p2, err := Begin(context.Background(), &countingStore{}, "1st2", o)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Second)
	if _, err := p2.Confirm(context.Background()); err != nil || len(slept) != 1 {
		t.Errorf("confirm after the settle passed: %v, slept %v (want no further sleep)", err, slept)
	}
}

func TestConfirmRefusesWhenAnotherRunWroteAfterBegin(t *testing.T) {
	store := &countingStore{}
	p, err := Begin(context.Background(), store, "1st1", opts("job-1", "tok1", t0))
	if err != nil {
		t.Fatal(err)
	}
	other := opts("job-2", "tok2", t0)
	other.Force = true
	if _, err := Acquire(context.Background(), store, "1st1", other); err != nil {
		t.Fatal(err)
	}
	_, err = p.Confirm(context.Background())
	var he *HeldError
	if !errors.As(err, &he) || he.Holder.Owner != "job-2" {
		t.Fatalf("confirm: %v, want held by job-2", err)
	}
	if err := p.Lock().Release(context.Background()); err == nil {
		t.Error("releasing a lock another run took must not succeed")
	}
	if !strings.Contains(store.outputs[OutputKey], `"owner":"job-2"`) {
		t.Errorf("job-2's lock was removed: %v", store.outputs)
	}
}
