package upgrade

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rancher-compose-ng/rancher-compose/progress"
)

// slowPullAPI blocks every image pull until released.
type slowPullAPI struct {
	*fakeAPI
	release chan struct{}
}

func (a *slowPullAPI) PullImage(ctx context.Context, image string, labels map[string]string) error {
	select {
	case <-a.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return a.fakeAPI.PullImage(ctx, image, labels)
}

// An image pull is a wait like the others: each heartbeat names it until it ends (issue 11, item 13).
func TestHeartbeatNamesAPullUnderWay(t *testing.T) {
	d, s := atomicStack()
	api := &slowPullAPI{fakeAPI: newFakeAPI(s...), release: make(chan struct{})}
	plan := Reconcile(d[:1], observedOf(s[0]), Options{Upgrade: true, Pull: true})
	ticks := make(chan time.Time)
	rec := &progress.Recorder{}
	done := make(chan error, 1)
	go func() {
		_, err := Execute(context.Background(), plan, api, progress.Emitter{Sink: rec}, WithHealth(&fakeHealth{api: api.fakeAPI}), WithHeartbeat(0, ticks))
		done <- err
	}()
	beats := func() (n int, last string) {
		for _, e := range rec.Events() {
			if e.Status == progress.Waiting && e.Resource == "a" {
				n, last = n+1, e.Text
			}
		}
		return n, last
	}
	for n, _ := beats(); n < 3; n, _ = beats() {
		ticks <- time.Now()
	}
	close(api.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, last := beats(); !strings.Contains(last, "for the image pull") {
		t.Errorf("heartbeat = %q, want it to name the pull", last)
	}
}
