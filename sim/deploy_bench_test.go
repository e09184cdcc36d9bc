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
		st := c.createStack("big")
		var svcs []map[string]any
		for j := 0; j < 500; j++ {
			svcs = append(svcs, c.createService(strOf(st["id"]), fmt.Sprintf("s%d", j), 2,
				map[string]any{"imageUuid": "docker:nginx:1", "ports": []any{fmt.Sprintf("%d:80/tcp", 10000+j)}}))
		}
		if err := s.Advance(time.Minute); err != nil {
			b.Fatal(err)
		}
		for _, svc := range svcs {
			c.action(c.reload(svc), "activate", nil, 202)
		}
		if err := s.Advance(10 * time.Minute); err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
	}
}
