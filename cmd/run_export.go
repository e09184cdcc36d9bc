package cmd

// ExitCodeOf maps an error returned by Run to the process exit code, exactly as Main does. End-to-end tests
// (package e2e) use it to assert exit codes without running a process.
func ExitCodeOf(err error) ExitCode { return exitCodeFor(err) }

// Report prints the final error as Main does and returns its exit code.
func Report(io *IOStreams, err error) ExitCode { return report(io, err) }
