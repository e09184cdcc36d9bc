// Package scheduler models where Rancher 1.6 (Cattle's allocator plus the external "Rancher
// Scheduler") places a deployment unit, for the API simulator. It is pure: no HTTP, no clock, no
// globals; the caller passes hosts, existing containers and the unit to place. A caller placing many
// units in a row keeps the hosts' Views itself (NewViews, Add, Rebuild) and calls PlaceIn, rather than
// have Place go over every container for each unit.
//
// It follows ../shared/docs/rancher-api.md §6:
//
//   - §6.1 affinity labels on each launch config: io.rancher.scheduler.affinity:host_label,
//     :container_label and :container, each with the suffixes "" (hard), _ne (hard), _soft and _soft_ne
//     (soft). Label keys and values are lower-cased; values are comma-separated lists of key=value
//     (container: names or uuids); ${stack_name} and ${service_name} are expanded after lower-casing,
//     from the unit's stack name and from the part of "<stack>/<service>[/<sidekick>]" after the first
//     "/", exactly as Cattle's AllocationHelperImpl.evaluateMacros does. The Swarm-style environment
//     forms constraint:k==v, affinity:container==name and affinity:k==v (ops ==, !=, ==~, !=~) are read
//     too. The constraints of every launch config of the unit apply to the whole unit.
//   - Soft handling (AllocatorServiceImpl.doAllocate): every constraint is checked on every candidate
//     host in priority order and the first host meeting all of them wins; when none does, the failed
//     set of the "weakest" candidate (fewest hard, then fewest soft failures) is taken, its first soft
//     constraint is dropped and the search repeats; when that set holds only hard constraints the
//     allocation fails with those constraints joined by ", ".
//   - §6.2 global services: GlobalHosts lists the active hosts meeting the unit's host_label
//     constraints; each global unit is then placed with RequestedHostID (as Cattle pins them).
//     Sidekicks: a unit (primary plus sidekicks) is placed on one host; a unit that already has a
//     container on a host (DeploymentUnitUUID) goes back to that host.
//   - §6.3 resources: memoryReservation and milliCpuReservation of the unit's launch configs, summed,
//     against the host's capacity minus what its running containers reserve; host ports of the unit
//     against the running containers' host ports; io.rancher.scheduler.require_any on hosts;
//     RequestedHostID pins the unit and skips affinity, resource and port checks, as Cattle does.
//   - §6.4 the messages, verbatim: "Allocation failed: No healthy hosts with sufficient resources
//     available", "Allocation failed: No healthy hosts meet the resource constraints: [memoryReservation:
//     N, cpuReservation: N, instanceReservation: 1]", "Allocation failed: host needs ports 8081/tcp
//     available", "Allocation failed: needs host with label size_ne: huge", "… host must have a
//     container with label foo=bar", "… host must not have a container with name or uuid web", and
//     "Port 5555/tcp requested more than once." for a unit that asks twice for one host port.
//
// Choices made where the spec leaves room (so tests can rely on them):
//
//   - Host priority (the external scheduler's order): fewest non-removed containers first, ties kept in
//     the order of the hosts slice given (the simulator passes hosts in creation order).
//   - Checks run in Cattle's order: active hosts, then resources (memory, CPU, require_any; failure
//     gives "No healthy hosts meet the resource constraints"), then constraints (ports and affinities,
//     hard before soft; failure gives the constraint descriptions).
//   - Label matching is case-insensitive on the host/container side too (Cattle compares in MySQL,
//     whose default collation is case-insensitive). Container-name affinity compares case-insensitively
//     for "must/should have" and exactly for "must/should not have", as Cattle's Java code does.
//   - A host with Memory or MilliCPU 0 has no limit on that resource. Stopped containers keep counting
//     for affinity (they are not removed) but release their reservations and host ports.
//   - require_any ("k=v,k2=v2" on a host) admits a unit when any of its launch configs carries one of
//     the listed labels.
//   - An environment entry whose key holds no operator is read as "key=value" joined back, so that
//     {"constraint:type": "=foo"} (how a Docker "constraint:type==foo" variable arrives after the
//     transform's split on the first "=") still works.
//   - Host-label constraints of a global service include the soft ones: Cattle's
//     getHostsSatisfyingHostAffinity keeps every host-label constraint and requires all of them.
//   - Identical constraints from several launch configs are checked and reported once.
//   - The legacy ${project_name} macro is not expanded (Cattle 1.6's evaluateMacros has only the two).
package scheduler
