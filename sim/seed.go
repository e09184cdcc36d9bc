package sim

import (
	"fmt"
	"strconv"
)

// publicSettings are the settings an environment key may read (settings.public subset).
var publicSettings = map[string]string{
	"rancher.compose.version": "v0.12.5",
	"lb.instance.image":       "rancher/lb-service-haproxy:v0.7.9",
	"api.host":                "",
	"rancher.server.version":  RancherVersion,
}

// resetLocked empties the environment: one project, the configured hosts, the public settings.
// Running processes are superseded. Caller holds s.mu.
func (s *Server) resetLocked() {
	if s.st != nil {
		for _, t := range s.st.tables {
			for _, r := range t.order {
				s.supersede(r)
			}
		}
	}
	s.st = newStore()
	s.sched = schedIndex{}
	s.st.inserted = s.touch
	s.invalidate()
	s.st.accountID = s.env.id
	s.logToks = map[string]int64{}
	s.reqMu.Lock()
	s.stats = stats{}
	s.reqMu.Unlock()
	now := s.clk.Now()
	t := s.st.tbl("project")
	t.next = 4 + int64(s.env.index)
	s.st.insert(&resource{typ: "project", table: "project", f: map[string]any{
		"name": s.env.name, "state": "active", "orchestration": "cattle", "kind": "project",
		"description": nil, "members": []any{}, "virtualMachine": false,
		"servicesPortRange": map[string]any{"type": "servicesPortRange", "startPort": defaultPortRangeStart,
			"endPort": defaultPortRangeEnd},
	}}, now)
	s.seedNetworks(now)
	for i := 0; i < s.opts.hostCount(); i++ {
		s.addHostLocked(s.hostLabels(i))
	}
	if s.opts.SystemStacks {
		s.addSystemStacks()
	}
	for _, name := range sortedKeys(publicSettings) {
		s.st.insert(&resource{typ: "activeSetting", table: "setting", f: map[string]any{
			"name": name, "value": publicSettings[name], "activeValue": publicSettings[name], "source": "Default",
		}}, now)
	}
}

func (s *Server) hostLabels(i int) map[string]string {
	labels := map[string]string{}
	for k, v := range s.opts.HostLabels {
		labels[k] = v
	}
	if i < len(s.opts.PerHostLabels) {
		for k, v := range s.opts.PerHostLabels[i] {
			labels[k] = v
		}
	}
	return labels
}

// addHostLocked registers an active host with the given labels and returns it.
func (s *Server) addHostLocked(labels map[string]string) *resource {
	mem := s.opts.HostMemory
	if mem == 0 {
		mem = 8 << 30
	}
	cpu := s.opts.HostMilliCPU
	if cpu == 0 {
		cpu = 4000
	}
	n := len(s.st.all("host")) + 1
	all := map[string]any{
		"io.rancher.host.docker_version":       "1.12",
		"io.rancher.host.linux_kernel_version": "4.9",
	}
	for k, v := range labels {
		all[k] = v
	}
	name := "sim-host-" + strconv.Itoa(n)
	return s.st.insert(&resource{typ: "host", table: "host", f: map[string]any{
		"name": name, "hostname": name, "state": "active", "agentState": "active", "kind": "docker",
		"labels": all, "memory": mem, "milliCpu": cpu, "agentIpAddress": fmt.Sprintf("10.42.0.%d", n),
		"info": map[string]any{
			"memoryInfo": map[string]any{"memTotal": mem >> 20},
			"cpuInfo":    map[string]any{"count": cpu / 1000},
			"osInfo":     map[string]any{"dockerVersion": "Docker version 1.12.6", "kernelVersion": "4.9.0", "operatingSystem": "SimOS"},
		},
	}}, s.clk.Now())
}

// setting finds a setting by name or by its id (1as!<name>).
func (s *Server) setting(id string) *resource {
	name := id
	if len(id) > 4 && id[:4] == "1as!" {
		name = id[4:]
	}
	for _, r := range s.st.all("setting") {
		if r.str("name") == name {
			return r
		}
	}
	return nil
}

// systemStacks are the infrastructure stacks of a Rancher 1.6 environment and their images.
var systemStacks = map[string]string{
	"healthcheck": "rancher/healthcheck:v0.3.3", "ipsec": "rancher/net:v0.11.9",
	"network-services": "rancher/network-manager:v0.7.8", "scheduler": "rancher/scheduler:v0.8.3",
}

// addSystemStacks creates the system stacks, each with an active global service.
func (s *Server) addSystemStacks() {
	now := s.clk.Now()
	for _, name := range sortedKeys(systemStacks) {
		st := s.st.insert(&resource{typ: "stack", table: "stack", f: map[string]any{"name": name, "state": "active",
			"kind": "stack", "system": true, "startOnCreate": true, "externalId": "catalog://library:infra*" + name + ":0"}}, now)
		lc := normalizeLaunchConfig(map[string]any{"imageUuid": "docker:" + systemStacks[name],
			"labels": map[string]any{"io.rancher.scheduler.global": "true"}}, "launchConfig", "0")
		svc := s.st.insert(&resource{typ: "service", table: "service", svc: &svcData{}, f: map[string]any{
			"name": name, "stackId": st.id(), "state": "active", "kind": "service", "system": true, "scale": 1,
			"startOnCreate": true, "launchConfig": lc, "currentScale": 0}}, now)
		svc.f["createIndex"] = svc.num
		s.reconcile(svc)
	}
}

// isSystem: system stacks and services are read-only to environment keys.
func isSystem(r *resource) bool {
	return r.boolean("system") && (r.table == "stack" || r.table == "service")
}
