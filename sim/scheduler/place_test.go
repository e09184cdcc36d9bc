package scheduler

import (
	"errors"
	"reflect"
	"testing"
)

func threeHosts() []Host {
	return []Host{
		{ID: "1h1", Labels: map[string]string{"size": "small", "zone": "a"}},
		{ID: "1h2", Labels: map[string]string{"size": "huge", "zone": "b"}},
		{ID: "1h3", Labels: map[string]string{"size": "small", "zone": "b"}},
	}
}

func unit(labels map[string]string) Request {
	return Request{StackName: "myapp", ServiceName: "web", LaunchConfigs: []LaunchConfig{{Labels: labels}}}
}

type placeCase struct {
	name       string
	req        Request
	hosts      []Host
	containers []Container
	want       string // chosen host, when wantErr is ""
	wantErr    string // exact AllocationError message
}

func runPlaceCases(t *testing.T, cases []placeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hosts := tc.hosts
			if hosts == nil {
				hosts = threeHosts()
			}
			got, err := Place(tc.req, hosts, tc.containers)
			if tc.wantErr != "" {
				var ae *AllocationError
				if !errors.As(err, &ae) {
					t.Fatalf("Place = %q, %v; want AllocationError %q", got, err, tc.wantErr)
				}
				if ae.Message != tc.wantErr {
					t.Fatalf("message = %q\n      want %q", ae.Message, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Place: %v", err)
			}
			if got != tc.want {
				t.Fatalf("Place = %s, want %s", got, tc.want)
			}
		})
	}
}

// §6.3/§6.4 host selection basics and the documented priority rule.
func TestPlaceHostsAndPriority(t *testing.T) {
	runPlaceCases(t, []placeCase{
		{name: "no hosts", req: unit(nil), hosts: []Host{}, wantErr: MsgNoHealthyHosts},
		{name: "only inactive hosts", req: unit(nil), hosts: []Host{{ID: "1h1", State: "inactive"}}, wantErr: MsgNoHealthyHosts},
		{name: "inactive host skipped", req: unit(nil), hosts: []Host{{ID: "1h1", State: "reconnecting"}, {ID: "1h2", State: "active"}}, want: "1h2"},
		{name: "empty environment picks the first host", req: unit(nil), want: "1h1"},
		{name: "fewest containers first", req: unit(nil),
			containers: []Container{{ID: "1i1", HostID: "1h1"}, {ID: "1i2", HostID: "1h2"}}, want: "1h3"},
		{name: "ties keep host order", req: unit(nil),
			containers: []Container{{ID: "1i1", HostID: "1h1"}}, want: "1h2"},
		{name: "removed containers do not count", req: unit(nil),
			containers: []Container{{ID: "1i1", HostID: "1h1", Removed: true}}, want: "1h1"},
		{name: "stopped containers still count", req: unit(nil),
			containers: []Container{{ID: "1i1", HostID: "1h1", Stopped: true}}, want: "1h2"},
	})
}

// §6.1 host_label affinities, hard and soft, with Cattle's wording in failures.
func TestPlaceHostLabel(t *testing.T) {
	runPlaceCases(t, []placeCase{
		{name: "hard host_label", req: unit(map[string]string{LabelHostAffinity: "size=huge"}), want: "1h2"},
		{name: "hard host_label all values required", req: unit(map[string]string{LabelHostAffinity: "size=small,zone=b"}), want: "1h3"},
		{name: "hard host_label unmet", req: unit(map[string]string{LabelHostAffinity: "size=tiny"}),
			wantErr: "Allocation failed: needs host with label size: tiny"},
		{name: "host_label_ne", req: unit(map[string]string{LabelHostAffinity + "_ne": "size=small"}), want: "1h2"},
		{name: "host_label_ne unmet", req: unit(map[string]string{LabelHostAffinity + "_ne": "zone=a,zone=b"}),
			wantErr: "Allocation failed: needs host with label zone_ne: a"}, // first of the tied candidates
		{name: "host_label_soft preferred", req: unit(map[string]string{LabelHostAffinity + "_soft": "zone=b"}), want: "1h2"},
		{name: "host_label_soft unmet falls back", req: unit(map[string]string{LabelHostAffinity + "_soft": "zone=c"}), want: "1h1"},
		{name: "host_label_soft_ne", req: unit(map[string]string{LabelHostAffinity + "_soft_ne": "size=small"}), want: "1h2"},
		{name: "key and value lower-cased, host labels compared case-insensitively",
			req:   unit(map[string]string{"IO.Rancher.Scheduler.Affinity:Host_Label": "SIZE=Huge"}),
			hosts: []Host{{ID: "1h1"}, {ID: "1h2", Labels: map[string]string{"Size": "HUGE"}}}, want: "1h2"},
		{name: "failure message shows the lower-cased rule",
			req:     unit(map[string]string{LabelHostAffinity: "Size=Tiny"}),
			wantErr: "Allocation failed: needs host with label size: tiny"},
		{name: "value without = has a null key", req: unit(map[string]string{LabelHostAffinity: "huge"}),
			wantErr: "Allocation failed: needs host with label null: huge"},
		{name: "unknown suffix ignored", req: unit(map[string]string{LabelHostAffinity + "_maybe": "size=tiny"}), want: "1h1"},
		{name: "empty items skipped", req: unit(map[string]string{LabelHostAffinity: ",size=huge,"}), want: "1h2"},
	})
}

// §6.1 container_label and container (name or uuid) affinities, and the macros.
func TestPlaceContainerAffinity(t *testing.T) {
	existing := []Container{
		{ID: "1i1", UUID: "uuid-db", Name: "myapp-db-1", HostID: "1h2",
			Labels: map[string]string{LabelStackService: "myapp/db", "tier": "data"}},
		{ID: "1i2", UUID: "uuid-web", Name: "myapp-web-1", HostID: "1h1",
			Labels: map[string]string{LabelStackService: "myapp/web"}},
	}
	runPlaceCases(t, []placeCase{
		{name: "container_label hard", containers: existing,
			req: unit(map[string]string{LabelContainerLabel: "tier=data"}), want: "1h2"},
		{name: "container_label hard unmet", containers: existing,
			req:     unit(map[string]string{LabelContainerLabel: "tier=cache"}),
			wantErr: "Allocation failed: host must have a container with label tier=cache"},
		{name: "container_label_ne spreads a service with macros", containers: existing,
			req:  unit(map[string]string{LabelContainerLabel + "_ne": LabelStackService + "=${stack_name}/${service_name}"}),
			want: "1h3"},
		{name: "container_label_ne unmet", containers: existing,
			hosts:   []Host{{ID: "1h1"}},
			req:     unit(map[string]string{LabelContainerLabel + "_ne": LabelStackService + "=${stack_name}/${service_name}"}),
			wantErr: "Allocation failed: host must not have a container with label io.rancher.stack_service.name=myapp/web"},
		{name: "container_label_soft unmet falls back", containers: existing,
			req: unit(map[string]string{LabelContainerLabel + "_soft": "tier=cache"}), want: "1h3"},
		{name: "container_label_soft_ne", containers: existing,
			hosts: []Host{{ID: "1h2"}, {ID: "1h1"}},
			req:   unit(map[string]string{LabelContainerLabel + "_soft_ne": "tier=data"}), want: "1h1"},
		{name: "container by name", containers: existing,
			req: unit(map[string]string{LabelContainer: "myapp-db-1"}), want: "1h2"},
		{name: "container by uuid", containers: existing,
			req: unit(map[string]string{LabelContainer: "uuid-web"}), want: "1h1"},
		{name: "container by name is case-insensitive", containers: existing,
			req: unit(map[string]string{LabelContainer: "MYAPP-DB-1"}), want: "1h2"},
		{name: "container unmet", containers: existing,
			req:     unit(map[string]string{LabelContainer: "nope"}),
			wantErr: "Allocation failed: host must have a container with name or uuid nope"},
		{name: "container_ne", containers: existing, hosts: []Host{{ID: "1h1"}, {ID: "1h2"}},
			req: unit(map[string]string{LabelContainer + "_ne": "myapp-web-1"}), want: "1h2"},
		{name: "container_ne compares exactly (Cattle asymmetry)", hosts: []Host{{ID: "1h1"}},
			containers: []Container{{ID: "1i9", Name: "WEB", HostID: "1h1"}},
			req:        unit(map[string]string{LabelContainer + "_ne": "WEB"}), want: "1h1"},
		{name: "container_ne with macro keeps the stack's case", hosts: []Host{{ID: "1h1"}, {ID: "1h2"}},
			containers: []Container{{ID: "1i9", Name: "MyApp-web-1", HostID: "1h1"}},
			req: Request{StackName: "MyApp", ServiceName: "web", LaunchConfigs: []LaunchConfig{
				{Labels: map[string]string{LabelContainer + "_ne": "${stack_name}-${service_name}-1"}}}},
			want: "1h2"},
		{name: "container_soft_ne unmet falls back", containers: existing, hosts: []Host{{ID: "1h2"}},
			req: unit(map[string]string{LabelContainer + "_soft_ne": "myapp-db-1"}), want: "1h2"},
		{name: "stopped containers still count for affinity", hosts: []Host{{ID: "1h1"}, {ID: "1h2"}},
			containers: []Container{{ID: "1i9", Name: "db", HostID: "1h2", Stopped: true}},
			req:        unit(map[string]string{LabelContainer: "db"}), want: "1h2"},
		{name: "removed containers do not count for affinity", hosts: []Host{{ID: "1h1"}, {ID: "1h2"}},
			containers: []Container{{ID: "1i9", Name: "db", HostID: "1h2", Removed: true}},
			req:        unit(map[string]string{LabelContainer: "db"}),
			wantErr:    "Allocation failed: host must have a container with name or uuid db"},
	})
}

// §6.1 soft handling and message composition (AllocatorServiceImpl.doAllocate).
func TestPlaceSoftFallbackAndMessages(t *testing.T) {
	runPlaceCases(t, []placeCase{
		{name: "soft dropped, hard kept",
			req: unit(map[string]string{LabelHostAffinity: "zone=b", LabelHostAffinity + "_soft": "size=tiny"}), want: "1h2"},
		{name: "only one of two soft rules is met: the first failed soft rule is dropped",
			req: unit(map[string]string{LabelHostAffinity + "_soft": "zone=b,size=tiny"}), want: "1h2"},
		{name: "hard failures joined in constraint order",
			req:     unit(map[string]string{LabelHostAffinity: "size=tiny", LabelContainerLabel: "x=y"}),
			wantErr: "Allocation failed: host must have a container with label x=y, needs host with label size: tiny"},
		{name: "message lists the weakest candidate's failures only",
			req:     unit(map[string]string{LabelHostAffinity: "size=huge,zone=a"}),
			wantErr: "Allocation failed: needs host with label size: huge"}, // 1h1 and 1h2 fail one rule each, 1h3 both
		{name: "soft rules are dropped before a hard failure is reported",
			req:     unit(map[string]string{LabelHostAffinity: "size=tiny", LabelHostAffinity + "_soft": "zone=z"}),
			wantErr: "Allocation failed: needs host with label size: tiny"},
	})
}

// §6.1/§6.2: every launch config of the unit constrains the whole unit; macros use the sidekick path.
func TestPlaceSidekicks(t *testing.T) {
	sk := func(primary, side map[string]string) Request {
		return Request{StackName: "myapp", ServiceName: "web", LaunchConfigs: []LaunchConfig{
			{Labels: primary}, {Name: "log", Labels: side}}}
	}
	runPlaceCases(t, []placeCase{
		{name: "sidekick constraint applies to the unit", req: sk(nil, map[string]string{LabelHostAffinity: "size=huge"}), want: "1h2"},
		{name: "constraints of both are combined",
			req: sk(map[string]string{LabelHostAffinity: "zone=b"}, map[string]string{LabelHostAffinity: "size=small"}), want: "1h3"},
		{name: "identical constraints reported once",
			req:     sk(map[string]string{LabelHostAffinity: "size=tiny"}, map[string]string{LabelHostAffinity: "size=tiny"}),
			wantErr: "Allocation failed: needs host with label size: tiny"},
		{name: "sidekick ${service_name} is service/sidekick", hosts: []Host{{ID: "1h1"}},
			req:     sk(nil, map[string]string{LabelContainerLabel: LabelStackService + "=${stack_name}/${service_name}"}),
			wantErr: "Allocation failed: host must have a container with label io.rancher.stack_service.name=myapp/web/log"},
		{name: "unit goes back to its deployment unit's host",
			containers: []Container{{ID: "1i1", HostID: "1h3", DeploymentUnitUUID: "du-1"}},
			req: Request{DeploymentUnitUUID: "du-1", LaunchConfigs: []LaunchConfig{
				{Labels: map[string]string{LabelHostAffinity: "size=huge"}}}},
			want: "1h3"},
	})
}

// §6.3 host ports: conflicts with running containers, bind IPs, protocols, and the unit itself.
func TestPlacePorts(t *testing.T) {
	web := func(ports ...string) Request {
		return Request{LaunchConfigs: []LaunchConfig{{Ports: ports}}}
	}
	on := func(host string, stopped bool, ports ...string) Container {
		return Container{ID: "1i-" + host, HostID: host, Ports: ports, Stopped: stopped}
	}
	two := []Host{{ID: "1h1"}, {ID: "1h2"}}
	runPlaceCases(t, []placeCase{
		{name: "port free", hosts: two, req: web("8080:80/tcp"), want: "1h1"},
		{name: "conflict moves the unit", hosts: two, req: web("8080:80/tcp"),
			containers: []Container{on("1h1", false, "8080:8080/tcp")}, want: "1h2"},
		{name: "all hosts taken", hosts: two, req: web("8080:80/tcp", "9090:90"),
			containers: []Container{on("1h1", false, "8080:80"), on("1h2", false, "9090:90/tcp")},
			wantErr:    "Allocation failed: host needs ports 8080/tcp, 9090/tcp available"},
		{name: "stopped containers release their ports", hosts: []Host{{ID: "1h1"}}, req: web("8080:80/tcp"),
			containers: []Container{on("1h1", true, "8080:80/tcp")}, want: "1h1"},
		{name: "udp does not clash with tcp", hosts: []Host{{ID: "1h1"}}, req: web("53:53/udp"),
			containers: []Container{on("1h1", false, "53:53/tcp")}, want: "1h1"},
		{name: "different bind IPs do not clash", hosts: []Host{{ID: "1h1"}}, req: web("10.0.0.1:80:80"),
			containers: []Container{on("1h1", false, "10.0.0.2:80:80")}, want: "1h1"},
		{name: "0.0.0.0 clashes with any IP", hosts: []Host{{ID: "1h1"}}, req: web("10.0.0.1:80:80"),
			containers: []Container{on("1h1", false, "0.0.0.0:80:80")},
			wantErr:    "Allocation failed: host needs ports 80/tcp available"},
		{name: "random host ports never clash", hosts: []Host{{ID: "1h1"}}, req: web("80/tcp", "81"),
			containers: []Container{on("1h1", false, "80:80/tcp", "81:81")}, want: "1h1"},
		{name: "unit asks twice for one port",
			req:     Request{LaunchConfigs: []LaunchConfig{{Ports: []string{"5555:5555"}}, {Name: "sk", Ports: []string{"5555:80/tcp"}}}},
			wantErr: "Port 5555/tcp requested more than once."},
	})
}

// §6.3 memory and CPU reservations against capacity; require_any.
func TestPlaceResources(t *testing.T) {
	gib := int64(1 << 30)
	hosts := []Host{{ID: "1h1", Memory: 2 * gib, MilliCPU: 1000}, {ID: "1h2", Memory: 4 * gib, MilliCPU: 2000}}
	res := func(mem, cpu int64) Request {
		return Request{LaunchConfigs: []LaunchConfig{{MemoryReservation: mem, MilliCPUReservation: cpu}}}
	}
	runPlaceCases(t, []placeCase{
		{name: "fits the first host", hosts: hosts, req: res(gib, 500), want: "1h1"},
		{name: "memory only fits the bigger host", hosts: hosts, req: res(3*gib, 0), want: "1h2"},
		{name: "cpu only fits the bigger host", hosts: hosts, req: res(0, 1500), want: "1h2"},
		{name: "existing reservations count", hosts: hosts, req: res(gib, 0),
			containers: []Container{{ID: "1i1", HostID: "1h1", MemoryReservation: 2 * gib}, {ID: "1i2", HostID: "1h2"}}, want: "1h2"},
		{name: "stopped containers release reservations", hosts: hosts[:1], req: res(gib, 0),
			containers: []Container{{ID: "1i1", HostID: "1h1", MemoryReservation: 2 * gib, Stopped: true}}, want: "1h1"},
		{name: "nothing fits", hosts: hosts, req: res(8*gib, 0),
			wantErr: "Allocation failed: No healthy hosts meet the resource constraints: [memoryReservation: 8589934592, instanceReservation: 1]"},
		{name: "unit requests listed per launch config", hosts: hosts,
			req: Request{LaunchConfigs: []LaunchConfig{{MemoryReservation: 3 * gib, MilliCPUReservation: 1500}, {Name: "sk", MilliCPUReservation: 1000}}},
			wantErr: "Allocation failed: No healthy hosts meet the resource constraints: " +
				"[memoryReservation: 3221225472, cpuReservation: 1500, instanceReservation: 1, cpuReservation: 1000, instanceReservation: 1]"},
		{name: "zero capacity means unlimited", hosts: []Host{{ID: "1h1"}}, req: res(100*gib, 64000), want: "1h1"},
		{name: "resources are checked before affinity", hosts: hosts,
			req:     Request{LaunchConfigs: []LaunchConfig{{MemoryReservation: 8 * gib, Labels: map[string]string{LabelHostAffinity: "a=b"}}}},
			wantErr: "Allocation failed: No healthy hosts meet the resource constraints: [memoryReservation: 8589934592, instanceReservation: 1]"},
		{name: "require_any admits labelled units",
			hosts: []Host{{ID: "1h1", Labels: map[string]string{LabelRequireAny: "role=db"}}, {ID: "1h2"}},
			req:   unit(map[string]string{"role": "db"}), want: "1h1"},
		{name: "require_any keeps other units off",
			hosts: []Host{{ID: "1h1", Labels: map[string]string{LabelRequireAny: "role=db,role=cache"}}, {ID: "1h2"}},
			req:   unit(map[string]string{"role": "web"}), want: "1h2"},
		{name: "require_any with no admitted host",
			hosts:   []Host{{ID: "1h1", Labels: map[string]string{LabelRequireAny: "role=db"}}},
			req:     unit(nil),
			wantErr: "Allocation failed: No healthy hosts meet the resource constraints: [instanceReservation: 1]"},
	})
}

// §6.3 requestedHostId pins the unit and skips affinity, resources and ports.
func TestPlaceRequestedHost(t *testing.T) {
	runPlaceCases(t, []placeCase{
		{name: "pinned ignores affinity", req: Request{RequestedHostID: "1h3", LaunchConfigs: []LaunchConfig{
			{Labels: map[string]string{LabelHostAffinity: "size=huge"}, Ports: []string{"80:80"}}}},
			containers: []Container{{ID: "1i1", HostID: "1h3", Ports: []string{"80:80"}}}, want: "1h3"},
		{name: "pinned by label", req: unit(map[string]string{LabelRequestedHostID: "1h2"}), want: "1h2"},
		{name: "pinned to an inactive host", hosts: []Host{{ID: "1h1", State: "inactive"}, {ID: "1h2"}},
			req: Request{RequestedHostID: "1h1", LaunchConfigs: []LaunchConfig{{}}}, wantErr: MsgNoHealthyHosts},
		{name: "pinned to an unknown host", req: Request{RequestedHostID: "1h9", LaunchConfigs: []LaunchConfig{{}}}, wantErr: MsgNoHealthyHosts},
	})
}

// §6.1 Swarm-style environment constraints.
func TestPlaceEnvironmentConstraints(t *testing.T) {
	env := func(e map[string]string) Request { return Request{LaunchConfigs: []LaunchConfig{{Environment: e}}} }
	existing := []Container{{ID: "1i1", Name: "db", HostID: "1h3", Labels: map[string]string{"tier": "data"}}}
	runPlaceCases(t, []placeCase{
		{name: "constraint:k==v", req: env(map[string]string{"constraint:size==huge": ""}), want: "1h2"},
		{name: "constraint split by the transform", req: env(map[string]string{"constraint:size": "=huge"}), want: "1h2"},
		{name: "constraint:k!=v", req: env(map[string]string{"constraint:size!=small": ""}), want: "1h2"},
		{name: "constraint:k==~v soft", req: env(map[string]string{"constraint:size==~tiny": ""}), want: "1h1"},
		{name: "affinity:container==name", containers: existing, req: env(map[string]string{"affinity:container==db": ""}), want: "1h3"},
		{name: "affinity:k==v", containers: existing, req: env(map[string]string{"affinity:tier==data": ""}), want: "1h3"},
		{name: "affinity:k!=v", containers: existing, hosts: []Host{{ID: "1h3"}},
			req: env(map[string]string{"affinity:tier!=data": ""}), wantErr: "Allocation failed: host must not have a container with label tier=data"},
		{name: "plain variables ignored", req: env(map[string]string{"FOO": "bar", "constraint": "x"}), want: "1h1"},
	})
}

// Bad input is an ordinary error, not an allocation failure, and inputs are never modified.
func TestPlaceInputErrorsAndPurity(t *testing.T) {
	if _, err := Place(Request{}, threeHosts(), nil); err == nil {
		t.Error("empty unit accepted")
	}
	_, err := Place(Request{LaunchConfigs: []LaunchConfig{{Ports: []string{"80:http"}}}}, threeHosts(), nil)
	var ae *AllocationError
	if err == nil || errors.As(err, &ae) {
		t.Errorf("bad port spec: err = %v, want a plain error", err)
	}
	hosts := threeHosts()
	containers := []Container{{ID: "1i1", HostID: "1h1", Labels: map[string]string{"a": "b"}}}
	req := unit(map[string]string{LabelHostAffinity + "_soft": "zone=b", LabelContainerLabel + "_ne": "a=b"})
	before := []any{threeHosts(), []Container{{ID: "1i1", HostID: "1h1", Labels: map[string]string{"a": "b"}}},
		unit(map[string]string{LabelHostAffinity + "_soft": "zone=b", LabelContainerLabel + "_ne": "a=b"})}
	for i := 0; i < 3; i++ {
		if got, err := Place(req, hosts, containers); err != nil || got != "1h2" {
			t.Fatalf("run %d: Place = %q, %v; want 1h2 every time", i, got, err)
		}
	}
	if !reflect.DeepEqual([]any{hosts, containers, req}, before) {
		t.Error("Place modified its inputs")
	}
}

// §6.2 global services: one unit per active host meeting the host-label rules.
func TestGlobalHosts(t *testing.T) {
	hosts := append(threeHosts(), Host{ID: "1h4", State: "inactive", Labels: map[string]string{"size": "huge"}})
	tests := []struct {
		name   string
		labels map[string]string
		want   []string
	}{
		{"no rules: every active host", map[string]string{LabelGlobal: "true"}, []string{"1h1", "1h2", "1h3"}},
		{"host_label", map[string]string{LabelHostAffinity: "zone=b"}, []string{"1h2", "1h3"}},
		{"host_label_ne", map[string]string{LabelHostAffinity + "_ne": "size=huge"}, []string{"1h1", "1h3"}},
		{"soft host_label applies too", map[string]string{LabelHostAffinity + "_soft": "size=small"}, []string{"1h1", "1h3"}},
		{"container rules ignored", map[string]string{LabelContainerLabel: "x=y", LabelContainer: "nope"}, []string{"1h1", "1h2", "1h3"}},
		{"no host qualifies", map[string]string{LabelHostAffinity: "size=tiny"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := GlobalHosts(unit(tc.labels), hosts)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("GlobalHosts = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestIsGlobal(t *testing.T) {
	tests := []struct {
		labels map[string]string
		want   bool
	}{
		{map[string]string{LabelGlobal: "true"}, true},
		{map[string]string{LabelGlobal: "TRUE"}, true},
		{map[string]string{LabelGlobal: "false"}, false},
		{nil, false},
	}
	for _, tc := range tests {
		if got := IsGlobal(tc.labels); got != tc.want {
			t.Errorf("IsGlobal(%v) = %v, want %v", tc.labels, got, tc.want)
		}
	}
}
