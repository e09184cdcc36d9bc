package scheduler

import (
	"fmt"
	"testing"
)

// BenchmarkPlaceLoad places one more unit into the load-test environment: 50 hosts and
// 1000 running containers (200 services × scale 5), with a spreading anti-affinity and a host port.
func BenchmarkPlaceLoad(b *testing.B) {
	var hosts []Host
	for i := 1; i <= 50; i++ {
		hosts = append(hosts, Host{ID: fmt.Sprintf("1h%d", i), Labels: map[string]string{"zone": fmt.Sprint(i % 3)},
			Memory: 64 << 30, MilliCPU: 16000})
	}
	var containers []Container
	for s := 0; s < 200; s++ {
		for n := 1; n <= 5; n++ {
			containers = append(containers, Container{ID: fmt.Sprintf("1i%d", s*5+n), Name: fmt.Sprintf("app-s%d-%d", s, n),
				HostID: hosts[(s*5+n)%50].ID, MemoryReservation: 1 << 20,
				Labels: map[string]string{LabelStackService: fmt.Sprintf("app/s%d", s)}})
		}
	}
	req := Request{StackName: "app", ServiceName: "s7", LaunchConfigs: []LaunchConfig{{
		Labels:            map[string]string{LabelContainerLabel + "_soft_ne": LabelStackService + "=${stack_name}/${service_name}"},
		Ports:             []string{"8080:80/tcp"},
		MemoryReservation: 1 << 20,
	}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Place(req, hosts, containers); err != nil {
			b.Fatal(err)
		}
	}
}
