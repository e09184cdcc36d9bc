package scheduler_test

import (
	"fmt"

	"github.com/rancher-compose-ng/rancher-compose/sim/scheduler"
)

func ExamplePlace() {
	hosts := []scheduler.Host{
		{ID: "1h1", Labels: map[string]string{"role": "frontend"}},
		{ID: "1h2", Labels: map[string]string{"role": "backend"}},
	}
	web := scheduler.Request{StackName: "myapp", ServiceName: "web", LaunchConfigs: []scheduler.LaunchConfig{{
		Labels: map[string]string{scheduler.LabelHostAffinity: "role=frontend"},
		Ports:  []string{"8080:80/tcp"},
	}}}
	host, err := scheduler.Place(web, hosts, nil)
	fmt.Println(host, err)

	running := []scheduler.Container{{ID: "1i1", Name: "myapp-web-1", HostID: host, Ports: []string{"8080:80/tcp"}}}
	_, err = scheduler.Place(web, hosts[:1], running)
	fmt.Println(err)
	// Output:
	// 1h1 <nil>
	// Allocation failed: host needs ports 8080/tcp available
}

func ExampleGlobalHosts() {
	hosts := []scheduler.Host{{ID: "1h1", Labels: map[string]string{"ssd": "true"}}, {ID: "1h2"}}
	unit := scheduler.Request{LaunchConfigs: []scheduler.LaunchConfig{{Labels: map[string]string{
		scheduler.LabelGlobal: "true", scheduler.LabelHostAffinity: "ssd=true"}}}}
	fmt.Println(scheduler.GlobalHosts(unit, hosts))
	// Output: [1h1]
}
