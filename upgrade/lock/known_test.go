package lock

import (
	"context"
	"errors"
	"strings"
	"testing"
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
