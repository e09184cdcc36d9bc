// Package upgrade plans and carries out `up`: creating missing services, upgrading changed ones in place,
// confirming, rolling back and scaling, as rancher-compose v0.12.5 does (original-behavior.md §3.2–§3.5),
// plus what CI users asked for: --atomic, --wait-healthy, --apply-scale, a --dry-run plan with field diffs,
// timeouts and a per-service JSON result.
//
// The work is split in two, as docker/compose does (reconcile → plan → execute):
//
//   - Reconcile is pure. It takes the desired state (one Desired per compose service: kind, links, the three
//     io.rancher.service.hash digests, scale, upgrade strategy, the create body and launch configs), the
//     observed state (one Service per existing Rancher service, as the API returns it) and the Options (the
//     flags of `up`), and returns a *Plan: per service an ordered list of Steps, each with its reason and, for
//     changes, a field-level diff of the launch config against the live one. Plan.String is the --dry-run
//     text; the Plan marshals to JSON for --format json.
//   - Execute walks a Plan over an injected API, emitting progress.Events. It decides nothing the plan did
//     not say, except the run-time checks the original also made (a service must be active or inactive when
//     its upgrade starts; activate only when the service is not active and offers the action).
//
// Ordering: a service waits only for the services it links to (links and load-balancer port-rule targets,
// original-behavior.md §3.12). Per service the order stays create, set links, activate; every create starts
// at once, a service's links are set as soon as its link targets are created (so cycles work), and it is
// activated once its own links are set and the services it depends on are done. Compose depends_on entries
// are gates (gates.go): they join the same graph (compose.Waves numbers its waves for --dry-run), and a gated
// service sends nothing, not even its create, before each dependency reached its condition (started, healthy,
// or a start-once job exited 0); a dependency that fails leaves it not attempted (GateError). The graph
// functions (compose.Project.Gates, compose.Waves, compose.Project.Orphans) are engine-neutral.
//
// Waiting: RancherAPI reads a service of a known stack through one stack-wide poller (feed.go), which reads
// each waited service at its own pace (DefaultFeedPolicy: every 75 ms for a second after our change, then the
// original's 150 ms), always with a request sent after the wait's read began: by id when few are due, else
// with one `GET services?stackId=…&state_ne=active&…` that lists only the stack's services in a transition (a
// waited service missing from it has settled, and is read by id once, or with the others that left together in
// one list of the state they head for); a wave of changes whose ends are expected over a while is gathered
// into one such list once its last is expected to have ended (gather.go), except the services a dependant
// waits on alone (Hurrier), which are read as soon as they are expected to (together, in one such list, when
// many are: a deploy's chain bottoms); the poller decodes only the state, health, scale, links and actions of
// each listed service (poll.go) over the copy this client last saw whole.
// The executor reuses the copy a wait ended with (LastSeen) instead of reading a service again before
// activating it or for the result, and, once creates have been seen to end, lets the answer of a new service's
// links, set when its create is expected to have ended, tell that it did (SettleExpecter) instead of a read. A
// service observed mid-transition (left by an interrupted run) gets an await step first and is planned from
// the state it settles in (await.go). Every wait under way is reported at each heartbeat as a progress.Waiting
// event (heartbeat.go), and a diagnosis after a failure or a timeout fits healthcheck.DiagnoseBudget.
//
// Result: the --format json document (SchemaVersion, documented in README.md "The JSON result"). A change
// the API accepted counts as changed even when its wait then failed (ServiceResult.Started); after an
// --atomic rollback no next step is advised for the rolled-back services.
//
// Wiring `up` (the cmd layer owns flags, files and output):
//
//	api := upgrade.NewRancherAPI(client)                       // API, healthcheck.Reader/LogReader, lock.Store
//	desired := ...                                             // upgrade.DesiredFrom(project, service, builder.Build(...)) per primary
//	observed, err := api.Observe(ctx, stack, desired)          // live services + external link targets
//	plan := upgrade.Reconcile(desired, observed, opts)         // opts from the flags of `up`
//	if dryRun { print plan.String() or plan.JSON(); return }
//	// a plan that changes something is carried out under the stack's deploy lease, read and planned again under it
//	l, err := lock.Acquire(ctx, api, stack.Id, lock.Options{Owner: who, TTL: lock.DefaultTTL, Force: forceUnlock})
//	stop := l.KeepAlive(ctx, onLost)                           // renews every TTL/3
//	defer func() { stop(); l.Release(graceCtx) }()             // graceCtx: a fresh context of a few seconds
//	res, err := upgrade.Execute(ctx, plan, api, emitter)       // ctx carries --timeout and SIGINT
//
// `upgrade --confirm [SERVICE...]` and `rollback [SERVICE...]` plan from the live stack alone (PlanConfirm,
// PlanRollback) and execute the same way; `upgrade FROM TO` is the cmd layer's (it creates TO through
// Reconcile, then sends FROM's toServiceStrategy upgrade). Errors carry their exit
// code: *AtomicError 6 (1 when a rollback failed), *TimeoutError wraps context.DeadlineExceeded (4),
// *InterruptedError wraps context.Canceled (130), *DeployError is a plain failure (1).
package upgrade
