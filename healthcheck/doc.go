// Package healthcheck waits for Rancher services to settle and to become healthy, and explains failures.
//
// Everything it reads comes through the small Reader and LogReader interfaces, and time through a Clock, so
// the waits are tested without a server or real sleeps. Polling backs off (Backoff) instead of the original's
// fixed 150 ms, and every wait is bounded by the context and by Waiter.Timeout.
//
// Health rules (Assess): only the service's new containers count (those running its current launch-config
// version, when the API reports versions). A container with a health check must be healthy, one without
// must be running; a start-once container (label io.rancher.container.start_once=true) is done when it
// stopped with exit code 0 and failed when it exited non-zero. A container reported unhealthy, or in error,
// fails the wait at once: Rancher only says unhealthy after unhealthyThreshold failed checks.
// Stock Rancher 1.6 does not report exit codes (rancher/rancher#5978; the lastExitCode field of
// rancher/cattle#2903 was never merged): the rules read exitCode or lastExitCode when the API has them, and
// otherwise take a start-once container that stopped after starting as done, as Rancher's "started-once" does.
// Before any failure is returned, Diagnose gathers for the service its state and transitioningMessage, and
// for each failing container its state, health, exit code, transitioningMessage and last log lines.
package healthcheck
