package transform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// TypeLaunchConfig is the "type" of every answer.
const TypeLaunchConfig = "launchConfig"

var imageKindPattern = regexp.MustCompile(`^(sim|docker):.*`)

// TransformJSON transforms a raw request body. An empty (or all-whitespace) body yields (nil, nil):
// Cattle answers such a request with 200 and no body. A body that is not JSON yields a 400
// InvalidBodyContent *Error, as Cattle's TransformInspect.getObject does.
func TransformJSON(body []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, invalidBody(fmt.Sprintf("body is not valid JSON: %v", err))
	}
	if dec.More() {
		return nil, invalidBody("body holds more than one JSON value")
	}
	doc, ok := v.(map[string]any)
	if !ok {
		return nil, invalidBody(fmt.Sprintf("body: expected a JSON object, got %s", kindOf(v)))
	}
	return Transform(doc)
}

// Transform converts a decoded Docker-inspect-like document {"Name","Config","HostConfig"} into a
// launchConfig JSON object as Cattle's transformer does (rancher-api.md §4.12). The document is not
// modified and the answer shares no memory with it. Errors are *Error values: 400
// InvalidBodyContent when a value has the wrong JSON type, 422 InvalidOption for network modes
// Cattle refuses.
func Transform(doc map[string]any) (map[string]any, error) {
	r := &reader{}
	lc := launchConfig{"type": TypeLaunchConfig, "kind": "container"}
	cfg := r.object(doc["Config"], "Config")
	host := r.object(doc["HostConfig"], "HostConfig")

	if id, ok := doc["Id"].(string); ok && id != "" {
		lc["externalId"] = id
	}
	if cfg != nil {
		fromConfig(r, lc, cfg)
	}
	if cfg != nil && host != nil {
		lc["dataVolumes"] = dataVolumes(r, cfg, host)
		lc["ports"] = ports(r, cfg, host)
	}
	if host != nil {
		fromHostConfig(r, lc, host)
	}
	netErr := networkMode(r, lc, cfg, host)
	for _, f := range []struct{ field, key string }{
		{"securityOpt", "SecurityOpt"}, {"pidMode", "PidMode"},
		{"readOnly", "ReadonlyRootfs"}, {"extraHosts", "ExtraHosts"},
	} {
		lc.set(f.field, cleanJSON(host[f.key]))
	}
	for _, f := range []struct{ field, key string }{
		{"cpuShares", "CpuShares"}, {"cpuSet", "CpusetCpus"},
		{"memory", "Memory"}, {"memorySwap", "MemorySwap"},
	} {
		if v := cleanJSON(host[f.key]); !isEmptyValue(v) {
			lc[f.field] = v
		}
	}
	lc["logConfig"] = logConfig(r, host)
	lc["labels"] = labels(r, cfg)

	if r.err != nil {
		return nil, r.err
	}
	if netErr != nil {
		return nil, netErr
	}
	return lc, nil
}

// launchConfig is the answer being built; set applies Cattle's fixEmptyValue rule.
type launchConfig map[string]any

// set stores v under key, or removes the key when v is null, "" or a zero number (Cattle's
// fixEmptyValue turns those into null).
func (lc launchConfig) set(key string, v any) {
	if isEmptyValue(v) {
		delete(lc, key)
		return
	}
	lc[key] = v
}

func isEmptyValue(v any) bool {
	switch t := v.(type) {
	case nil:
		return true
	case string:
		return t == ""
	}
	if i, ok := toInt64(v); ok {
		return i == 0
	}
	return false
}

func fromConfig(r *reader, lc launchConfig, cfg map[string]any) {
	lc.set("hostname", r.str(cfg["Hostname"], "Config.Hostname"))
	lc.set("memory", number(r, cfg["Memory"], "Config.Memory"))
	lc.set("cpuSet", r.str(cfg["Cpuset"], "Config.Cpuset"))
	lc.set("cpuShares", number(r, cfg["CpuShares"], "Config.CpuShares"))
	lc.set("memorySwap", number(r, cfg["MemorySwap"], "Config.MemorySwap"))
	lc.set("domainName", r.str(cfg["Domainname"], "Config.Domainname"))
	lc.set("user", r.str(cfg["User"], "Config.User"))
	lc["tty"] = r.boolean(cfg["Tty"], "Config.Tty")
	lc["stdinOpen"] = r.boolean(cfg["OpenStdin"], "Config.OpenStdin")
	lc.set("imageUuid", imageUUID(r.str(cfg["Image"], "Config.Image")))
	lc.set("workingDir", r.str(cfg["WorkingDir"], "Config.WorkingDir"))
	lc["environment"] = environment(r.strings(cfg["Env"], "Config.Env"))
	lc["command"] = nonNil(r.strings(cfg["Cmd"], "Config.Cmd"))
	lc["entryPoint"] = nonNil(r.strings(cfg["Entrypoint"], "Config.Entrypoint"))
	lc.set("volumeDriver", cleanJSON(cfg["VolumeDriver"]))
	lc.set("stopSignal", cleanJSON(cfg["StopSignal"]))
	healthConfig(r, lc, cfg)
}

func fromHostConfig(r *reader, lc launchConfig, host map[string]any) {
	lc["privileged"] = r.boolean(host["Privileged"], "HostConfig.Privileged")
	lc["publishAllPorts"] = r.boolean(host["PublishAllPorts"], "HostConfig.PublishAllPorts")
	lc["lxcConf"] = lxcConf(r, host)
	lc["dns"] = nonNil(r.strings(host["Dns"], "HostConfig.Dns"))
	lc["dnsSearch"] = nonNil(r.strings(host["DnsSearch"], "HostConfig.DnsSearch"))
	lc["capAdd"] = nonNil(r.strings(host["CapAdd"], "HostConfig.CapAdd"))
	lc["capDrop"] = nonNil(r.strings(host["CapDrop"], "HostConfig.CapDrop"))
	lc["devices"] = devices(r, host)
	if v := host["MemoryReservation"]; isNumber(v) {
		lc["memoryReservation"] = cleanJSON(v)
	}
	for _, f := range []struct{ field, key string }{
		{"blkioWeight", "BlkioWeight"}, {"cgroupParent", "CgroupParent"},
		{"cpuPeriod", "CpuPeriod"}, {"cpuQuota", "CpuQuota"}, {"cpuSetMems", "CpusetMems"},
		{"dnsOpt", "DnsOptions"}, {"groupAdd", "GroupAdd"}, {"kernelMemory", "KernelMemory"},
		{"memorySwappiness", "MemorySwappiness"}, {"oomKillDisable", "OomKillDisable"},
		{"shmSize", "ShmSize"}, {"tmpfs", "Tmpfs"}, {"uts", "UTSMode"}, {"ipcMode", "IpcMode"},
		{"sysctls", "Sysctls"}, {"oomScoreAdj", "OomScoreAdj"}, {"isolation", "Isolation"},
	} {
		lc.set(f.field, cleanJSON(host[f.key]))
	}
	if opts := blkioDeviceOptions(host); len(opts) > 0 {
		lc["blkioDeviceOptions"] = opts
	}
	if limits := ulimits(host); len(limits) > 0 {
		lc["ulimits"] = limits
	}
}

// number returns v as a cleaned JSON number (nil when null or absent).
func number(r *reader, v any, path string) any {
	if v == nil {
		return nil
	}
	if !isNumber(v) {
		r.fail(path, "a number", v)
		return nil
	}
	return cleanJSON(v)
}

func imageUUID(image string) string {
	if strings.TrimSpace(image) != "" && !imageKindPattern.MatchString(image) {
		return "docker:" + image
	}
	return image
}

func environment(env []string) map[string]any {
	out := make(map[string]any, len(env))
	for _, e := range env {
		k, v, _ := strings.Cut(e, "=")
		out[k] = v
	}
	return out
}

func nonNil(s []string) []any {
	out := make([]any, 0, len(s))
	for _, v := range s {
		out = append(out, v)
	}
	return out
}

func healthConfig(r *reader, lc launchConfig, cfg map[string]any) {
	hc := r.object(cfg["Healthcheck"], "Config.Healthcheck")
	if hc == nil {
		return
	}
	if v, ok := hc["Test"]; ok && v != nil {
		lc.set("healthCmd", cleanJSON(v))
	}
	if v, ok := hc["Interval"]; ok && v != nil {
		lc.set("healthInterval", cleanJSON(v))
	}
	if v, ok := hc["Timeout"]; ok && v != nil {
		lc.set("healthTimeout", cleanJSON(v))
		lc.set("healthRetries", cleanJSON(hc["Retries"]))
	}
}

func labels(r *reader, cfg map[string]any) map[string]any {
	out := map[string]any{}
	src := r.object(cfg["Labels"], "Config.Labels")
	for k, v := range src {
		out[k] = javaString(v)
	}
	return out
}

func logConfig(r *reader, host map[string]any) map[string]any {
	lcfg := r.object(host["LogConfig"], "HostConfig.LogConfig")
	out := map[string]any{"type": "logConfig", "driver": "", "config": map[string]any{}}
	if lcfg == nil {
		return out
	}
	if t := lcfg["Type"]; t != nil {
		out["driver"] = javaString(t)
	}
	if c, ok := lcfg["Config"].(map[string]any); ok {
		out["config"] = cleanJSON(c)
	}
	return out
}

func networkMode(r *reader, lc launchConfig, cfg, host map[string]any) *Error {
	if r.boolean(cfg["NetworkDisabled"], "Config.NetworkDisabled") {
		lc["networkMode"] = "none"
		return nil
	}
	if host == nil {
		return nil
	}
	mode := r.str(host["NetworkMode"], "HostConfig.NetworkMode")
	switch {
	case mode == "bridge" || mode == "host" || mode == "none":
		lc["networkMode"] = mode
	case mode == "default" || strings.TrimSpace(mode) == "":
		lc["networkMode"] = "bridge"
	case strings.HasPrefix(mode, "container"):
		return invalidOption(MsgContainerNetworkMode)
	default:
		return invalidOption(msgUnrecognizedNetwork + mode)
	}
	return nil
}
