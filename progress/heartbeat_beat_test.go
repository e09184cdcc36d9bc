package progress

import (
	"testing"
	"time"
)

// OnEveryTick beats once per tick, and not after stop has returned.
func TestOnEveryTickBeatsPerTickUntilStopped(t *testing.T) {
	ticks := make(chan time.Time)
	beats := make(chan struct{}, 10)
	stop := OnEveryTick(ticks, func() { beats <- struct{}{} })
	for i := 0; i < 3; i++ {
		ticks <- time.Time{}
		<-beats
	}
	stop()
	select {
	case ticks <- time.Time{}:
		t.Fatal("a tick was taken after stop returned")
	default:
	}
	if len(beats) != 0 {
		t.Fatalf("%d beats after stop", len(beats))
	}
}
