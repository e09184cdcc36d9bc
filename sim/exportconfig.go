package sim

import (
	"gopkg.in/yaml.v3"
)

// exportConfig renders the stack's services as docker-compose.yml and rancher-compose.yml text
// (the composeConfig output of the stack's exportconfig action). serviceIds limits the services.
func (s *Server) exportConfig(stack *resource, serviceIDs []string) map[string]any {
	docker := map[string]any{}
	rancher := map[string]any{}
	for _, svc := range s.stackServices(stack) {
		if svc.removedOrRemoving() || (len(serviceIDs) > 0 && !contains(serviceIDs, svc.id())) {
			continue
		}
		name := svc.str("name")
		d, r := s.composeService(svc)
		docker[name] = d
		if len(r) > 0 {
			rancher[name] = r
		}
		for _, x := range asList(svc.f["secondaryLaunchConfigs"]) {
			lc := asMap(x)
			docker[str(lc["name"])] = composeFromLC(lc)
		}
	}
	dy, _ := yaml.Marshal(map[string]any{"version": "2", "services": docker})
	ry, _ := yaml.Marshal(map[string]any{"version": "2", "services": rancher})
	return map[string]any{"type": "composeConfig", "dockerComposeConfig": string(dy), "rancherComposeConfig": string(ry)}
}

func (s *Server) composeService(svc *resource) (map[string]any, map[string]any) {
	lc := asMap(svc.f["launchConfig"])
	d := map[string]any{}
	switch svc.typ {
	case "externalService", "dnsService":
		d["image"] = "rancher/" + map[string]string{"externalService": "external-service", "dnsService": "dns-service"}[svc.typ]
	default:
		d = composeFromLC(lc)
	}
	var sides []string
	for _, x := range asList(svc.f["secondaryLaunchConfigs"]) {
		sides = append(sides, str(asMap(x)["name"]))
	}
	if len(sides) > 0 {
		labels, _ := d["labels"].(map[string]any)
		if labels == nil {
			labels = map[string]any{}
		}
		labels["io.rancher.sidekicks"] = joinComma(sides)
		d["labels"] = labels
	}
	var links []string
	for alias, id := range s.linkedServices(svc) {
		if t := s.st.get("service", str(id)); t != nil {
			if t.str("name") == alias {
				links = append(links, alias)
			} else {
				links = append(links, t.str("name")+":"+alias)
			}
		}
	}
	if len(links) > 0 {
		d["links"] = links
	}
	r := map[string]any{}
	if !isGlobal(svc) && svc.f["scale"] != nil {
		r["scale"] = toInt(svc.f["scale"])
	}
	if hc := asMap(lc["healthCheck"]); hc != nil {
		h := map[string]any{}
		for k, v := range map[string]string{"port": "port", "requestLine": "request_line", "interval": "interval",
			"healthyThreshold": "healthy_threshold", "unhealthyThreshold": "unhealthy_threshold",
			"responseTimeout": "response_timeout", "strategy": "strategy", "initializingTimeout": "initializing_timeout",
			"reinitializingTimeout": "reinitializing_timeout"} {
			if hc[k] != nil {
				h[v] = plain(hc[k])
			}
		}
		r["health_check"] = h
	}
	if lb := asMap(svc.f["lbConfig"]); lb != nil && svc.typ == "loadBalancerService" {
		r["lb_config"] = plain(lb)
	}
	if sp := asMap(svc.f["scalePolicy"]); sp != nil {
		r["scale_policy"] = plain(sp)
	}
	if svc.boolean("retainIp") {
		r["retain_ip"] = true
	}
	return d, r
}

// composeFromLC maps launchConfig fields back to docker-compose keys.
func composeFromLC(lc map[string]any) map[string]any {
	d := map[string]any{}
	keys := map[string]string{"command": "command", "entryPoint": "entrypoint", "environment": "environment",
		"labels": "labels", "ports": "ports", "expose": "expose", "dataVolumes": "volumes", "dns": "dns",
		"dnsSearch": "dns_search", "capAdd": "cap_add", "capDrop": "cap_drop", "devices": "devices",
		"privileged": "privileged", "tty": "tty", "stdinOpen": "stdin_open", "user": "user",
		"workingDir": "working_dir", "hostname": "hostname", "domainName": "domainname", "memory": "mem_limit",
		"memoryReservation": "mem_reservation", "cpuShares": "cpu_shares", "cpuSet": "cpuset",
		"readOnly": "read_only", "pidMode": "pid", "extraHosts": "extra_hosts"}
	if img := str(lc["imageUuid"]); len(img) > len("docker:") {
		d["image"] = img[len("docker:"):]
	}
	for k, ck := range keys {
		v := lc[k]
		if v == nil || v == false {
			continue
		}
		if l, ok := v.([]any); ok && len(l) == 0 {
			continue
		}
		if m, ok := v.(map[string]any); ok && len(m) == 0 {
			continue
		}
		d[ck] = plain(v)
	}
	if nm := str(lc["networkMode"]); nm != "" && nm != "managed" {
		d["network_mode"] = nm
	}
	return d
}

// plain turns json.Number values into numbers yaml prints without quotes.
func plain(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range t {
			if k != "type" {
				out[k] = plain(x)
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = plain(x)
		}
		return out
	case interface{ Int64() (int64, error) }:
		if n, err := t.Int64(); err == nil {
			return n
		}
	}
	return v
}

func joinComma(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += ","
		}
		out += x
	}
	return out
}
