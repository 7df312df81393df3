#!/usr/bin/env bash
# Quick start: run embedrec on this machine with a demo catalog loaded.
#
# Usage: scripts/demo.sh [--no-build]
#   --no-build  use the jar already built in target/quarkus-app
#
# Steps: scripts/setup-postgres.sh; ./mvnw -B -q package -DskipTests; the demo
# catalog (scripts/make-demo-catalog.sh, Debian package descriptions); start
# target/quarkus-app/quarkus-run.jar with an admin API key; wait until
# /q/health/ready is UP; load the catalog through POST /v1/items/import; print
# the URLs and the key; stay in the foreground until Ctrl-C, which stops the
# service. The line "demo: ready" is printed once everything is up.
#
# The API key is generated once and kept in target/demo/api-key. The service
# reads it from target/demo/demo.properties (mode 600, via
# QUARKUS_CONFIG_LOCATIONS), so it never appears on a command line (ps).
# The service's log goes to target/demo/embedrec.log.
#
# Environment (defaults in brackets):
#   EMBEDREC_PORT [8080]
#   EMBEDREC_DB_URL [jdbc:postgresql://127.0.0.1:5432/$EMBEDREC_DB_NAME]
#   EMBEDREC_DB_NAME [embedrec]  EMBEDREC_DB_USER, EMBEDREC_DB_PASSWORD [embedrec]
#   DEMO_LIMIT [all, ~14k]   items in the demo catalog
#   DEMO_USERS [500]         users in the synthetic interaction history
#   DEMO_START_TIMEOUT [120] seconds to wait for the service to become ready
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cd "$root"

say() { printf 'demo: %s\n' "$*"; }
die() { printf 'demo: ERROR: %s\n' "$*" >&2; exit 1; }

build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
done

port="${EMBEDREC_PORT:-8080}"
db_url="${EMBEDREC_DB_URL:-jdbc:postgresql://127.0.0.1:5432/${EMBEDREC_DB_NAME:-embedrec}}"
limit="${DEMO_LIMIT:-}"
timeout="${DEMO_START_TIMEOUT:-120}"
demo_dir="$root/target/demo"
jar="$root/target/quarkus-app/quarkus-run.jar"
catalog="$demo_dir/catalog.ndjson"
log="$demo_dir/embedrec.log"
base="http://127.0.0.1:${port}"

[[ "$port" =~ ^[0-9]+$ ]] || die "EMBEDREC_PORT must be a port number, got '$port'"
[ -z "$limit" ] || [[ "$limit" =~ ^[1-9][0-9]*$ ]] || die "DEMO_LIMIT must be a positive integer, got '$limit'"
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  die "port $port is already in use: stop what listens there or set EMBEDREC_PORT"
fi
for cmd in java curl python3; do
  command -v "$cmd" >/dev/null || die "$cmd not found: install it first (Debian: apt-get install openjdk-17-jre-headless curl python3)"
done

# ------------------------------------------------------------------ 1. database
say "setting up PostgreSQL (scripts/setup-postgres.sh)"
bash "$here/setup-postgres.sh" || die "scripts/setup-postgres.sh failed (see above)"

# ------------------------------------------------------------------ 2. build
if [ "$build" = 1 ]; then
  say "building the application (./mvnw -B -q package -DskipTests)"
  ./mvnw -B -q package -DskipTests || die "the build failed (see above)"
fi
[ -f "$jar" ] || die "$jar not found: build first (run without --no-build)"

# ------------------------------------------------------------------ 3. catalog
mkdir -p "$demo_dir"
say "making the demo catalog ${limit:+(at most $limit items) }into ${catalog#"$root"/}"
"$here/make-demo-catalog.sh" "$catalog" ${limit:+--limit "$limit"} \
  || die "scripts/make-demo-catalog.sh failed (see above)"

# ------------------------------------------------------------------ 4. API key
key_file="$demo_dir/api-key"
props="$demo_dir/demo.properties"
umask 077
if [ ! -s "$key_file" ]; then
  printf 'demo-%s\n' "$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')" > "$key_file"
fi
key="$(tr -d '[:space:]' < "$key_file")"
[[ "$key" =~ ^[A-Za-z0-9_-]+$ ]] || die "$key_file does not hold a usable key; delete it to get a new one"
printf '# written by scripts/demo.sh: the demo API key (admin scope)\nembedrec.security.keys.%s=admin\n' "$key" > "$props"
umask 022

# ------------------------------------------------------------------ 5. start

pid=""
stop() {
  trap - EXIT INT TERM HUP
  # whoever reads our output may be gone already (closed terminal or pipe): still stop the service
  trap '' PIPE
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    say "stopping embedrec (pid $pid)" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      say "embedrec did not stop within 10 s, killing it" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
  fi
}
fail() {
  printf 'demo: ERROR: %s\n' "$*" >&2
  if [ -s "$log" ]; then
    # the cause is usually a "Caused by:" line high up in a long stack trace, so show those, not the tail
    if grep -qE '^Caused by:|ERROR' "$log"; then
      printf 'demo: errors in %s:\n' "$log" >&2
      grep -E '^Caused by:|ERROR' "$log" | cut -c1-300 | head -n 8 >&2
    else
      printf 'demo: last 20 lines of %s:\n' "$log" >&2
      tail -n 20 "$log" >&2
    fi
  fi
  stop
  exit 1
}
trap stop EXIT
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop; exit 129' HUP

say "starting embedrec on port $port against $db_url (log: ${log#"$root"/})"
EMBEDREC_PORT="$port" EMBEDREC_DB_URL="$db_url" QUARKUS_CONFIG_LOCATIONS="$props" \
  java -jar "$jar" > "$log" 2>&1 &
pid=$!

deadline=$((SECONDS + timeout))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/q/health/ready" 2>/dev/null || true)" = 200 ]; do
  kill -0 "$pid" 2>/dev/null || fail "embedrec exited during start-up"
  [ "$SECONDS" -lt "$deadline" ] || fail "embedrec was not ready after ${timeout} s ($base/q/health/ready)"
  sleep 0.5
done

# ------------------------------------------------------------------ 6. import
say "importing ${catalog#"$root"/} through POST /v1/items/import"
report="$(curl -sS --fail-with-body -H "Authorization: Bearer $key" -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$catalog" "$base/v1/items/import")" || fail "the import failed: ${report:-no answer}"
counts="$(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
print("%(lines)d lines: %(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(rejected)d rejected" % r)
for e in r.get("errors", [])[:5]:
    print("  line %s: %s" % (e["line"], e["detail"]))
' "$report")" || fail "unexpected answer from the import: $report"
say "imported $counts"

# ------------------------------------------------------------------ 6b. interaction history
history="$demo_dir/history.ndjson"
say "making a synthetic interaction history (scripts/make-demo-history.sh, fixed seed) into ${history#"$root"/}"
"$here/make-demo-history.sh" "$catalog" "$history" ${DEMO_USERS:+--users "$DEMO_USERS"} >/dev/null \
  || fail "scripts/make-demo-history.sh failed"
report="$(curl -sS --fail-with-body -H "Authorization: Bearer $key" -H 'Content-Type: application/x-ndjson' \
  --data-binary @"$history" "$base/v1/events")" || fail "loading the history failed: ${report:-no answer}"
events="$(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
print("%(received)d events: %(accepted)d accepted, %(duplicates)d already there, %(rejected)d rejected" % r)
' "$report")" || fail "unexpected answer from POST /v1/events: $report"
say "loaded $events (user vectors fill in as the catalog's vectors are embedded; GET /v1/spaces shows progress)"

# ------------------------------------------------------------------ 6c. collaborative space
# item vectors learned from the history: feeds turn hybrid (behaviour + content + popularity) once it is active
job="$(curl -sS --fail-with-body -H "Authorization: Bearer $key" -H 'Content-Type: application/json' -d '{}' \
  "$base/v1/jobs/train")" || fail "starting the training failed: ${job:-no answer}"
job_id="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["id"])' "$job")" \
  || fail "unexpected answer from POST /v1/jobs/train: $job"
say "training a collaborative space from the history (job $job_id, GET /v1/jobs/$job_id); feeds turn hybrid when it is done"

# ------------------------------------------------------------------ 7. ready
host="http://localhost:${port}"
echo
if [ "$(curl -s -o /dev/null -w '%{http_code}' "$base/" || true)" = 200 ]; then
  echo "  console      $host/"
fi
echo "  swagger ui   $host/q/swagger-ui"
echo "  openapi      $host/q/openapi"
echo "  health       $host/q/health"
echo "  metrics      $host/q/metrics"
echo "  api key      $key   (admin; kept in ${key_file#"$root"/})"
echo "  try          curl -H \"Authorization: Bearer \$(cat ${key_file#"$root"/})\" '$host/v1/items?limit=3'"
echo "  feed         curl -H \"Authorization: Bearer \$(cat ${key_file#"$root"/})\" '$host/v1/users/demo-user-0001/recommendations?explain=true'"
echo "  log          ${log#"$root"/}"
echo
say "ready: embedrec is running (pid $pid); Ctrl-C stops it"

wait "$pid" && status=0 || status=$?
pid=""
die "embedrec stopped by itself (exit status $status); see ${log#"$root"/}"
