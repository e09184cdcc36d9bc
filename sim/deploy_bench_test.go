package sim

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkDeploy500 creates a 500-service stack (scale 2, 10 hosts) and activates every service, one
// request at a time on a manual clock: the work a big `up -d` asks of the simulator under its lock
// (validation, links, placement of 1000 containers, answers), without the client.
func BenchmarkDeploy500(b *testing.B) {
	for i := 0; i < b.N; i++ {
		s, err := Start(Options{Clock: ManualClock, Step: time.Second, StepSet: true, Hosts: 10})
		if err != nil {
			b.Fatal(err)
		}
		c := &client{t: b, s: s, user: s.AccessKey(), pass: s.SecretKey()}
		deploy500(b, s, c, func(j int) map[string]any {
			return map[string]any{"imageUuid": "docker:nginx:1", "ports": []any{fmt.Sprintf("%d:80/tcp", 10000+j)}}
		})
		_ = s.Close()
	}
}
