#!/usr/bin/env bash
# Runs the release pipeline of scripts/Jenkinsfile end to end with the real binary against the Rancher API
# simulator (a test double, on a free loopback port, stopped on exit):
#
#   validate (config -q, up --dry-run) → deploy v0.1 (up -d) → deploy v0.2 (up -d --upgrade --wait-healthy)
#   → verify (ps --format json) → confirm from a directory without files (-p dockercoins upgrade --confirm)
#   → a bad release (an image the simulator never lets turn healthy) with --atomic: exit 6, back on v0.2
#   → a normal upgrade of the worker to v0.3, rolled back from a directory without files (-p dockercoins rollback)
#   → an upgrade killed with SIGKILL while it holds the deploy lock (a LOCK_TTL lease, default 2s); once the
#     lease has expired, rollback takes it over without --force-unlock
#
# Each step prints its command, its output and its exit code; the script exits 1 if any expectation
# failed. It takes about a minute: the fixture's health checks (2 s and 5 s intervals, 2 passes) run on the
# real clock whatever the step. Environment: STEP (simulator step, default 50ms), BAD_TIMEOUT (default 10s: a
# never-healthy image is only given up on at --timeout, so this is how long the bad release takes; the
# Jenkinsfile uses 15m, which behaves the same, later), LOCK_TTL (default 2s, whole seconds).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
STEP=${STEP:-50ms}
BAD_TIMEOUT=${BAD_TIMEOUT:-10s}
LOCK_TTL=${LOCK_TTL:-2s}
STACK=dockercoins
failures=0

WORK=$(mktemp -d)
SIM_PID=
cleanup() {
  if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null; wait "$SIM_PID" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

echo "### build"
go build -o bin/rancher-compose . || { echo "FAIL: go build"; exit 1; }
RC="$ROOT/bin/rancher-compose"

echo "### simulator"
"$RC" sim --listen 127.0.0.1:0 --step "$STEP" --host-label role=compute \
  --access-key pipeline-access --secret-key pipeline-secret \
  --unhealthy-image "dockercoins/*:bad" >"$WORK/sim.out" 2>"$WORK/sim.err" &
SIM_PID=$!
for _ in $(seq 100); do
  RANCHER_URL=$(sed -n 's/^export RANCHER_URL=//p' "$WORK/sim.out")
  [ -n "$RANCHER_URL" ] && break
  sleep 0.1
done
if [ -z "$RANCHER_URL" ]; then echo "FAIL: the simulator did not start"; cat "$WORK/sim.err"; exit 1; fi
export RANCHER_URL RANCHER_ACCESS_KEY=pipeline-access RANCHER_SECRET_KEY=pipeline-secret
unset RANCHER_ENVIRONMENT COMPOSE_FILE COMPOSE_PROJECT_NAME TAG REGISTRY WORKERS
echo "simulator at $RANCHER_URL (step $STEP), dockercoins/*:bad never turns healthy"

# A Jenkins workspace with the compose files, and a second one without any.
CHECKOUT="$WORK/checkout"
ELSEWHERE="$WORK/elsewhere"
mkdir -p "$CHECKOUT" "$ELSEWHERE"
cp "$ROOT/fixtures/dockercoins/docker-compose.yml" "$ROOT/fixtures/dockercoins/rancher-compose.yml" "$CHECKOUT/"

# step NAME EXPECTED_EXIT DIR COMMAND...: runs COMMAND in DIR, shows its output indented, checks the exit code.
step() {
  local name=$1 want=$2 dir=$3
  shift 3
  echo
  echo "==> $name"
  echo "    \$ (cd ${dir/#$WORK/\$WORK}) $*"
  local start=$SECONDS
  (cd "$dir" && "$@") >"$WORK/out" 2>&1
  local got=$?
  sed 's/^/    | /' "$WORK/out"
  if [ "$got" -eq "$want" ]; then
    echo "<== $name: exit $got (expected $want) ok, $((SECONDS - start))s"
  else
    fail "$name: exit $got, expected $want"
  fi
}

# service_json SERVICE: `ps SERVICE --format json` run without files. field NAME reads the service's own
# field from it (the service's fields come before its containers' in that document).
service_json() { (cd "$ELSEWHERE" && "$RC" -p "$STACK" ps "$1" --format json 2>/dev/null); }
field() { sed -n "s/^ *\"$1\": \"\([^\"]*\)\".*/\1/p" | head -n 1; }

# expect STATE TAG [SERVICE...]: the services (default: every dockercoins service built from the tag) are in
# STATE on that tag.
expect() {
  local want_state=$1 tag=$2 s doc state image
  shift 2
  [ $# -gt 0 ] || set -- rng hasher worker webui
  for s in "$@"; do
    doc=$(service_json "$s")
    state=$(field state <<<"$doc")
    image=$(field image <<<"$doc")
    if [ "$state" = "$want_state" ] && [ "$image" = "dockercoins/$s:$tag" ]; then
      echo "    check: $s is $state on $image"
    else
      fail "$s is '$state' on '$image', expected $want_state on dockercoins/$s:$tag"
    fi
  done
}

files=(-p "$STACK" -f docker-compose.yml -r rancher-compose.yml)

echo
echo "### Validate"
step "config -q (strict)" 0 "$CHECKOUT" "$RC" "${files[@]}" --strict config -q
step "up --dry-run" 0 "$CHECKOUT" "$RC" "${files[@]}" up --dry-run

echo
echo "### Deploy v0.1 (first release)"
step "up -d" 0 "$CHECKOUT" env TAG=v0.1 "$RC" "${files[@]}" up -d --progress plain
expect active v0.1

echo
echo "### Deploy v0.2 (the Jenkinsfile's Deploy stage)"
step "up -d --upgrade --wait-healthy" 0 "$CHECKOUT" sh -c \
  'TAG=v0.2 "$0" "$@" up -d --upgrade --wait-healthy --timeout 15m --progress plain --format json > deploy-result.json' \
  "$RC" "${files[@]}"
if grep -q '"newImage": "dockercoins/worker:v0.2"' "$CHECKOUT/deploy-result.json"; then
  echo "    check: deploy-result.json records worker → dockercoins/worker:v0.2"
else
  fail "deploy-result.json lacks the worker's new image"; cat "$CHECKOUT/deploy-result.json"
fi

echo
echo "### Verify (ps, then ps SERVICE --format json for the checks, from a directory without files)"
step "ps" 0 "$ELSEWHERE" "$RC" -p "$STACK" ps
expect upgraded v0.2

echo
echo "### Confirm (from a directory without files)"
step "upgrade --confirm" 0 "$ELSEWHERE" "$RC" -p "$STACK" upgrade --confirm --progress plain
expect active v0.2

echo
echo "### A bad release: never healthy, --atomic rolls every upgraded service back (exit 6)"
step "up -d --upgrade --atomic (TAG=bad)" 6 "$CHECKOUT" env TAG=bad "$RC" "${files[@]}" \
  up -d --upgrade --atomic --timeout "$BAD_TIMEOUT" --progress plain
expect active v0.2

echo
echo "### A normal upgrade of the worker to v0.3, then rolled back (from a directory without files)"
step "up -d --upgrade worker (TAG=v0.3)" 0 "$CHECKOUT" env TAG=v0.3 "$RC" "${files[@]}" up -d --upgrade --progress plain worker
expect upgraded v0.3 worker
expect active v0.2 rng hasher webui
step "rollback" 0 "$ELSEWHERE" "$RC" -p "$STACK" rollback --progress plain
expect active v0.2

echo
echo "### A deploy killed with SIGKILL while it holds the deploy lock; the next run takes the expired lease over"
echo "    (RANCHER_COMPOSE_LOCK_TTL=$LOCK_TTL: the lease the killed run stops renewing; 60s by default)"
export RANCHER_COMPOSE_LOCK_TTL=$LOCK_TTL
(cd "$CHECKOUT" && TAG=bad exec "$RC" "${files[@]}" up -d --upgrade --wait-healthy --timeout 5m --progress plain worker) \
  >"$WORK/killed.out" 2>&1 &
KILLED=$!
for _ in $(seq 300); do  # until the run holds the lock and is upgrading the worker
  [ "$(service_json worker | field state)" = upgrading ] &&
    (cd "$ELSEWHERE" && "$RC" -p "$STACK" ps 2>/dev/null) | grep -q "deploy lock held by" && break
  sleep 0.1
done
kill -KILL "$KILLED"
wait "$KILLED" 2>/dev/null
echo "    \$ TAG=bad rancher-compose ... up -d --upgrade --wait-healthy worker &  # then: kill -9 $KILLED (exit $?)"
sed 's/^/    | /' "$WORK/killed.out"
step "ps (the killed run's lock is left)" 0 "$ELSEWHERE" "$RC" -p "$STACK" ps
grep -q "deploy lock held by" "$WORK/out" || fail "the killed run left no lock to take over"
sleep "${LOCK_TTL%s}"
step "rollback, once the lease expired (no --force-unlock)" 0 "$ELSEWHERE" "$RC" -p "$STACK" rollback --progress plain
if grep -q "took over the deploy lock of .*(pid $KILLED)" "$WORK/out"; then
  echo "    check: the expired lease of the killed run (pid $KILLED) was taken over, with a warning naming it"
else
  fail "no warning naming the killed run's expired lease"
fi
unset RANCHER_COMPOSE_LOCK_TTL
expect active v0.2
if (cd "$ELSEWHERE" && "$RC" -p "$STACK" ps) | grep -q "deploy lock held by"; then fail "a lock is left after the rollback"; else echo "    check: no lock left"; fi

echo
if [ "$failures" -ne 0 ]; then
  echo "pipeline: $failures expectation(s) FAILED"
  exit 1
fi
echo "pipeline: every step ended as expected"
