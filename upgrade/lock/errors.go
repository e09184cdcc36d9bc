package lock

import (
	"fmt"
	"strings"
	"time"
)

// ExitLocked is the exit code of a run refused because another run holds the stack's deploy lock
// (cmd.ExitLocked: the lock package cannot import cmd).
const ExitLocked = 7

// HeldError refuses a run because another run holds the stack's live lease.
type HeldError struct {
	Stack  string
	Holder Holder
	// Dead: the holder's pid is known not to run any more (on this host).
	Dead bool
	// BreakCommand is the command line that breaks the lock.
	BreakCommand string
}

// ExitCode is ExitLocked.
func (e *HeldError) ExitCode() int { return ExitLocked }

// Error names the holder (owner, host, pid), since when and until when it holds the stack, and how to
// break the lock.
func (e *HeldError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "stack %s is locked by another run: %s", e.Stack, ownerWithoutPID(e.Holder))
	fmt.Fprintf(&b, " (host %s, pid %s), since %s; its lease expires at %s unless that run renews it",
		nonEmpty(e.Holder.Host, "unknown"), pidString(e.Holder.PID), stamp(e.Holder.Acquired), stamp(e.Holder.Expires))
	breakIt := "rerun with --force-unlock"
	if e.BreakCommand != "" {
		breakIt = "break it with `" + e.BreakCommand + "`"
	}
	if e.Dead {
		fmt.Fprintf(&b, ". Pid %d no longer runs on this host: that run is dead; %s, or rerun after the lease expires (it is then taken over)", e.Holder.PID, breakIt)
		return b.String()
	}
	fmt.Fprintf(&b, ". A run that dies stops renewing, and its lease is taken over once expired; if that run is known to be dead, %s", breakIt)
	return b.String()
}

// LostError reports that our lock is no longer ours: another run took it over or broke it (Taken), or it
// was removed.
type LostError struct {
	Stack string
	By    Holder
	Taken bool
	// JustWritten: the lock vanished between our write and its read-back (another run released or broke it).
	JustWritten bool
}

func (e *LostError) Error() string {
	if e.JustWritten {
		return fmt.Sprintf("the deploy lock of stack %s vanished right after it was written: another run is releasing or breaking it", e.Stack)
	}
	if !e.Taken {
		return fmt.Sprintf("the deploy lock of stack %s was removed while this run held it", e.Stack)
	}
	return fmt.Sprintf("the deploy lock of stack %s was taken by %s while this run held it", e.Stack, nonEmpty(e.By.Owner, "another run"))
}

// ExitCode is ExitLocked: another run has the stack.
func (e *LostError) ExitCode() int { return ExitLocked }

func stamp(t time.Time) string {
	if t.IsZero() {
		return "an unknown time"
	}
	return t.UTC().Format(time.RFC3339)
}

// ownerWithoutPID is the holder's owner string without the " (pid N)" it ends with when that pid is the
// holder's own, which the message gives next to the host.
func ownerWithoutPID(h Holder) string {
	if h.PID > 0 {
		return strings.TrimSuffix(h.Owner, fmt.Sprintf(" (pid %d)", h.PID))
	}
	return h.Owner
}

func pidString(pid int) string {
	if pid <= 0 {
		return "unknown"
	}
	return fmt.Sprint(pid)
}
