#!/usr/bin/env bash
# Benchmark of `up -d` and `up -d --upgrade` against the in-process simulator (20 ms latency, 200 ms steps):
# requests sent, requests per service against the original v0.12.5's, wall time against the minimum the
# dependency graph and the simulator's state machine allow. Arguments go to the Go program:
#   scripts/bench.sh            the full run (about 25 s)
#   scripts/bench.sh -short     the CI form (a few seconds)
#   scripts/bench.sh -v         also every request with its time
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./scripts/bench "$@"
