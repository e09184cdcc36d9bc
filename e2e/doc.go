// Package e2e runs the rancher-compose CLI (cmd.Run, in process) against the Rancher API simulator (sim) on a
// loopback port: one or more tests per command, the dockercoins walkthrough, the bad-input suite over
// fixtures/bad, secrets never printed with --verbose, the upgrade lifecycle of issue 5 (confirm and rollback
// from a second invocation without files, the deploy lock, --atomic, timeouts, interrupts, 5xx faults), and
// the original tool's own integration suite (original-behavior.md §4.1, test_compose.py).
//
// §4.1 rows ported: every replayable row, 79 of the 81 (rows 1 and 64 were skipped by the original itself).
// Each test is named after its row (TestRow05Delete, TestRow24To26LegacyLBDefaultPorts, ...):
//
//	original_links_test.go   5, 7, 31, 46, 50-52, 55-58, 62, 63, 66-69, 71, 74, 79
//	original_config_test.go  2-4, 6, 8-16, 32-37, 43-45, 59-61, 70, 73, 75, 76, 78, 80, 81
//	original_lb_test.go      17-30, 65
//	original_upgrade_test.go 38-42, 47-49, 53, 54, 72, 77
//
// Where the simulator differs from Cattle in ways the original's tests relied on, the tests say so: row 72
// (pull) checks the pulled images in the progress output rather than in go-rancher's debug dump on stdout.
//
// Tests read the original's assets from ../shared/corpus/rancher-compose-assets ($CORPUS_DIR overrides the
// corpus root) and skip when it is absent.
package e2e
