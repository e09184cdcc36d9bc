// Package swarm is the Docker Swarm engine: the same compose project that the rancher packages deploy to
// Rancher 1.6, deployed as Swarm services through the Docker Engine API.
//
// The pieces, in the order a deploy uses them:
//   - Client (client.go, api.go): a typed Engine API client over resty (unix socket, or DOCKER_HOST tcp with
//     DOCKER_TLS_VERIFY/DOCKER_CERT_PATH), the API version negotiated from /_ping and refused below 1.40.
//     Types come from github.com/moby/moby/api (types only, keeps the go directive).
//   - Map (mapping.go, health.go, placement.go): compose.Project → one Desired ServiceSpec per service, with
//     warnings for what Swarm cannot honour.
//   - records (record.go): what we deployed, kept as labels on each service: the spec hash, the last
//     confirmed spec and the pending-upgrade marker. Rollback restores the confirmed spec from these labels,
//     never from Swarm's PreviousSpec (nil after an automatic rollback, the failed spec after a pause).
//   - Plan (plan.go): desired × observed → steps (create, upgrade, confirm, rollback, scale, unchanged, ...),
//     pure; orderPlan (gates.go) adds the edges (links and depends_on) and numbers the waves.
//   - Gates (gates.go): a service starts its steps once what it depends on is done and its depends_on
//     conditions hold (started, healthy, a job's task exited 0); otherwise it is not attempted (GateError).
//   - Execute (execute.go, wait.go): carries the steps out, emitting progress events, waiting on tasks and
//     UpdateStatus, confirming or rolling back (--atomic) itself: Swarm's FailureAction is always pause.
package swarm
