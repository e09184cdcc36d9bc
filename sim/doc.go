// Package sim is a simulator of the Rancher 1.6 management API (/v2-beta, with /v1 routed onto it).
//
// It is a TEST DOUBLE of a third-party server: it lets the original rancher-compose v0.12.5 client and
// our own client be developed, tested and demonstrated without a Rancher server. It never runs a
// container; hosts and containers are simulated records whose states walk like Rancher's. It is
// never a deploy target.
//
// The reference is ../shared/docs/rancher-api.md (the wire format of §3, the state machines of §5,
// the scheduler of §6, the fault modes of §7.3). Placement is sim/scheduler and
// scripts/transform is sim/transform.
package sim
