// Package rancherengine is the Rancher 1.6 engine's orchestration: what a command does with a compose
// project and a Rancher API once cmd has parsed its flags. It sits beside package swarm; the packages under
// rancher/ (the API client, the launch-config builder) and upgrade (the pure plan and its executor) are
// its tools.
//
// The pieces, in the order a deploy uses them (Session.Deploy):
//   - the stack (stack.go): found by name, or created (only its name, as the original did);
//   - the transforms (build.go): the project's inspect documents are sent to scripts/transform ahead while
//     the stack is looked up; each service is built into an upgrade.Desired against the stack's ids;
//   - the deploy lock (lock.go): a run that changes the stack plans read-only first, then takes the lock
//     (upgrade/lock), reads and plans again under it, renews it while it works; a lost lock stops the run
//     and becomes its outcome (LockLoss, exit 7); a no-op plan takes no lock;
//   - volumes (volumes.go): the project's volume templates, checked or created before any service;
//   - stages (deploy.go): services that reference others by id (load-balancer targets) that do not exist
//     yet are built and deployed in a second stage, once those exist; the outcomes merge;
//   - orphans (orphans.go): services of the stack in no file, warned about or removed (--remove-orphans);
//   - commands on existing services (services.go, existing.go, scale.go): ChangeAndWait and EachService,
//     with the per-service failures, where each unfinished service was left and what to run next; Stop,
//     Remove, Restart and Scale under the deploy lock; waits report what they await (awaiting.go).
//
// The other commands: Status (ps), Finish (upgrade --confirm, rollback: from the live stack alone), Pull,
// StreamLogs, UpgradeFromTo (the original's service-to-service upgrade); the plan shapes of create and start
// (shapes.go) and Preflight, the offline conversion check (exit 2), run before any API call.
//
// Session holds what a run needs; cmd builds it (cmd/rancher.go) from the flags and the environment. Exit
// codes are those of cmd/exitcodes.go, carried by the errors (ExitCode() int). Engine (engine.go) is the
// engine.Engine every command calls: it checks what it can offline, then opens the Session on first use.
package rancherengine
