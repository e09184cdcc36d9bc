// Package lock is the per-stack deploy lock: two pipelines must not upgrade the same stack at once
// (landscape.md §14.5: the second run's automatic finish-previous-upgrade would confirm the first run's
// unverified upgrade, or the API answers Conflict half-way through).
//
// # Where the lock lives
//
// In the stack itself, so every checkout, runner and tool version sees it, and nothing else is needed.
// A v2-beta stack has three user-writable fields that could hold it (schemas-v2-beta.json, stack:
// description, group, outputs; rancher-api.md §4.1); it has no labels or metadata. The lock is one key of
// `outputs`, a map[string]string settable by PUT:
//
//	outputs["io.rancher-compose.deploy-lock"] = {"owner":"jenkins@ci-3 (pid 812)","token":"9f1c…","acquired":"…","expires":"…"}
//
// description and group are shown in the UI and owned by people; outputs is only written by catalog
// templates, the lock is one key among theirs, and the other keys are written back untouched.
//
// # Protocol
//
// The API has no compare-and-swap, so acquiring is read, check, write, then read back:
//
//  1. Read outputs. A lock held by someone else refuses the run (HeldError, naming the owner and expiry).
//     An expired one is reported as stale, and is broken only with Force (--force-unlock); Force also breaks
//     a live one, for a holder known to be dead. A lock with our own token is ours.
//  2. Write outputs with our lock (a fresh random token, expiry = now + TTL).
//  3. Wait Settle, read again: if the token there is not ours, another run wrote after us and won; we
//     refuse. Two runs racing within the settle window both read each other's write back, and the later
//     writer wins: the window is the only gap, and it is milliseconds against a deploy of minutes.
//
// Begin does steps 1 and 2 and Confirm step 3, sleeping only what is left of Settle: a caller reads the stack
// and builds its plan in between (changing nothing), so the settle costs no time of its own. Acquire is both.
//
// Release removes the key only while it still holds our token (a run whose lock was broken must not remove
// the breaker's). The TTL should exceed the run's --timeout, so a crashed run's lock turns stale on its own.
package lock
