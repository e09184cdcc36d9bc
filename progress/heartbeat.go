package progress

import "time"

// OnEveryTick calls beat at each tick until stop is called; stop returns once no beat runs any more. It
// is the loop behind every heartbeat of waits under way (progress.Waiting events).
func OnEveryTick(ticks <-chan time.Time, beat func()) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		for {
			select {
			case <-done:
				return
			case <-ticks:
				beat()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
