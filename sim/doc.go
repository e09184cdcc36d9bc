// Package sim is a simulator of the Rancher 1.6 management API (/v2-beta, with /v1 routed onto it).
//
// It is a TEST DOUBLE of a third-party server. It exists so that the original rancher-compose
// v0.12.5 client and our own client can be developed, tested and demonstrated without a Rancher
// server, and so that users can rehearse a pipeline. It never runs a container: hosts and containers
// are records in memory whose states walk the way Rancher's do. It is never a deploy target.
//
// The reference is ../shared/docs/rancher-api.md: the wire format of §3 (every schema field rendered,
// nulls included, from the real /v2-beta/schemas dump embedded in this package; links; actions only
// in the states where they are legal; transitioning yes/no/error; X-API-Schemas on every answer;
// filters, pagination; error JSON), the state machines of §5, the scheduler of §6 (sim/scheduler),
// health checks and healthState aggregation of §5.3 (sim/health) and scripts/transform of §4.12
// (sim/transform).
//
// # Starting one
//
// From Go (tests): Start(Options{...}) serves on a random loopback port; URL, AccessKey and SecretKey
// say how to reach it; Close stops it. Options.Clock chooses RealClock (the default, Options.Step per
// state step), ManualClock (time moves only with Advance) or FastClock (time jumps to the next event
// whenever every simulated process waits: intervals and health-check periods cost no wall time; Settle
// waits until nothing can progress any more, or SettleHorizon of simulated time). Stacks, Services,
// Containers, Service, Container, Snapshot and Stats read the state without HTTP; SetFaults,
// SetImageBehaviors, AddImageBehavior, AddHost, RemoveHost, CrashContainer, RevokeKey and Reset change
// it. A Server is also an http.Handler (New builds one without listening). From the command line:
// `rancher-compose sim --help`.
//
// # Control API (JSON, under /_sim/, not authenticated, not counted in the stats)
//
//	GET  /_sim/          the list below
//	GET  /_sim/stats     {"requests":N,"mutations":M,"byMethod":{"GET":n,…},"byStatus":{"409":n,…},"injectedErrors":n}
//	                     since start or the last reset; mutations are POST/PUT/DELETE that may change state
//	                     (scripts/transform and the exportconfig/logs actions are not mutations)
//	POST /_sim/reset     empty environment (hosts re-created, settings kept), counters zeroed
//	GET|PUT /_sim/faults the Faults (latency, jitter, errorRate, errorStatus, proxyErrors, conflictBurst,
//	                     dropRate, stuckStates, errorStates, errorMessage); PUT replaces them
//	POST /_sim/revoke    {"accessKey":"KEY"}: the key is refused (401) from now on
//	GET|PUT /_sim/features {"exposeExitCode":bool}: Options.ExposeExitCode, switched at run time
//	GET|PUT /_sim/images the ImageBehavior list (glob, neverHealthy, unhealthyAfter, failStart, exitCode,
//	                     pullDelay); PUT replaces it, POST adds one; applies to containers created afterwards
//	POST /_sim/advance   {"duration":"5s"} moves a manual clock
//	POST /_sim/hosts     {"labels":{"k":"v"}} adds an active host (global services spread onto it)
//	GET  /_sim/state     stacks, services and containers with their states and histories
//	POST /_sim/crash     {"id":"1i3","exitCode":137}: a running container exits by itself; its active
//	                     service reconciles (updating-active) and starts it again (startCount+1)
//	POST /_sim/removehost {"id":"1h2"}: lose a host (also DELETE /v2-beta/hosts/1h2); its containers
//	                     vanish, services recreate them elsewhere, global services follow the host set
//
// # Faults (rancher-api.md §7.3)
//
// Latency+jitter delay every answer. ErrorRate answers that fraction with ErrorStatus (503 by
// default) in Cattle's error JSON, or with a proxy's HTML page when ProxyErrors is set; for mutating requests they alternate between "before" (nothing changed) and "after" (the
// change was applied, then the answer replaced by the 503). ConflictBurst answers the next N mutating
// requests 409 Conflict without applying them. DropRate closes the connection without an answer,
// after the request was applied. StuckStates park any process entering one of those states
// (transitioning stays "yes" until another action or a remove supersedes it); ErrorStates stop it there
// with transitioning "error" and ErrorMessage.
//
// # Choices made where the spec is unsure (§7.5 and elsewhere)
//
//   - JSON is written with Go's encoder: keys sorted like Cattle's, but forward slashes are not escaped
//     ("http://" rather than Cattle's "http:\/\/"); both are the same JSON.
//   - A POST answers in the first transitioning state: service "registering", stack "activating",
//     container "requested"; process actions answer 202 already in their transitioning state.
//   - DELETE answers 200 (§3.3, Cattle's deleteInternal), in state "removing"; deleting something
//     already removing/removed is 405. (The fake behind the recorded traces answered 202.)
//   - PUT changing scale (or scalePolicy, selectorContainer, lbConfig) on an active service runs
//     update (updating-active, reconcile); on an inactive one updating-inactive; in the other start
//     states of Cattle's service.update (activating, updating-active, upgrading, rolling-back,
//     finishing-upgrade, canceling-upgrade) it rides on the running process; in any other state
//     (upgraded, canceled-upgrade, registering…) the answer is 409 and the value is saved all the
//     same, as Cattle's AbstractObjectResourceManager.updateInternal saves before it schedules the
//     process (so a later rollback reconciles to the saved scale). Other updatable fields are saved
//     in every state; non-updatable ones (launchConfig…) are silently ignored.
//   - With access control off, keyless requests act in the only project, 1a5 "Default".
//   - Account keys (Options.AccountKeys) see stack and service schemas read-only unless the URL names a
//     project they belong to (/v2-beta/projects/1a5/..., or the X-API-Project-Id header or projectId
//     parameter, which scope the request without changing the URLs in the answer); other projects
//     answer 403.
//   - The schema document is the full dump (all 127 types of the admin view), links rewritten, with
//     the environment-key permissions of §1.5 applied where a deploy client can tell: hosts and
//     instances cannot be created (POST /hosts answers 405).
//   - Settings: the public ones only, ids 1as!<name>, readable by name.
//   - Containers of an in-service upgrade replacement take the lowest free unit number, so old and
//     new containers can share a name; a full upgrade gives the new containers a new deployment unit.
//   - A failed placement or start leaves the container in "error" and the service in its
//     transitioning state with transitioning "error" and "Failed to allocate instance [container:1iN]";
//     it is retried with back-off 2 s × 1.1ⁿ (capped near 1 min) and the failed units are replaced.
//   - Health checks run every interval; "unhealthy after N" means the checks start failing N after the
//     container became healthy (it turns unhealthy unhealthyThreshold checks later). initializingTimeout
//     is checked at every interval, not on a 60 s sweep.
//   - A container of an image with an exit code stops one step after running; start-once containers
//     (label io.rancher.container.start_once=true) are then left stopped, others are restarted by the
//     service's reconcile. The exit code shows in ContainerInfo and the log stream (the container
//     schema has no exit-code field).
//   - Exit codes in the API (Options.ExposeExitCode, `sim --expose-exit-code`, PUT /_sim/features): off by
//     default, so the simulator stays the captured 1.6 API, in which a start-once job that exited 1 looks
//     like one that exited 0 (rancher/rancher#5978, #9783). On, it models a Cattle carrying the never-merged
//     rancher/cattle#2903: the container schema gains lastExitCode (a read-only nullable int, shaped like
//     startCount) and containers render it, null until the container stopped by itself (an image exit
//     code or /_sim/crash), then that code, kept across restarts. A stop asked through the API does not
//     set it (the PR also took the code of docker's stop event). Switching it changes the rendering and
//     the schema at once, for existing containers too.
//   - Container logs: the logs action answers a hostAccess {url: ws://…/v1/logs/, token}; the
//     websocket sends text frames "01 <line>" (stdout) and "02 <line>" (stderr), then a heartbeat a
//     second while following.
//   - Stack exportconfig renders compose v2 text from the stored launch configs (not the original
//     files). Stack upgrade with compose text gives an in-service upgrade (batch 1) to every service
//     whose primary launch config differs and creates new ones, then the stack is "upgraded";
//     without compose text it just walks upgrading → upgraded.
//   - A stack created with dockerCompose text runs a small executor (§4.1.1): the common compose
//     keys (image, command, entrypoint, environment, labels, ports, expose, volumes, volumes_from,
//     net/network_mode, mem_limit, links, io.rancher.sidekicks; rancher-compose scale, health_check,
//     retain_ip, lb_config) become services, linked, activated with startOnCreate; any error puts the
//     stack in state error with transitioning "error" and the message.
//   - scalePolicy starts at min and grows by increment up to max after each successful deployment; a
//     failed placement lowers the target by one instead of retrying.
//   - Removed resources stay retrievable by id; containers are forgotten an hour after removal (so
//     endless placement retries do not grow memory), other resources never.
package sim
