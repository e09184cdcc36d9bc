package transform

import (
	"fmt"
	"strconv"
	"strings"
)

// exposedPort is docker-java's ExposedPort: a port number and a lower-case protocol.
type exposedPort struct {
	port  int
	proto string
}

func (p exposedPort) String() string { return strconv.Itoa(p.port) + "/" + p.proto }

// parseExposedPort parses "80", "80/tcp" or "53/UDP" as docker-java's ExposedPort.parse does.
func parseExposedPort(spec string) (exposedPort, bool) {
	portText, proto, hasProto := strings.Cut(spec, "/")
	if !hasProto {
		proto = "tcp"
	}
	proto = strings.ToLower(proto)
	if proto != "tcp" && proto != "udp" {
		return exposedPort{}, false
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 {
		return exposedPort{}, false
	}
	return exposedPort{port: port, proto: proto}, true
}

// ports lists, for every exposed port that has bindings, one entry per binding:
// "<hostPort>:<port>/<proto>", or "<port>/<proto>" when the binding has no host port.
func ports(r *reader, cfg, host map[string]any) []any {
	exposed := r.object(cfg["ExposedPorts"], "Config.ExposedPorts")
	bindings := portBindings(r, host)
	out := []any{}
	for _, key := range sortedKeys(exposed) {
		ep, ok := parseExposedPort(key)
		if !ok {
			r.fail("Config.ExposedPorts", `port keys like "80/tcp"`, key)
			return out
		}
		for _, hostPort := range bindings[ep] {
			if hostPort != 0 {
				out = append(out, strconv.Itoa(hostPort)+":"+ep.String())
			} else {
				out = append(out, ep.String())
			}
		}
	}
	return out
}

// portBindings reads HostConfig.PortBindings into host ports per exposed port (0 = no host port).
func portBindings(r *reader, host map[string]any) map[exposedPort][]int {
	raw := r.object(host["PortBindings"], "HostConfig.PortBindings")
	out := map[exposedPort][]int{}
	for _, key := range sortedKeys(raw) {
		path := "HostConfig.PortBindings." + key
		ep, ok := parseExposedPort(key)
		if !ok {
			r.fail("HostConfig.PortBindings", `port keys like "80/tcp"`, key)
			return out
		}
		for i, b := range r.list(raw[key], path) {
			binding := r.object(b, fmt.Sprintf("%s[%d]", path, i))
			out[ep] = append(out[ep], hostPort(r, binding["HostPort"], fmt.Sprintf("%s[%d].HostPort", path, i)))
		}
	}
	return out
}

// hostPort reads a binding's HostPort ("8080", 8080, "" or null; the last two mean none).
func hostPort(r *reader, v any, path string) int {
	switch t := v.(type) {
	case nil:
		return 0
	case string:
		if t == "" {
			return 0
		}
		if p, err := strconv.Atoi(t); err == nil && p >= 0 && p <= 65535 {
			return p
		}
	default:
		if p, ok := toInt64(v); ok && p >= 0 && p <= 65535 {
			return int(p)
		}
	}
	r.fail(path, "a port number", v)
	return 0
}

// dataVolumes lists Config.Volumes keys (sorted), then HostConfig.Binds.
func dataVolumes(r *reader, cfg, host map[string]any) []any {
	out := []any{}
	for _, k := range sortedKeys(r.object(cfg["Volumes"], "Config.Volumes")) {
		out = append(out, k)
	}
	for _, b := range r.strings(host["Binds"], "HostConfig.Binds") {
		out = append(out, b)
	}
	return out
}

// devices renders HostConfig.Devices as "host:container:permissions" (permissions default "rwm").
func devices(r *reader, host map[string]any) []any {
	out := []any{}
	for i, d := range r.list(host["Devices"], "HostConfig.Devices") {
		path := fmt.Sprintf("HostConfig.Devices[%d]", i)
		dev := r.object(d, path)
		onHost := r.str(dev["PathOnHost"], path+".PathOnHost")
		inCtr := r.str(dev["PathInContainer"], path+".PathInContainer")
		perms := r.str(dev["CgroupPermissions"], path+".CgroupPermissions")
		if perms == "" {
			perms = "rwm"
		}
		out = append(out, onHost+":"+inCtr+":"+perms)
	}
	return out
}

// lxcConf turns HostConfig.LxcConf [{Key, Value}] into a map.
func lxcConf(r *reader, host map[string]any) map[string]any {
	out := map[string]any{}
	for i, item := range r.list(host["LxcConf"], "HostConfig.LxcConf") {
		path := fmt.Sprintf("HostConfig.LxcConf[%d]", i)
		kv := r.object(item, path)
		out[r.str(kv["Key"], path+".Key")] = r.str(kv["Value"], path+".Value")
	}
	return out
}

// blkioDeviceOptions folds Docker's per-kind device lists into Cattle's map device → options.
// Malformed entries are skipped, as Cattle does. Each option has all five fields, null when unset.
func blkioDeviceOptions(host map[string]any) map[string]any {
	kinds := []struct{ key, field, value string }{
		{"BlkioDeviceReadIOps", "readIops", "Rate"},
		{"BlkioDeviceWriteIOps", "writeIops", "Rate"},
		{"BlkioDeviceReadBps", "readBps", "Rate"},
		{"BlkioDeviceWriteBps", "writeBps", "Rate"},
		{"BlkioWeightDevice", "weight", "Weight"},
	}
	out := map[string]any{}
	for _, k := range kinds {
		entries, _ := host[k.key].([]any)
		for _, e := range entries {
			m, _ := e.(map[string]any)
			devPath, okPath := m["Path"].(string)
			v, okValue := toInt64(m[k.value])
			if !okPath || !okValue || v < -1<<31 || v >= 1<<31 {
				continue
			}
			opt, _ := out[devPath].(map[string]any)
			if opt == nil {
				opt = map[string]any{"type": "blkioDeviceOption"}
				for _, k := range kinds {
					opt[k.field] = nil // Cattle serialises its BlkioDeviceOption class: every field, null when unset
				}
				out[devPath] = opt
			}
			opt[k.field] = v
		}
	}
	return out
}

// ulimits converts HostConfig.Ulimits [{Name, Hard, Soft}]; entries without a name are skipped.
func ulimits(host map[string]any) []any {
	entries, _ := host["Ulimits"].([]any)
	out := []any{}
	for _, e := range entries {
		m, _ := e.(map[string]any)
		name, _ := m["Name"].(string)
		if name == "" {
			continue
		}
		u := map[string]any{"type": "ulimit", "name": name}
		if hard, ok := toInt64(m["Hard"]); ok {
			u["hard"] = int64(int32(hard))
		}
		if soft, ok := toInt64(m["Soft"]); ok && soft >= -1<<31 && soft < 1<<31 {
			u["soft"] = soft
		}
		out = append(out, u)
	}
	return out
}
