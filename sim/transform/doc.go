// Package transform models Cattle's `POST /v2-beta/scripts/transform` endpoint for the Rancher 1.6
// API simulator: it turns a Docker-inspect-like document {"Name","Config","HostConfig"} into the
// launchConfig a real Rancher server would answer with.
//
// It is a test double of a third-party server, not a container runtime. The behaviour follows
// ../shared/docs/rancher-api.md §4.12 (the endpoint) and §4.3 (launchConfig fields), which describe
// Cattle's TransformInspect handler and DockerTransformerImpl.transform (Rancher 1.6 line):
//
//   - imageUuid = "docker:" + Config.Image (left alone when it already starts with "docker:" or "sim:");
//   - command/entryPoint from Cmd/Entrypoint, environment from Env ("K=V", bare "K" → ""), labels from
//     Config.Labels (null values → "");
//   - ports: only exposed ports that have bindings, "<hostPort>:<port>/<proto>" or "<port>/<proto>"
//     (a binding's HostIp is dropped, as Cattle 1.6 does);
//   - dataVolumes = Config.Volumes keys followed by HostConfig.Binds;
//   - networkMode bridge/host/none kept, blank or "default" → "bridge", Config.NetworkDisabled → "none",
//     "container:…" → 422 InvalidOption "Transformer API does not support container network mode.",
//     anything else → 422 InvalidOption "Unrecognized network mode: <mode>";
//   - empty strings and zero numbers become null (omitted here); lists that Cattle always sets (command,
//     entryPoint, dns, dnsSearch, capAdd, capDrop, devices, dataVolumes, ports) are [] when empty;
//   - the HostConfig values cpuShares, cpuSet (CpusetCpus), memory, memorySwap override Config-level ones
//     only when non-zero; memoryReservation is copied even when 0 (Cattle sets it without the
//     empty-value rule);
//   - healthRetries is only copied when Healthcheck.Timeout is present (a Cattle quirk, reproduced).
//
// Choices made where the spec is silent (documented here so the simulator can rely on them):
//
//   - The answer is rendered through the launchConfig schema: "type":"launchConfig", "kind":"container",
//     and only fields that exist in that schema. Cattle's transformer also sets an instance name and a
//     restartPolicy, which the launchConfig schema does not have, so they are not returned.
//   - Fields that Cattle leaves null are omitted rather than sent as null (Go clients decode both alike).
//   - logConfig is always present, {"type":"logConfig","driver":<Type or "">,"config":<map or {}>},
//     because the original rancher-compose dereferences it; Cattle would omit it only when the request
//     has no HostConfig.LogConfig at all, which rancher-compose never sends.
//   - Keys of JSON objects that become lists (ExposedPorts, Volumes) are taken in sorted order; Go clients
//     send them sorted, so this equals request order for them.
//   - A body whose JSON types do not fit the Docker inspect model (e.g. "Cmd": 5) makes Cattle's Jackson
//     conversion throw, which it reports as a 500. This package reports it as 400 InvalidBodyContent
//     with the offending path instead, so that clients under test do not retry a request that can
//     never succeed.
//   - Nested objects carry a "type" like Cattle's API renders embedded schema types (logConfig, ulimit,
//     blkioDeviceOption).
//
// The package is pure: no HTTP, no clock, no globals.
package transform
