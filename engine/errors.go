package engine

import (
	"fmt"
	"sort"
	"strings"
)

// AtomicError is an --atomic run that failed: every service it upgraded was rolled back (exit 6), or a
// rollback failed too (exit 1). Every engine reports it the same way.
type AtomicError struct {
	Cause          error
	RolledBack     []string
	RollbackFailed map[string]error
}

// Error gives the cause and what was rolled back.
func (e *AtomicError) Error() string {
	msg := fmt.Sprintf("atomic upgrade failed (%v)", e.Cause)
	if len(e.RolledBack) > 0 {
		msg += "; rolled back " + strings.Join(e.RolledBack, ", ")
	}
	failed := make([]string, 0, len(e.RollbackFailed))
	for n := range e.RollbackFailed {
		failed = append(failed, n)
	}
	sort.Strings(failed)
	for _, n := range failed {
		msg += fmt.Sprintf("; rollback of %s failed: %v", n, e.RollbackFailed[n])
	}
	return msg
}

// Unwrap returns the failure that triggered the rollback.
func (e *AtomicError) Unwrap() error { return e.Cause }

// ExitCode is 6 when every upgraded service was rolled back, 1 when a rollback failed.
func (e *AtomicError) ExitCode() int {
	if len(e.RollbackFailed) > 0 {
		return 1
	}
	return 6
}

// FailedServicesMessage is the message of a deploy some services of which failed (every engine's
// DeployError): "2 service(s) failed: api: …; web: …", in name order.
func FailedServicesMessage(failed map[string]error) string {
	names := failedNames(failed)
	parts := make([]string, 0, len(names))
	for _, n := range names {
		parts = append(parts, fmt.Sprintf("%s: %v", n, failed[n]))
	}
	return fmt.Sprintf("%d service(s) failed: %s", len(names), strings.Join(parts, "; "))
}

// FailedServicesErrors is each failed service's error, in name order: what a DeployError unwraps to.
func FailedServicesErrors(failed map[string]error) []error {
	errs := make([]error, 0, len(failed))
	for _, n := range failedNames(failed) {
		errs = append(errs, failed[n])
	}
	return errs
}

func failedNames(failed map[string]error) []string {
	names := make([]string, 0, len(failed))
	for n := range failed {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
