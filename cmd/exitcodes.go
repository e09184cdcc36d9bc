package cmd

import (
	"context"
	"errors"
	"fmt"
)

// ExitCode is the process exit status. The values are part of the CLI's contract: pipelines branch on them.
type ExitCode int

// Exit codes, documented in `rancher-compose --help` (see exitCodesHelp).
const (
	ExitOK          ExitCode = 0   // everything asked for was done
	ExitFailed      ExitCode = 1   // a deploy step failed (a service did not reach its goal)
	ExitUsage       ExitCode = 2   // bad flags, bad or missing files, invalid configuration; nothing was changed
	ExitTimeout     ExitCode = 4   // --timeout elapsed before the stack settled
	ExitUnreachable ExitCode = 5   // Rancher API unreachable, or credentials refused (401/403)
	ExitRolledBack  ExitCode = 6   // --atomic upgrade failed and was rolled back
	ExitLocked      ExitCode = 7   // the stack's deploy lock is held by another run (lock.HeldError), or was lost to one (lock.LostError)
	ExitInterrupted ExitCode = 130 // SIGINT/SIGTERM
)

const exitCodesHelp = `EXIT CODES:
   0    success
   1    deploy failed: a service did not reach its goal (details on stderr)
   2    usage or configuration error: bad flags, bad/missing files; nothing was changed
   4    timeout: --timeout elapsed before the stack settled
   5    Rancher API unreachable, credentials refused (401/403), unusable answers, or not a Rancher API
   6    --atomic upgrade failed and every upgraded service was rolled back
   7    the stack's deploy lock is held by another live run (nothing was changed), or another run took
        it over while this one worked (this one stopped)
   130  interrupted (SIGINT/SIGTERM)`

// UsageError marks an error caused by how the tool was invoked or configured (exit 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// usageErrorf builds a UsageError from a format string.
func usageErrorf(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// exitCoder lets a domain error choose its own exit code without importing this package.
type exitCoder interface{ ExitCode() int }

// exitCodeFor is the one place errors become exit codes.
func exitCodeFor(err error) ExitCode {
	if err == nil {
		return ExitOK
	}
	var usage *UsageError
	var coder exitCoder
	switch {
	case errors.As(err, &coder):
		return ExitCode(coder.ExitCode())
	case errors.As(err, &usage):
		return ExitUsage
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.Is(err, context.DeadlineExceeded):
		return ExitTimeout
	}
	return ExitFailed
}
