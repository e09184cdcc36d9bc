package lock

import (
	"context"
	"errors"
	"testing"
)

// A lock that vanishes between our write and its read-back means another run is at work on the stack:
// the refusal must carry the lock's exit code, not a generic failure.
func TestALockVanishingAfterItsWriteExitsLocked(t *testing.T) {
	store := &vanishingStore{outputs: map[string]string{}}
	l := &Lock{store: store, stackID: "1st1", holder: Holder{Token: "ours"}}
	err := l.verify(context.Background())
	var coder interface{ ExitCode() int }
	if !errors.As(err, &coder) || coder.ExitCode() != ExitLocked {
		t.Fatalf("verify of a vanished lock: %v, want an error with exit code %d", err, ExitLocked)
	}
}

// vanishingStore answers every read with outputs that hold no lock.
type vanishingStore struct{ outputs map[string]string }

func (s *vanishingStore) Outputs(context.Context, string) (map[string]string, error) {
	return s.outputs, nil
}

func (s *vanishingStore) SetOutputs(context.Context, string, map[string]string) error { return nil }
