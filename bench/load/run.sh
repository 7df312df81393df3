#!/usr/bin/env bash
# Load and soak benchmark: mixed traffic from N clients for M minutes against the packaged service while an import
# and a re-embed job run, on a fresh database. Prints requests/s, p50/p99 per endpoint, the count of 5xx answers
# (goal 0) and the service's resident memory at start, middle and end (goal: flat), as a table, also written to
# bench/load/RESULTS.md.
#
# Usage: bench/load/run.sh [--clients N] [--minutes M] [--items N] [--users N]
#   --clients N   concurrent clients (default 8)
#   --minutes M   traffic duration in minutes (default 3; decimals allowed)
#   --items N     demo-catalog items imported before the traffic (default 3000; the rest are imported during it)
#   --users N     users of the synthetic history posted before the traffic (default 300)
#
# Traffic per client, chosen at random per request: similar items 30%, feeds 30% (hybrid once a collaborative
# space is trained, as it is before the traffic starts), search 15%, event batches of 10 (20%), single item
# upserts 5%. Beside it, one client imports the rest of the catalog in chunks of 500 and one re-embed of the whole
# content space runs from the start.
#
# Environment: PGHOST/PGPORT (default 127.0.0.1:5432; superuser postgres), BENCH_JAVA_OPTS (extra JVM options).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/target/bench/load"
clients=8; minutes=3; items=3000; users=300
need() { [ $# -ge 2 ] && [ -n "$2" ] || { echo "$1 needs a value" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --clients) need "$@"; clients="$2"; shift 2 ;;
    --minutes) need "$@"; minutes="$2"; shift 2 ;;
    --items) need "$@"; items="$2"; shift 2 ;;
    --users) need "$@"; users="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done
[[ "$clients" =~ ^[1-9][0-9]*$ ]] || { echo "--clients must be a positive integer" >&2; exit 2; }
[[ "$minutes" =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "--minutes must be a number" >&2; exit 2; }
[[ "$items" =~ ^[1-9][0-9]*$ ]] || { echo "--items must be a positive integer" >&2; exit 2; }
[[ "$users" =~ ^[1-9][0-9]*$ ]] || { echo "--users must be a positive integer" >&2; exit 2; }
mkdir -p "$work"
# shellcheck source=../lib.sh
. "$root/bench/lib.sh"
load0="$(cut -d' ' -f1-3 /proc/loadavg)"

bench_app
bench_catalog
head -n "$items" "$catalog" > "$work/first.ndjson"
tail -n +"$((items + 1))" "$catalog" > "$work/rest.ndjson"
"$root/scripts/make-demo-history.sh" "$work/first.ndjson" "$work/history.ndjson" --users "$users" --seed 42 \
  2>"$work/history.log"

pghost="${PGHOST:-127.0.0.1}"; pgport="${PGPORT:-5432}"; db=embedrec_load
su_psql=(psql -X -q -v ON_ERROR_STOP=1 -h "$pghost" -p "$pgport" -U postgres)
log "creating the database $db"
"${su_psql[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db OWNER embedrec"
"${su_psql[@]}" -d "$db" -c "CREATE EXTENSION vector" -c "CREATE EXTENSION pg_trgm"

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
: > "$work/service.log"
# shellcheck disable=SC2086
EMBEDREC_DB_URL="jdbc:postgresql://$pghost:$pgport/$db" EMBEDREC_PORT="$port" java ${BENCH_JAVA_OPTS:-} \
  -jar "$app/quarkus-run.jar" >>"$work/service.log" 2>&1 &
pid=$!
stop_app() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop_app EXIT
for _ in $(seq 1 240); do
  curl -fs "$url/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$pid" 2>/dev/null || { tail -50 "$work/service.log" >&2; echo "the service died" >&2; exit 1; }
  sleep 0.5
done

log "importing $items items and waiting for their vectors"
curl -fsS -X POST -H 'Content-Type: application/x-ndjson' -H 'Expect:' -T "$work/first.ndjson" \
  "$url/v1/items/import" >/dev/null
pending() { curl -fsS "$url/v1/spaces/content" | python3 -c 'import json,sys; print(json.load(sys.stdin)["vectors"]["pending"])'; }
while [ "$(pending)" != 0 ]; do sleep 2; done
log "posting the history ($(grep -c . "$work/history.ndjson") events) and training"
curl -fsS -X POST -H 'Content-Type: application/x-ndjson' -T "$work/history.ndjson" "$url/v1/events" >/dev/null
train="$(curl -fsS -X POST -H 'Content-Type: application/json' -d '{}' "$url/v1/jobs/train" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"
while :; do
  state="$(curl -fsS "$url/v1/jobs/$train" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])')"
  case "$state" in queued|running) sleep 1 ;; done) break ;; *) echo "training ended $state" >&2; exit 1 ;; esac
done

log "traffic: $clients clients for $minutes min, an import of $(grep -c . "$work/rest.ndjson") items and a re-embed"
java "$here/LoadBench.java" "$url" "$pid" "$clients" "$minutes" "$work/first.ndjson" "$work/rest.ndjson" \
  > "$work/table.md"
cat "$work/table.md"

sha="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src || echo '+changes')"
{
  echo "# Load: mixed traffic under an import and a re-embed"
  echo
  echo "\`bench/load/run.sh --clients $clients --minutes $minutes --items $items --users $users\`, $(date -u '+%Y-%m-%d %H:%M') UTC, $sha, $(nproc) cores (load average before: $load0)."
  echo "Packaged service on a fresh database; demo catalog ($items items embedded first, the rest imported during the"
  echo "traffic), synthetic history of $users users, a collaborative space trained before the traffic."
  echo
  cat "$work/table.md"
} > "$here/RESULTS.md"
log "written to bench/load/RESULTS.md"
