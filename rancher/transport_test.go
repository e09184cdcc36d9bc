package rancher

import (
	"bytes"
	"context"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestRequestsInFlightParkNoCancelGoroutines: the attempt's timeout is a context deadline, so a request in
// flight has no goroutines of net/http's legacy cancel path (two per request with http.Client.Timeout over
// a custom RoundTripper: hundreds in a big deploy).
func TestRequestsInFlightParkNoCancelGoroutines(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	arrived, release := make(chan struct{}), make(chan struct{})
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/stacks") {
			close(arrived)
			<-release
		}
		return false
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.Stacks().List(context.Background(), nil)
		done <- err
	}()
	<-arrived
	buf := make([]byte, 1<<20)
	stacks := string(buf[:runtime.Stack(buf, true)])
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	for _, legacy := range []string{"awaitLegacyCancel", "setRequestCancel"} {
		if strings.Contains(stacks, legacy) {
			t.Errorf("a goroutine in %s while a request is in flight", legacy)
		}
	}
}

// TestConnectionsToTheAPIAreBoundedAndKept: a burst of twice MaxConnsPerHost requests uses at most
// MaxConnsPerHost connections, and a second burst reuses them instead of dialling again.
func TestConnectionsToTheAPIAreBoundedAndKept(t *testing.T) {
	f := newFakeAPI(t)
	c := newTestClient(t, f)
	var mu sync.Mutex
	conns := map[string]bool{}
	inFlight, most := 0, 0
	f.intercept = func(w http.ResponseWriter, r *http.Request) bool {
		mu.Lock()
		conns[r.RemoteAddr] = true
		inFlight++
		most = max(most, inFlight)
		mu.Unlock()
		time.Sleep(5 * time.Millisecond) // holds the connection while the burst arrives
		mu.Lock()
		inFlight--
		mu.Unlock()
		return false
	}
	burst := func() {
		var wg sync.WaitGroup
		for i := 0; i < 2*MaxConnsPerHost; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := c.Stacks().List(context.Background(), nil); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
	}
	burst()
	mu.Lock()
	first := len(conns)
	mu.Unlock()
	burst()
	mu.Lock()
	defer mu.Unlock()
	if most > MaxConnsPerHost || first > MaxConnsPerHost+1 { // +1: discovery's, which may have closed
		t.Errorf("%d requests at once over %d connections; want at most %d", most, first, MaxConnsPerHost)
	}
	if len(conns) != first {
		t.Errorf("the second burst dialled %d new connections; want the kept ones reused", len(conns)-first)
	}
}

// TestAnswersAreReadIntoOneBufferAndHandedOverAsTheyAre: a body of known size is read into a buffer of that
// size (one byte more for the end), one of unknown size grows as needed, and exchange takes the bytes of the
// answer read rather than a copy.
func TestAnswersAreReadIntoOneBufferAndHandedOverAsTheyAre(t *testing.T) {
	dog := startWatchdog(time.Minute, func() {})
	defer dog.stop()
	page := strings.Repeat(`{"id":"1s1","name":"web"},`, 4000)
	known, err := readAnswer(strings.NewReader(page), int64(len(page)), dog, 1<<20)
	if err != nil || string(known) != page {
		t.Fatalf("known size: %d bytes, %v", len(known), err)
	}
	if cap(known) != len(page)+1 {
		t.Errorf("known size %d read into a buffer of %d", len(page), cap(known))
	}
	unknown, err := readAnswer(strings.NewReader(page), -1, dog, 1<<20)
	if err != nil || string(unknown) != page {
		t.Fatalf("unknown size: %d bytes, %v", len(unknown), err)
	}
	if _, err := readAnswer(strings.NewReader(page), -1, dog, 1000); err == nil {
		t.Error("an answer over the limit was accepted")
	}
	data := []byte(page)
	got, err := bodyOf(&answerBody{Reader: bytes.NewReader(data), data: data})
	if err != nil || &got[0] != &data[0] {
		t.Errorf("bodyOf copied the answer (or failed: %v)", err)
	}
}
