// Package health models Rancher 1.6 (Cattle) health for the API simulator: the per-container
// health-check walk and the healthState aggregation container → service → stack → environment.
// It is pure: no HTTP, no clock (callers pass the time), no globals.
//
// Sources, in ../shared/docs/rancher-api.md:
//
//   - §5.3 service aggregation (ServiceDiscoveryServiceImpl.calculateServiceHealthState): expected =
//     (scalePolicy ? scalePolicy.min : scale) × number of launch configs, 0 for selector-only services;
//     running containers with healthState healthy, updating-healthy or null count healthy, running
//     initializing/reinitializing count initializing; start-once containers (label
//     io.rancher.container.start_once=true, startCount ≥ 1, state stopped/stopping) count as started
//     once; then started-once, healthy, initializing, degraded, unhealthy in that order. Global services
//     look only at containers on active hosts and expect exactly those. Kinds other than service and
//     loadBalancerService are always healthy. The service's own state is ignored.
//   - §5.3 stack and environment aggregation (calculateHealthState): members in removing/removed are
//     skipped; none left → healthy; all started-once → started-once; enough active members healthy or
//     started-once → healthy; any member initializing → initializing; some healthy → degraded; else
//     unhealthy. A service counts as active in the states of ServiceActiveStates, a stack in activating,
//     active and updating-active.
//   - §5.3 and §4.4 container walk (InstanceHealthcheckRegister, HealthcheckServiceImpl,
//     HealthcheckCleanupMonitorImpl): first start with a health check → initializing; a start of a
//     healthy container → reinitializing; healthyThreshold consecutive passes → healthy; while not
//     healthy (initializing, reinitializing, unhealthy) failure reports are ignored; healthy and
//     unhealthyThreshold consecutive failures → unhealthy; a container still initializing after
//     initializingTimeout (reinitializing after reinitializingTimeout), counted from its last health
//     change, is removed by the cleanup task that runs every 60 s; unhealthy containers are recreated
//     per strategy (recreate; recreateOnQuorum only while at least quorum containers are healthy; none
//     leaves them).
//
// Choices made where the spec leaves room:
//
//   - healthyThreshold/unhealthyThreshold of 0 or less mean 2 and 3 (the values of every compose
//     example, and haproxy's rise/fall defaults used by Rancher's health checker).
//   - One checking host is modelled (Cattle asks up to three and turns a container unhealthy only when
//     all of them report it).
//   - The initializing/reinitializing timeout removes the container unless the strategy is "none"
//     (rancher-api.md §4.4; the Cattle snapshot read removes it whatever the strategy).
//   - An empty Strategy means "recreate" (the schema default).
//   - The updating-* health states of an instance update are not produced; updating-healthy is
//     accepted as healthy by the aggregation.
package health
