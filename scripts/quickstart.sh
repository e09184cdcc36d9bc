#!/usr/bin/env bash
# The README's main job: builds rancher-compose, starts the Rancher API simulator (a test double on a free
# loopback port, stopped on exit) and walks fixtures/dockercoins through a deploy:
#   up -d  →  up -d again (a no-op)  →  scale worker=5  →  ps  →  rm -f
# Each command is printed before it runs; the script stops at the first one that fails.
set -euo pipefail
cd "$(dirname "$0")/.."
go build -o bin/rancher-compose .
RC=$PWD/bin/rancher-compose
LOG=$(mktemp -d)
SIM_PID=
cleanup() {
  if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; fi
  rm -rf "$LOG"
}
trap cleanup EXIT

"$RC" sim --listen 127.0.0.1:0 --hosts 3 --step 100ms --host-label role=compute \
  --access-key quickstart --secret-key quickstart-secret >"$LOG/sim.out" 2>"$LOG/sim.err" &
SIM_PID=$!
RANCHER_URL=
for _ in $(seq 100); do
  RANCHER_URL=$(sed -n 's/^export RANCHER_URL=//p' "$LOG/sim.out")
  [ -n "$RANCHER_URL" ] && break
  sleep 0.1
done
[ -n "$RANCHER_URL" ] || { echo "the simulator did not start:"; cat "$LOG/sim.err"; exit 1; }
export RANCHER_URL RANCHER_ACCESS_KEY=quickstart RANCHER_SECRET_KEY=quickstart-secret
echo "simulator at $RANCHER_URL"

run() { echo; echo "\$ rancher-compose $*"; "$RC" "$@"; }
cd fixtures/dockercoins
run -p dockercoins up -d
run -p dockercoins up -d
run -p dockercoins scale worker=5
run -p dockercoins ps
run -p dockercoins rm -f
echo; echo "quickstart: ok"
