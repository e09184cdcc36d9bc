// Package kube turns a loaded rancher-compose project (compose.Project: merged, interpolated, validated)
// into Kubernetes manifests built from the official API types: a Namespace per stack, a Deployment,
// DaemonSet or Job per service with its sidekicks as extra containers of the same pod, probes from
// health_check, a RollingUpdate from upgrade_strategy, node and pod (anti-)affinity from the scheduler
// labels, resources from the memory and CPU keys, a Service per service (headless without ports) plus
// one per link alias, ExternalName Services for external links, Ingresses from load balancers and
// PersistentVolumeClaims from named volumes.
//
// Nothing is sent to any API. Every key that has no Kubernetes counterpart is reported as a Note that
// names where it is written; Convert is deterministic (same project, same objects in the same order).
package kube
