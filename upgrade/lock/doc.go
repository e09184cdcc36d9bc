// Package lock is the per-stack deploy lock: two runs must not change the same stack at once (landscape.md
// §14.5: the second run's automatic finish-previous-upgrade would confirm the first run's unverified
// upgrade, or the API answers Conflict half-way through). Every command that changes a stack takes it
// (up in all its forms, create, start, stop, restart, scale, rm, upgrade, rollback); read-only commands
// (ps, logs, config) and a run whose plan changes nothing do not.
//
// # Where the lock lives
//
// In the stack itself, so every checkout, runner and tool version sees it, and nothing else is needed.
// A v2-beta stack has three user-writable fields that could hold it (schemas-v2-beta.json, stack:
// description, group, outputs; rancher-api.md §4.1); it has no labels or metadata. The lock is one key of
// `outputs`, a map[string]string settable by PUT:
//
//	outputs["io.rancher-compose.deploy-lock"] = {"owner":"jenkins@ci-3 (pid 812)","host":"ci-3","pid":812,"token":"9f1c…","acquired":"…","expires":"…"}
//
// description and group are shown in the UI and owned by people; outputs is only written by catalog
// templates, the lock is one key among theirs, and the other keys are written back untouched.
//
// # A lease
//
// The lock is a lease of TTL (DefaultTTL, 60 s; `--lock-ttl` or RANCHER_COMPOSE_LOCK_TTL) that the holder
// renews every TTL/3 while it runs (KeepAlive; a failed renewal is tried again every TTL/10). A run that
// dies (kill -9, a lost agent) stops renewing, and once its lease has expired the next run takes it over,
// with a warning naming the dead owner (Lock.TookOver): no --force-unlock is needed, and a lock that
// expired long ago never refuses anything. Force (--force-unlock) breaks a live lease, for a holder known
// to be dead before it expires (Lock.Broken). Expiry is judged on the reader's clock against the time the
// holder wrote: clocks more than a TTL apart would let a live lease look expired (use NTP).
//
// A renewal that finds another token reports the lock lost (LostError) and the run stops changing the
// stack. A refusal is a HeldError naming owner, host, pid, start and expiry, and the command that breaks
// the lock; when the holder ran on this host and its pid is gone (Options.Alive), it says the run is dead.
// Both carry exit code 7 (ExitLocked).
//
// # Protocol
//
// The API has no compare-and-swap, so acquiring is read, check, write, then read back:
//
//  1. Read outputs. A live lease held by someone else refuses the run; an expired one, or with Force a
//     live one, is replaced. A lock with our own token is ours.
//  2. Write outputs with our lock (a fresh random token, expiry = now + TTL). A failed write is retried
//     (Options.Attempts, with backoff, within the context) after reading the lock again: our token there
//     means the write landed and only its answer was lost; another live holder there refuses the run.
//  3. Wait Settle, read again: if the token there is not ours, another run wrote after us and won; we
//     refuse. Two runs racing within the settle window both read each other's write back, and the later
//     writer wins: the window is the only gap, and it is milliseconds against a deploy of minutes.
//
// Begin does steps 1 and 2 and Confirm step 3, sleeping only what is left of Settle: a caller reads the stack
// and builds its plan in between (changing nothing), so the settle costs no time of its own. Acquire is both.
//
// A stack this run creates is born locked instead (Newborn): the create request carries the lock in its
// outputs (create: true in the schema), so the stack's first state holds it, and nothing is written, waited
// for or read back. Nothing can race it: the API refuses a second stack of the same name (422 NotUnique,
// Cattle's StackValidationFilter, checked case-insensitively), so no other run can have created the stack
// or written to it before its create was answered, and any run that finds it finds our live lease and is
// refused (a run that loses the race for the create gets NotUnique, finds the stack and is refused too).
// Renewal and release are those of any held lock. ForNewStack prepares it before the create; Created
// holds it once the stack's id is known. A created stack whose answer does not show the lock (an API that
// ignored the outputs) is locked by steps 1-3 instead.
//
// Release stops nothing by itself (stop KeepAlive first) and removes the key only while it still holds our
// token (a run whose lock was taken over must not remove the new holder's), retrying failed reads and
// writes within its context; a removal whose answer was lost is recognised on the next read. The cmd layer
// gives it a fresh context of cmd.ReleaseGrace (5 s) so that it runs after the deadline or an interrupt too.
package lock
